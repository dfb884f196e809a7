// New credential values from a rule's own examples: characters of the secret are redrawn within their
// class (upper, lower, digit; hex and base32 stay hex and base32), the rule's keywords, separators and
// fixed prefixes are kept, and checksummed shapes are rebuilt (CRC32 tokens, JWT signatures, base64 of
// fixed length, base64 user:password). A value counts as generated only when the rule alone finds it
// in the example's line; otherwise the caller falls back to the example itself and counts that.
import { SecretScanner } from '../../../dist/detect/scanner.js';
import { tokenWithCrc32 } from '../../../dist/detect/validators.js';
import { ALNUM } from './rng.mjs';

const UP = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LO = 'abcdefghijklmnopqrstuvwxyz';
const DG = '0123456789';

/** The alphabets a value's characters of each class come from, judged from the value itself. */
function alphabets(value) {
  const ups = value.match(/[A-Z]/g) ?? [];
  const los = value.match(/[a-z]/g) ?? [];
  const dgs = value.match(/[0-9]/g) ?? [];
  const hexish = (xs, set) => xs.length > 0 && xs.every((c) => set.includes(c));
  const base32 = los.length === 0 && dgs.every((c) => '234567'.includes(c)) && ups.length > 8 && dgs.length > 0;
  return {
    upper: hexish(ups, 'ABCDEF') && (dgs.length > 0 || los.length === 0) && ups.length + dgs.length > 8 ? 'ABCDEF' : UP,
    lower: hexish(los, 'abcdef') && (dgs.length > 0 || ups.length === 0) && los.length + dgs.length > 8 ? 'abcdef' : LO,
    digit: base32 ? '234567' : DG,
  };
}

/** Positions of `value` that must not change: occurrences of the rule's keywords and a leading prefix. */
function protectedPositions(value, rule) {
  const keep = new Set();
  const lower = value.toLowerCase();
  for (const k of rule.keywords) {
    const kl = k.toLowerCase();
    if (kl.length === 0) continue;
    for (let i = lower.indexOf(kl); i >= 0; i = lower.indexOf(kl, i + 1)) for (let j = i; j < i + kl.length; j++) keep.add(j);
  }
  // A short letters-then-separator head (sk_live_, xoxb-, glpat-, dapi…) is a fixed prefix.
  const head = /^[A-Za-z]{2,10}[_-]/.exec(value);
  if (head) for (let j = 0; j < head[0].length; j++) keep.add(j);
  // Armor lines of a multi-line key (BEGIN/END, Proc-Type:, Comment:) and each body line's first
  // characters (the encoded structure's header: MII…, b3BlbnNzaC1rZXktdjE…) stay as written.
  if (value.includes('\n')) {
    for (const m of value.matchAll(/[^\n]*(?:-----|----|: )[^\n]*|(?:^|\n)[ \t"]*[A-Za-z0-9+/]{0,24}/g)) for (let j = m.index; j < m.index + m[0].length; j++) keep.add(j);
  }
  return keep;
}

/**
 * Redraw a share `rate` of the mutable characters of value[from, to). Each alphanumeric run keeps its
 * own alphabets (a token's hex tail stays hex after an alphanumeric id).
 */
export function redraw(value, rule, r, rate, from = 0, to = value.length) {
  const keep = protectedPositions(value, rule);
  const out = [...value];
  const whole = alphabets([...value].filter((_, i) => !keep.has(i)).join(''));
  for (const run of value.matchAll(/[A-Za-z0-9]+/g)) {
    const own = alphabets([...run[0]].filter((_, k) => !keep.has(run.index + k)).join(''));
    // A short run (a UUID's 4-hex group) takes the whole value's alphabets when it fits in them.
    const fits = (set, re) => (run[0].match(re) ?? []).every((c) => set.includes(c));
    const al = {
      upper: fits(whole.upper, /[A-Z]/g) && whole.upper.length < own.upper.length ? whole.upper : own.upper,
      lower: fits(whole.lower, /[a-z]/g) && whole.lower.length < own.lower.length ? whole.lower : own.lower,
      digit: fits(whole.digit, /[0-9]/g) && whole.digit.length < own.digit.length ? whole.digit : own.digit,
    };
    for (let i = Math.max(from, run.index); i < Math.min(to, run.index + run[0].length); i++) {
      if (keep.has(i) || !r.chance(rate)) continue;
      const c = out[i];
      if (c >= 'A' && c <= 'Z' && al.upper.includes(c)) out[i] = r.pick([...al.upper]);
      else if (c >= 'a' && c <= 'z' && al.lower.includes(c)) out[i] = r.pick([...al.lower]);
      else if (c >= '0' && c <= '9' && al.digit.includes(c)) out[i] = r.pick([...al.digit]);
    }
  }
  return out.join('');
}

/** Shape-specific rebuilds for validated values; undefined when the shape is not recognised. */
function rebuild(value, rule, r) {
  switch (rule.validator) {
    case 'github-crc32':
    case 'npm-crc32': {
      if (value.length < 37) return undefined;
      return tokenWithCrc32(value.slice(0, -36), r.str(ALNUM, 30));
    }
    case 'jwt': {
      const parts = value.split('.');
      if (parts.length < 3) return undefined;
      const sig = parts.length - 1;
      parts[sig] = redraw(parts[sig], { keywords: [] }, r, 0.7);
      return parts.join('.');
    }
    case 'base64-64-bytes':
      return r.bytes(64).toString('base64');
    case 'basic-auth-base64': {
      let d;
      try {
        d = Buffer.from(value, 'base64').toString('latin1');
      } catch {
        return undefined;
      }
      const i = d.indexOf(':');
      if (i < 0) return undefined;
      return Buffer.from(d.slice(0, i + 1) + redraw(d.slice(i + 1), { keywords: [] }, r, 0.7)).toString('base64');
    }
    default:
      return undefined;
  }
}

const scanners = new Map();
/** The rule on its own: the prefilter with its keywords, its regex, validator, entropy and placeholder filters. */
export function soloScanner(rule) {
  let s = scanners.get(rule.id);
  if (!s) scanners.set(rule.id, (s = new SecretScanner([rule])));
  return s;
}

/** The rule's first match in an example: the secret as written (for an encoded one, its encoded form). */
export function secretIn(rule, example) {
  const ms = soloScanner(rule).scanText(example, 'example.txt').filter((x) => x.ruleId === rule.id);
  const m = ms.find((x) => example.slice(x.index, x.end) === x.value) ?? ms[0];
  return m ? { value: example.slice(m.index, m.end), index: m.index, end: m.end } : undefined;
}

/** Does the rule alone find exactly `value` at `index` of `text`? */
function finds(rule, text, value, index) {
  return soloScanner(rule)
    .scanText(text, 'example.txt')
    .some((m) => m.ruleId === rule.id && m.index === index && text.slice(m.index, m.end) === value);
}

/**
 * A new value for the example's secret, with the example's line rewritten around it. Strategies are
 * tried from the most to the least changed; `generated: false` means every one failed and the example
 * itself is returned.
 */
export function newValue(rule, example, r) {
  const s = secretIn(rule, example);
  if (!s) return undefined;
  const tries = [];
  const rb = rebuild(s.value, rule, r);
  if (rb) tries.push(rb);
  for (const rate of [0.7, 0.5, 0.3]) tries.push(redraw(s.value, rule, r, rate));
  const half = s.value.length >> 1;
  for (let k = 0; k < 3; k++) tries.push(redraw(s.value, rule, r, 0.5, half));
  for (const v of tries) {
    if (v === s.value) continue;
    const line = example.slice(0, s.index) + v + example.slice(s.end);
    if (finds(rule, line, v, s.index)) return { line, value: v, original: s.value, index: s.index, generated: true };
  }
  return { line: example, value: s.value, original: s.value, index: s.index, generated: false };
}
