import type { SecretRuleSpec } from '../model/rule.js';
import { decodeBuffer } from './decode.js';
import { base64CredentialFiles, DECODER_KEYWORDS, helmValues, helmValuesMayApply, isOpaqueSecretValue, jsonEscapedStrings, kubernetesSecretData, type EncodedSpan } from './decoders.js';
import { shannonEntropy } from './entropy.js';
import { isPlaceholder } from './placeholder.js';
import { inUrlCredential, isLockfilePath, looksLikeLockfile } from './lockfile.js';
import { KeywordPrefilter } from './prefilter.js';
import { anchoredAtKeywords } from './anchor.js';
import { compileRule, matchAt, matchRule, suppressionsOf, type CompiledRule, type RuleMatch } from './rule-matcher.js';
import { windowable, windowsAround, type Window } from './window.js';

/** A secret found in one text, with its 1-based line and column. */
export interface TextMatch extends RuleMatch {
  line: number;
  column: number;
}

/**
 * A rule the prefilter let through, and where in the text to run it: only at `starts` (the offsets
 * where its keywords begin, for rules anchored at them), in `windows`, or (neither) everywhere.
 */
export interface Candidate {
  ri: number;
  windows?: Window[];
  starts?: number[];
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
  private readonly keywordLength: number[] = [];
  /** Per rule: its keyword ids when its matches stay near them, else undefined (whole text). */
  private readonly windowKeywords: Array<number[] | undefined>;
  /** Per rule whose matches begin where one of its keywords begins (anchor.ts): its keyword ids. */
  private readonly anchorKeywords: Array<number[] | undefined>;
  /** Per rule with keywords_match_case: its keywords as written, to check the case of each hit. */
  private readonly exactKeywords: Array<Array<{ id: number; bytes: Buffer }> | undefined>;
  private readonly superseders: Array<Set<string> | '*' | undefined>;
  private readonly decoderKeywords: Array<{ from: EncodedSpan['from']; ids: number[] }> = [];
  /** The rule reporting opaque values of Kubernetes Secrets (-1: not in this rule set). */
  private readonly k8sRule: number;

  constructor(specs: SecretRuleSpec[]) {
    this.rules = specs.map(compileRule);
    const kwIds = new Map<string, number>();
    this.rulesByKeyword = [];
    /** The automaton's id of a keyword (case-insensitive), new ones numbered in order. */
    const idOf = (k: string): number => {
      const key = k.toLowerCase();
      let id = kwIds.get(key);
      if (id === undefined) {
        id = kwIds.size;
        kwIds.set(key, id);
        this.rulesByKeyword.push([]);
      }
      return id;
    };
    this.rules.forEach((r, ri) => {
      if (r.spec.detector) return; // found by its decoder, never by its regex
      for (const k of r.spec.keywords) {
        const id = idOf(k);
        if (!this.rulesByKeyword[id].includes(ri)) this.rulesByKeyword[id].push(ri);
      }
    });
    // Decoders' keywords share the automaton; they name no rule, only a decoder to run.
    for (const [from, kws] of Object.entries(DECODER_KEYWORDS) as Array<[EncodedSpan['from'], string[]]>) {
      const ids = kws.map(idOf);
      this.decoderKeywords.push({ from, ids });
    }
    this.k8sRule = this.rules.findIndex((r) => r.spec.detector === 'kubernetes-secret');
    this.prefilter = new KeywordPrefilter([...kwIds.keys()]);
    for (const k of kwIds.keys()) this.keywordLength.push(Buffer.byteLength(k, 'latin1'));
    this.windowKeywords = this.rules.map((r) => (windowable(r.spec.pattern) ? [...new Set(r.spec.keywords.map((k) => kwIds.get(k.toLowerCase())!))] : undefined));
    this.anchorKeywords = this.rules.map((r) =>
      anchoredAtKeywords(r.spec.pattern, r.spec.keywords, r.spec.keywords_match_case === true) ? [...new Set(r.spec.keywords.map((k) => kwIds.get(k.toLowerCase())!))] : undefined,
    );
    this.exactKeywords = this.rules.map((r) => (r.spec.keywords_match_case ? r.spec.keywords.map((k) => ({ id: kwIds.get(k.toLowerCase())!, bytes: Buffer.from(k, 'latin1') })) : undefined));
    this.superseders = this.rules.map((r) => {
      const s = r.spec.superseded_by;
      if (!s || s.length === 0) return undefined;
      return s.includes('*') ? '*' : new Set(s);
    });
  }

  /**
   * Scan raw file or blob content. Binary content (not UTF-16 text) is reported, not scanned. `path`
   * (when known) lets the scanner treat some files by their kind (lockfiles: see lockfile.ts).
   */
  scanBuffer(buf: Buffer, path?: string): BufferScan {
    const d = decodeBuffer(buf);
    if (d.kind === 'binary') return { binary: true, matches: [] };
    return { binary: false, matches: this.scan(d.bytes, () => d.text, path) };
  }

  scanText(text: string, path?: string): TextMatch[] {
    return this.scan(Buffer.from(text, 'latin1'), () => text, path);
  }

  /** The rules that can match `bytes`, in rule order, each with its windows: the prefilter step. */
  candidates(bytes: Uint8Array): Candidate[] {
    return this.candidatesOf(this.prefilter.occurrences(bytes), bytes);
  }

  private candidatesOf(hits: Map<number, number[]>, bytes: Uint8Array): Candidate[] {
    if (hits.size === 0) return [];
    const rules = new Set<number>();
    for (const k of hits.keys()) for (const ri of this.rulesByKeyword[k]) rules.add(ri);
    const out: Candidate[] = [];
    for (const ri of [...rules].sort((a, b) => a - b)) {
      const exact = this.exactKeywords[ri];
      const own = exact ? exactHits(exact, hits, bytes) : hits;
      if (exact && own.size === 0) continue;
      const anchors = this.anchorKeywords[ri];
      if (anchors) {
        out.push({ ri, starts: this.startsOf(anchors, own) });
        continue;
      }
      const kws = this.windowKeywords[ri];
      if (!kws) {
        out.push({ ri });
        continue;
      }
      const ends = kws.flatMap((k) => (own.has(k) ? [{ ends: own.get(k)!, length: this.keywordLength[k] }] : []));
      out.push({ ri, windows: windowsAround(ends, bytes.length) });
    }
    return out;
  }

  /** Where the given keywords' occurrences begin, ascending and once each. */
  private startsOf(kws: number[], hits: Map<number, number[]>): number[] {
    let starts: number[] | undefined;
    let many = false;
    for (const k of kws) {
      const ends = hits.get(k);
      if (!ends) continue;
      const len = this.keywordLength[k];
      const mine = ends.map((e) => e - len);
      if (starts) {
        starts.push(...mine);
        many = true;
      } else starts = mine;
    }
    if (!starts) return [];
    return many ? [...new Set(starts)].sort((a, b) => a - b) : starts;
  }

  /** `textOf` is called only when some rule can match: most content is never turned into a string. */
  private scan(bytes: Uint8Array, textOf: () => string, path?: string): TextMatch[] {
    const found = this.matchAll(bytes, textOf, path, 0);
    if (found.length === 0) return [];
    return withLines(textOf(), found.map(({ ri: _ri, ...m }) => m));
  }

  private matchAll(bytes: Uint8Array, textOf: () => string, path: string | undefined, depth: number): Array<RuleMatch & { ri: number }> {
    const found: Array<RuleMatch & { ri: number }> = [];
    const hits = this.prefilter.occurrences(bytes);
    if (hits.size === 0) return [];
    const candidates = this.candidatesOf(hits, bytes);
    const decoders = depth < 2 ? this.decoderKeywords.filter((d) => d.ids.some((id) => hits.has(id)) && (d.from !== 'helm-values' || helmValuesMayApply(path))).map((d) => d.from) : [];
    if (candidates.length === 0 && decoders.length === 0) return [];
    const text = textOf();
    if (isLockfilePath(path) || looksLikeLockfile(text.slice(0, 512))) return this.scanLockfile(text, candidates);
    const suppressions = suppressionsOf(text) ?? null; // once per text, not once per rule
    for (const c of candidates) {
      for (const m of this.run(c, text, suppressions)) found.push({ ...m, ri: c.ri });
    }
    const kept = found.filter((m) => !this.isSuperseded(m, found));
    if (decoders.length === 0) return kept;
    const { add, drop } = this.decoded(text, decoders, kept, suppressions, depth, path);
    return [...kept.filter((m) => !drop.has(m)), ...add];
  }

  /**
   * Matches in encoded parts of the text (see decoders.ts): each span is decoded and scanned with every
   * rule; a match is reported at the encoded span, with the decoded secret. A span already matched as
   * written (a rule for the base64 form) keeps that match. An opaque value of a Kubernetes Secret (or of
   * a Helm values file's secret data) that no rule recognises is reported by the Secret rule.
   */
  private decoded(
    text: string,
    decoders: EncodedSpan['from'][],
    found: Array<RuleMatch & { ri: number }>,
    suppressions: ReturnType<typeof suppressionsOf> | null,
    depth: number,
    path?: string,
  ): { add: Array<RuleMatch & { ri: number }>; drop: Set<RuleMatch> } {
    const drop = new Set<RuleMatch>();
    const spans: EncodedSpan[] = [];
    if (decoders.includes('kubernetes-secret')) spans.push(...kubernetesSecretData(text));
    if (decoders.includes('helm-values')) spans.push(...helmValues(text, path));
    if (decoders.includes('base64-file')) spans.push(...base64CredentialFiles(text));
    const out: Array<RuleMatch & { ri: number }> = [];
    const seen = new Set<number>();
    if (decoders.includes('json-string')) out.push(...this.inJsonStrings(text, found, suppressions, depth));
    for (const sp of spans) {
      if (seen.has(sp.index)) continue;
      seen.add(sp.index);
      // The encoded form matched as written: a specific rule for it keeps its match; a catch-all
      // (superseded_by '*': the generic assignment rule) yields to what the decoded value says.
      // A Secret's or chart's data value is base64 by contract: what it decodes to decides, and a rule that
      // matched the encoded text (a loose keyword-anchored shape) was reading the wrong thing.
      const byContract = sp.from !== 'base64-file';
      const over = found.filter((o) => o.index < sp.end && sp.index < o.end);
      if (!byContract && over.some((o) => this.superseders[o.ri] !== '*')) continue;
      for (const o of over) drop.add(o);
      // Its key goes with it, so rules anchored on a provider's variable name (DUPLY_API_KEY: …) still
      // see the name; the catch-all assignment rule does not speak for such a value (the Secret rule does).
      const decodedText = byContract && sp.key ? `${sp.key}: ${sp.decoded}` : sp.decoded;
      const inner = this.matchAll(Buffer.from(decodedText, 'latin1'), () => decodedText, undefined, depth + 1).filter((m) => !byContract || this.superseders[m.ri] !== '*');
      const at = { index: sp.index, end: sp.end };
      if (inner.length > 0) {
        for (const m of inner) {
          if (suppressions?.covers(sp.index, m.ruleId)) continue;
          out.push({ ruleId: m.ruleId, value: m.value, ...at, ...(m.pair !== undefined ? { pair: m.pair } : {}), encoded: 'base64', ri: m.ri });
        }
        continue;
      }
      if (sp.from === 'base64-file' || sp.opaque === false || this.k8sRule < 0) continue;
      const value = sp.decoded.replace(/\r?\n$/, '');
      const rule = this.rules[this.k8sRule];
      if (!isOpaqueSecretValue(sp.key, value) || isPlaceholder(value)) continue;
      if (rule.spec.entropy !== undefined && shannonEntropy(value) < rule.spec.entropy) continue;
      if (rule.excludes.some((re) => re.test(value))) continue;
      if (suppressions?.covers(sp.index, rule.spec.id)) continue;
      out.push({ ruleId: rule.spec.id, value, ...at, encoded: 'base64', ri: this.k8sRule });
    }
    return { add: out, drop };
  }

  /**
   * Matches in a notebook's escaped JSON strings that the text as written did not show: each at the
   * secret's own place when it is written there verbatim (the usual case: tokens need no escaping),
   * else at the string. A value already matched as written is not reported twice.
   */
  private inJsonStrings(
    text: string,
    found: Array<RuleMatch & { ri: number }>,
    suppressions: ReturnType<typeof suppressionsOf> | null,
    depth: number,
  ): Array<RuleMatch & { ri: number }> {
    const out: Array<RuleMatch & { ri: number }> = [];
    for (const sp of jsonEscapedStrings(text)) {
      const inner = this.matchAll(Buffer.from(sp.decoded, 'latin1'), () => sp.decoded, undefined, depth + 1);
      if (inner.length === 0) continue;
      const raw = text.slice(sp.index, sp.end);
      for (const m of inner) {
        if (found.some((o) => o.value === m.value && o.index < sp.end && sp.index < o.end)) continue;
        const at = raw.indexOf(m.value);
        const index = at >= 0 ? sp.index + at : sp.index;
        const end = at >= 0 ? index + m.value.length : sp.end;
        if (suppressions?.covers(index, m.ruleId)) continue;
        if (out.some((o) => o.value === m.value && o.index === index)) continue;
        out.push({ ruleId: m.ruleId, value: m.value, index, end, ...(m.pair !== undefined ? { pair: m.pair } : {}), ri: m.ri });
      }
    }
    return out;
  }

  /** A lockfile: only credentials inside a URL (a private registry's user:token@ or ?_authToken=) count. */
  private scanLockfile(text: string, candidates: Candidate[]): Array<RuleMatch & { ri: number }> {
    if (!text.includes('://')) return [];
    const found: Array<RuleMatch & { ri: number }> = [];
    const suppressions = suppressionsOf(text) ?? null;
    for (const c of candidates) {
      for (const m of this.run(c, text, suppressions)) if (inUrlCredential(text, m.index, m.end)) found.push({ ...m, ri: c.ri });
    }
    return found.filter((m) => !this.isSuperseded(m, found));
  }

  private run(c: Candidate, text: string, suppressions: ReturnType<typeof suppressionsOf> | null): RuleMatch[] {
    return c.starts ? matchAt(this.rules[c.ri], text, c.starts, suppressions) : matchRule(this.rules[c.ri], text, c.windows, suppressions);
  }

  private isSuperseded(m: RuleMatch & { ri: number }, all: Array<RuleMatch & { ri: number }>): boolean {
    const by = this.superseders[m.ri];
    if (!by) return false;
    return all.some(
      (o) => o !== m && o.ri !== m.ri && (by === '*' || by.has(o.ruleId)) && overlaps(m, o) && !(by === '*' && this.superseders[o.ri] === '*'),
    );
  }
}

/** The hits of a rule's keywords whose bytes have exactly the keyword's case. */
function exactHits(exact: Array<{ id: number; bytes: Buffer }>, hits: Map<number, number[]>, bytes: Uint8Array): Map<number, number[]> {
  const own = new Map<number, number[]>();
  for (const k of exact) {
    const ends = hits.get(k.id);
    if (!ends) continue;
    const len = k.bytes.length;
    const kept = ends.filter((e) => {
      for (let i = 0; i < len; i++) if (bytes[e - len + i] !== k.bytes[i]) return false;
      return true;
    });
    if (kept.length) own.set(k.id, [...(own.get(k.id) ?? []), ...kept]);
  }
  return own;
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
