import { parsePattern } from './rule-matcher.js';

/**
 * Windowed matching: a rule's regex runs only on the parts of a text near its keywords, so its cost
 * follows the keyword hits, not the file size (a 5 MB bundle that says "token" twice costs two small
 * windows, not 5 MB of regex work per candidate rule). Rules whose matches can be long or span
 * lines (private keys, kubeconfigs, base64 documents) still run on the whole text.
 */

/** Characters on each side of a keyword occurrence in which a rule's match must lie. */
export const REACH = 2048;

/** Windows that together cover more than this share of the text are replaced by the whole text. */
const WHOLE_SHARE = 0.5;

/** A half-open range [start, end) of a text. */
export type Window = readonly [number, number];

/** Lookarounds do not consume text; drop them (one nesting level is enough for the rule set). */
const LOOKAROUND = /\(\?<?[=!](?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)/g;

/**
 * Can a match of this pattern be trusted to lie within REACH of its keyword? Not when it can
 * consume newlines on purpose ([\s\S], the s flag, \n or \r outside a lookaround) or when its
 * quantifier bounds add up to more than the reach allows.
 */
export function windowable(pattern: string): boolean {
  const { source, flags } = parsePattern(pattern);
  if (flags.includes('s')) return false;
  const consuming = source.replace(LOOKAROUND, '');
  if (/\[\\s\\S\]|\[\\S\\s\]|\[\\w\\W\]|\[\\d\\D\]|\\n|\\r/.test(consuming)) return false;
  let bounds = 0;
  for (const m of consuming.matchAll(/\{(\d+)(?:,(\d*))?\}/g)) bounds += Number(m[2] || m[1]);
  return bounds < REACH / 2;
}

/**
 * The windows of one rule: REACH around each occurrence (given as its end offset) of its keywords,
 * merged. `undefined` means "scan the whole text" (no hits given, or the windows cover most of it).
 */
export function windowsAround(ends: Array<{ ends: readonly number[]; length: number }>, textLength: number): Window[] | undefined {
  const spans: Array<[number, number]> = [];
  for (const k of ends) for (const e of k.ends) spans.push([Math.max(0, e - k.length - REACH), Math.min(textLength, e + REACH)]);
  if (spans.length === 0) return undefined;
  spans.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [spans[0]];
  let covered = 0;
  for (const s of spans.slice(1)) {
    const last = merged[merged.length - 1];
    if (s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push(s);
  }
  for (const [a, b] of merged) covered += b - a;
  return covered > textLength * WHOLE_SHARE ? undefined : merged;
}
