import type { SecretRuleSpec } from '../model/rule.js';
import { decodeBuffer } from './decode.js';
import { KeywordPrefilter } from './prefilter.js';
import { compileRule, matchRule, type CompiledRule, type RuleMatch } from './rule-matcher.js';

/** A secret found in one text, with its 1-based line and column. */
export interface TextMatch extends RuleMatch {
  line: number;
  column: number;
}

export interface BufferScan {
  binary: boolean;
  matches: TextMatch[];
}

/**
 * Runs a rule set over texts: keyword prefilter, then only the candidate rules' regexes, then
 * drops matches superseded by a more specific rule on the same span, then computes lines.
 */
export class SecretScanner {
  readonly rules: CompiledRule[];
  private readonly prefilter: KeywordPrefilter;
  private readonly rulesByKeyword: number[][];
  private readonly superseders: Array<Set<string> | '*' | undefined>;

  constructor(specs: SecretRuleSpec[]) {
    this.rules = specs.map(compileRule);
    const kwIds = new Map<string, number>();
    this.rulesByKeyword = [];
    this.rules.forEach((r, ri) => {
      for (const k of r.spec.keywords) {
        const key = k.toLowerCase();
        let id = kwIds.get(key);
        if (id === undefined) {
          id = kwIds.size;
          kwIds.set(key, id);
          this.rulesByKeyword.push([]);
        }
        if (!this.rulesByKeyword[id].includes(ri)) this.rulesByKeyword[id].push(ri);
      }
    });
    this.prefilter = new KeywordPrefilter([...kwIds.keys()]);
    this.superseders = this.rules.map((r) => {
      const s = r.spec.superseded_by;
      if (!s || s.length === 0) return undefined;
      return s.includes('*') ? '*' : new Set(s);
    });
  }

  /** Scan raw file or blob content. Binary content (not UTF-16 text) is reported, not scanned. */
  scanBuffer(buf: Buffer): BufferScan {
    const d = decodeBuffer(buf);
    if (d.kind === 'binary') return { binary: true, matches: [] };
    return { binary: false, matches: this.scan(d.text, d.bytes) };
  }

  scanText(text: string): TextMatch[] {
    return this.scan(text, Buffer.from(text, 'latin1'));
  }

  private scan(text: string, bytes: Uint8Array): TextMatch[] {
    const hits = this.prefilter.hits(bytes);
    if (hits.size === 0) return [];
    const candidates = new Set<number>();
    for (const k of hits) for (const ri of this.rulesByKeyword[k]) candidates.add(ri);
    const found: Array<RuleMatch & { ri: number }> = [];
    for (const ri of [...candidates].sort((a, b) => a - b)) {
      for (const m of matchRule(this.rules[ri], text)) found.push({ ...m, ri });
    }
    const kept = found.filter((m) => !this.isSuperseded(m, found));
    return withLines(text, kept.map(({ ri: _ri, ...m }) => m));
  }

  private isSuperseded(m: RuleMatch & { ri: number }, all: Array<RuleMatch & { ri: number }>): boolean {
    const by = this.superseders[m.ri];
    if (!by) return false;
    return all.some(
      (o) => o !== m && o.ri !== m.ri && (by === '*' || by.has(o.ruleId)) && overlaps(m, o) && !(by === '*' && this.superseders[o.ri] === '*'),
    );
  }
}

/** Does m's secret overlap o's secret, or the second part of o's pair? */
function overlaps(m: RuleMatch, o: RuleMatch): boolean {
  if (o.index < m.end && m.index < o.end) return true;
  if (o.pairIndex === undefined || o.pair === undefined) return false;
  return o.pairIndex < m.end && m.index < o.pairIndex + o.pair.length;
}

/** Attach 1-based line and column to matches in one forward pass over the text. */
function withLines(text: string, matches: RuleMatch[]): TextMatch[] {
  const sorted = [...matches].sort((a, b) => a.index - b.index || a.ruleId.localeCompare(b.ruleId));
  const out: TextMatch[] = [];
  let line = 1;
  let lineStart = 0;
  let pos = 0;
  for (const m of sorted) {
    while (pos < m.index) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0 || nl >= m.index) break;
      line++;
      lineStart = nl + 1;
      pos = nl + 1;
    }
    out.push({ ...m, line, column: m.index - lineStart + 1 });
  }
  return out;
}
