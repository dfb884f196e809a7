import type { SecretRuleSpec } from '../model/rule.js';
import { RuleError } from '../rules/catalog.js';
import { shannonEntropy } from './entropy.js';
import { isPlaceholder } from './placeholder.js';
import { bpeScorer } from './randomness.js';
import { VALIDATORS } from './validators.js';
import type { Window } from './window.js';

/** A rule ready to run: regexes compiled once per process (per worker). */
export interface CompiledRule {
  spec: SecretRuleSpec;
  re: RegExp;
  pairRe?: RegExp;
  excludes: RegExp[];
  validate?: (secret: string) => boolean;
  /** The pattern without `g`, sticky: tried at given offsets only (made on first use, see matchAt). */
  sticky?: RegExp;
}

/** One candidate secret a rule found in a text, before line/column are computed. */
export interface RuleMatch {
  ruleId: string;
  /** The secret (the named group `secret`, else group 1, else the whole match). */
  value: string;
  /** Offset of the secret in the text, and its end. */
  index: number;
  end: number;
  /** The second part of a paired credential (e.g. the AWS secret key of a key id), and where it is. */
  pair?: string;
  pairIndex?: number;
  /** The secret is written encoded at [index, end) (base64): `value` is the decoded secret. */
  encoded?: 'base64';
}

/** Rules are written with PCRE-style leading inline flags ((?i), (?s), (?m)); JS takes them as flags. */
export function parsePattern(pattern: string): { source: string; flags: string } {
  const m = /^\(\?([ims]+)\)/.exec(pattern);
  if (!m) return { source: pattern, flags: '' };
  return { source: pattern.slice(m[0].length), flags: [...new Set(m[1])].join('') };
}

function compile(pattern: string, extraFlags: string, ruleId: string, what: string): RegExp {
  const { source, flags } = parsePattern(pattern);
  try {
    return new RegExp(source, flags + extraFlags);
  } catch (e) {
    throw new RuleError(`rule ${ruleId}: ${what} is not a valid regular expression: ${(e as Error).message}`);
  }
}

export function compileRule(spec: SecretRuleSpec): CompiledRule {
  const validate = spec.validator ? VALIDATORS[spec.validator] : undefined;
  if (spec.validator && !validate) throw new RuleError(`rule ${spec.id}: unknown validator ${spec.validator} (known: ${Object.keys(VALIDATORS).join(', ')})`);
  return {
    spec,
    re: compile(spec.pattern, 'gd', spec.id, 'pattern'),
    pairRe: spec.pair ? compile(spec.pair.pattern, 'gd', spec.id, 'pair.pattern') : undefined,
    excludes: (spec.exclude_values ?? []).map((p) => compile(p, '', spec.id, 'exclude_values')),
    validate,
  };
}

/** The secret of a regex match: named group `secret`, else group 1, else the whole match. */
function secretOf(m: RegExpExecArray): { value: string; index: number } | undefined {
  const named = m.groups?.secret;
  if (named !== undefined) return { value: named, index: m.indices!.groups!.secret![0] };
  if (m.length > 1) {
    if (m[1] === undefined) return undefined;
    return { value: m[1], index: m.indices![1]![0] };
  }
  return { value: m[0], index: m.index };
}

/** Does the value pass the rule's own filters (placeholder, entropy, validator, excludes, randomness)? */
function acceptable(rule: CompiledRule, value: string): boolean {
  if (value.length === 0) return false;
  if (!rule.spec.skip_placeholder_check && isPlaceholder(value)) return false;
  if (rule.spec.entropy !== undefined && shannonEntropy(value) < rule.spec.entropy) return false;
  if (rule.validate && !rule.validate(value)) return false;
  for (const ex of rule.excludes) if (ex.test(value)) return false;
  // Last: the tokenizer costs more than a regex, and only values every other filter kept reach it.
  if (rule.spec.randomness !== undefined && bpeScorer().score(value) < rule.spec.randomness) return false;
  return true;
}

/**
 * Finds the second part of paired credentials for the matches of one rule in one text. The pair
 * regex runs once over a region that covers many consecutive matches' windows (matches come in text
 * order), not once per match: a file with thousands of key ids costs one pass, not thousands.
 */
class PairFinder {
  private regionFrom = 0;
  private regionTo = -1;
  private parts: Array<{ value: string; index: number }> = [];

  constructor(
    private readonly rule: CompiledRule,
    private readonly text: string,
  ) {}

  /** The nearest acceptable pair part lying wholly within the rule's window around [start, end). */
  near(start: number, end: number): { value: string; index: number } | undefined {
    const w = this.rule.spec.pair!.window;
    const from = Math.max(0, start - w);
    const to = Math.min(this.text.length, end + w);
    if (from < this.regionFrom || to > this.regionTo) this.scan(from, Math.min(this.text.length, Math.max(to, from + 16 * w)));
    let best: { value: string; index: number; dist: number } | undefined;
    // parts are in text order: start at the first one at or after `from` (binary search).
    let lo = 0;
    let hi = this.parts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.parts[mid].index < from) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.parts.length && this.parts[i].index < to; i++) {
      const p = this.parts[i];
      if (p.index + p.value.length > to) continue;
      if (p.index < end && p.index + p.value.length > start) continue; // the primary itself
      const dist = Math.abs(p.index - start);
      if (!best || dist < best.dist) best = { ...p, dist };
    }
    return best && { value: best.value, index: best.index };
  }

  private scan(from: number, to: number): void {
    this.regionFrom = from;
    this.regionTo = to;
    this.parts = [];
    const slice = this.text.slice(from, to);
    const re = this.rule.pairRe!;
    re.lastIndex = 0;
    for (let m = re.exec(slice); m; m = re.exec(slice)) {
      if (m[0].length === 0) re.lastIndex++;
      const s = secretOf(m);
      if (!s || s.value.length === 0 || (!this.rule.spec.skip_placeholder_check && isPlaceholder(s.value))) continue;
      this.parts.push({ value: s.value, index: from + s.index });
    }
  }
}

const MARKER = 'nhi-audit:ignore';

/** The lines of a text that carry `nhi-audit:ignore`, with the rule ids each names (none = all). */
export class Suppressions {
  private readonly lines: Array<{ start: number; end: number; ids: string[] }> = [];

  constructor(text: string) {
    // One pass over the markers, so a long line with many matches costs no more than a short one.
    for (let at = text.indexOf(MARKER); at >= 0; at = text.indexOf(MARKER, at + MARKER.length)) {
      const start = text.lastIndexOf('\n', at) + 1;
      let end = text.indexOf('\n', at);
      if (end < 0) end = text.length;
      const rest = /^nhi-audit:ignore(?:[ \t:=]+([a-z0-9.,\s-]+))?/.exec(text.slice(at, Math.min(end, at + 400)));
      const ids = (rest?.[1] ?? '').split(/[\s,]+/).filter((x) => /^[a-z0-9][a-z0-9.-]*-[a-z0-9.-]+$/.test(x));
      const last = this.lines[this.lines.length - 1];
      if (last && last.start === start) last.ids = last.ids.length === 0 || ids.length === 0 ? [] : [...last.ids, ...ids];
      else this.lines.push({ start, end, ids });
      at = Math.max(at, end - MARKER.length);
    }
  }

  /** Is a match at `index` of `ruleId` on a suppressed line? (binary search over marked lines) */
  covers(index: number, ruleId: string): boolean {
    let lo = 0;
    let hi = this.lines.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const l = this.lines[mid];
      if (index < l.start) hi = mid - 1;
      else if (index > l.end) lo = mid + 1;
      else return l.ids.length === 0 || l.ids.includes(ruleId);
    }
    return false;
  }
}

/** The text's suppression comments, or undefined when it has none (most texts: one indexOf). */
export function suppressionsOf(text: string): Suppressions | undefined {
  return text.includes(MARKER) ? new Suppressions(text) : undefined;
}

/** `nhi-audit:ignore` on the line suppresses every rule; `nhi-audit:ignore rule-a,rule-b` only those. */
export function suppressedOnLine(text: string, index: number, ruleId: string): boolean {
  return new Suppressions(text).covers(index, ruleId);
}

/**
 * Every acceptable match of one rule in a text, or only in the given windows of it (see window.ts).
 * A windowed match that touches a window's edge may have been cut or shaped by the cut (a `\b` or a
 * lookaround that saw the window's end instead of the text): then the rule runs on the whole text.
 */
export function matchRule(rule: CompiledRule, text: string, windows?: readonly Window[], known?: Suppressions | null): RuleMatch[] {
  return traced(rule, () => matchRuleIn(rule, text, windows, known));
}

/** Runs one rule's matching with the tracer (if any) told which rule it is. */
function traced(rule: CompiledRule, run: () => RuleMatch[]): RuleMatch[] {
  if (!tracer) return run();
  tracer(rule);
  try {
    return run();
  } finally {
    tracer(undefined);
  }
}

/**
 * Told which rule is running (undefined: none). A detection worker sets it so that the pool's
 * watchdog, which cannot interrupt a regex, can name the rule when it stops a file that overran.
 */
let tracer: ((rule: CompiledRule | undefined) => void) | undefined;

export function traceRules(fn: ((rule: CompiledRule | undefined) => void) | undefined): void {
  tracer = fn;
}

function matchRuleIn(rule: CompiledRule, text: string, windows?: readonly Window[], known?: Suppressions | null): RuleMatch[] {
  // `known`: the caller already looked (null = the text has none); else look here.
  const suppressions = known === undefined ? suppressionsOf(text) : (known ?? undefined);
  // A value repeated through a file (a bundled constant, a generated list) is judged once.
  const verdicts = new Map<string, boolean>();
  if (!windows) return matchIn(rule, text, 0, text, suppressions, verdicts) ?? [];
  const out: RuleMatch[] = [];
  for (const [start, end] of windows) {
    const part = start === 0 && end === text.length ? text : text.slice(start, end);
    const found = matchIn(rule, part, start, text, suppressions, verdicts);
    if (!found) return matchIn(rule, text, 0, text, suppressions, verdicts) ?? [];
    out.push(...found);
  }
  return out;
}

/** Matches in `part`, which starts at `offset` of `text`; undefined when one touches a cut edge. */
function matchIn(rule: CompiledRule, part: string, offset: number, text: string, suppressions: Suppressions | undefined, verdicts: Map<string, boolean>): RuleMatch[] | undefined {
  const out: RuleMatch[] = [];
  const re = rule.re;
  const cutStart = offset > 0;
  const cutEnd = offset + part.length < text.length;
  const pairs: { finder?: PairFinder } = {};
  re.lastIndex = 0;
  for (let m = re.exec(part); m; m = re.exec(part)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if ((cutStart && m.index === 0) || (cutEnd && m.index + m[0].length === part.length)) return undefined;
    const match = accepted(rule, m, offset, text, suppressions, verdicts, pairs);
    if (match) out.push(match);
  }
  return out;
}

/**
 * Every acceptable match of a rule whose matches can only begin at the given offsets of the text
 * (ascending; see anchor.ts): the regex is tried once at each, sticky, instead of scanning the text.
 * The result is the same as a scan of the whole text: a scan resumes after each match, and so does
 * this loop (offsets inside a previous match are skipped).
 */
export function matchAt(rule: CompiledRule, text: string, starts: readonly number[], known?: Suppressions | null): RuleMatch[] {
  return traced(rule, () => matchAtIn(rule, text, starts, known));
}

function matchAtIn(rule: CompiledRule, text: string, starts: readonly number[], known?: Suppressions | null): RuleMatch[] {
  const suppressions = known === undefined ? suppressionsOf(text) : (known ?? undefined);
  const verdicts = new Map<string, boolean>();
  const pairs: { finder?: PairFinder } = {};
  const out: RuleMatch[] = [];
  const re = (rule.sticky ??= new RegExp(rule.re.source, rule.re.flags.replace('g', '') + 'y'));
  let after = 0;
  for (const at of starts) {
    if (at < after) continue;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m || m[0].length === 0) continue;
    after = at + m[0].length;
    const match = accepted(rule, m, 0, text, suppressions, verdicts, pairs);
    if (match) out.push(match);
  }
  return out;
}

/** The finding a regex match (in a part starting at `offset` of `text`) makes, if its secret passes the rule's filters. */
function accepted(
  rule: CompiledRule,
  m: RegExpExecArray,
  offset: number,
  text: string,
  suppressions: Suppressions | undefined,
  verdicts: Map<string, boolean>,
  pairs: { finder?: PairFinder },
): RuleMatch | undefined {
  const s = secretOf(m);
  if (!s) return undefined;
  let ok = verdicts.get(s.value);
  if (ok === undefined) verdicts.set(s.value, (ok = acceptable(rule, s.value)));
  if (!ok) return undefined;
  const index = offset + s.index;
  const match: RuleMatch = { ruleId: rule.spec.id, value: s.value, index, end: index + s.value.length };
  if (rule.spec.pair) {
    pairs.finder ??= new PairFinder(rule, text);
    const pair = pairs.finder.near(offset + m.index, offset + m.index + m[0].length);
    if (pair === undefined && rule.spec.pair.required) return undefined;
    if (pair !== undefined) {
      match.pair = pair.value;
      match.pairIndex = pair.index;
    }
  }
  if (suppressions?.covers(index, rule.spec.id)) return undefined;
  return match;
}
