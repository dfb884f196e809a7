import { parsePattern } from './rule-matcher.js';

/**
 * Anchored matching: most rules' matches begin with one of their keywords (`ghp_…`, `pat….…`,
 * `(?i)(?:github|gh)[\w.-]{0,20}…`). For those, a match can only start where the prefilter saw a
 * keyword begin, so the rule's regex is tried once at each such offset (sticky) instead of being
 * run over 4 KB windows or the whole text — same matches, a fraction of the regex work. This file
 * decides, from the pattern's text, which rules have that property; when in doubt it says no and
 * the rule keeps the windowed scan.
 */

/** Prefix sets larger than this are not worth tracking (the rule keeps the windowed scan). */
const MAX_PREFIXES = 256;
/** A character class with at most this many single characters counts as alternatives ([Dd]iscord). */
const MAX_CLASS = 8;

class GiveUp extends Error {}

interface Prefixes {
  /** Every match of the (sub)pattern begins with one of `done` or is exactly one of `open`. */
  done: Set<string>;
  /** Strings the (sub)pattern can match exactly: what follows it may extend them. */
  open: Set<string>;
}

type Atom = { kind: 'assert' } | { kind: 'other' } | { kind: 'lit'; chars: string[] } | { kind: 'group'; p: Prefixes };

function cross(a: Iterable<string>, b: Iterable<string>, into: Set<string>): Set<string> {
  for (const x of a) for (const y of b) into.add(x + y);
  if (into.size > MAX_PREFIXES) throw new GiveUp();
  return into;
}

class PrefixParser {
  private i = 0;

  constructor(
    private readonly src: string,
    private readonly fold: boolean,
  ) {}

  parse(): Set<string> {
    const p = this.alternation();
    if (this.i !== this.src.length) throw new GiveUp();
    return new Set([...p.done, ...p.open]);
  }

  private alternation(): Prefixes {
    const out = this.sequence();
    while (this.src[this.i] === '|') {
      this.i++;
      const b = this.sequence();
      for (const s of b.done) out.done.add(s);
      for (const s of b.open) out.open.add(s);
    }
    return out;
  }

  private sequence(): Prefixes {
    const done = new Set<string>();
    let open = new Set<string>(['']);
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      const q = this.quantifier() ?? { min: 1, max: 1 };
      if (open.size === 0 || atom.kind === 'assert') continue;
      if (atom.kind === 'other') {
        for (const s of open) done.add(s);
        open = new Set();
        continue;
      }
      const a: Prefixes = atom.kind === 'lit' ? { done: new Set(), open: new Set(atom.chars) } : atom.p;
      if (q.max !== 1) {
        // Repeated: what it matches past its first copy is not tracked.
        if (q.min === 0) for (const s of open) done.add(s);
        else cross(open, [...a.done, ...a.open], done);
        open = new Set();
        continue;
      }
      cross(open, a.done, done);
      if (open.size * (a.open.size + 1) > MAX_PREFIXES) {
        // Too many spellings to follow further: what is known so far is enough.
        for (const s of open) done.add(s);
        open = new Set();
        continue;
      }
      // Optional (x?, (?:ion)?): both with and without it.
      open = cross(open, a.open, q.min === 0 ? new Set(open) : new Set());
    }
    if (done.size > MAX_PREFIXES) throw new GiveUp();
    return { done, open };
  }

  private quantifier(): { min: number; max: number } | undefined {
    const c = this.src[this.i];
    let q: { min: number; max: number } | undefined;
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return undefined;
      this.i += m[0].length - 1;
      q = { min: Number(m[1]), max: m[2] ? (m[3] ? Number(m[3]) : Infinity) : Number(m[1]) };
    }
    if (!q) return undefined;
    this.i++;
    if (this.src[this.i] === '?') this.i++; // lazy
    return q;
  }

  private literal(c: string): Atom {
    return { kind: 'lit', chars: [this.fold ? c.toLowerCase() : c] };
  }

  private atom(): Atom {
    const c = this.src[this.i++];
    if (c === '\\') return this.escape();
    if (c === '[') return this.charClass();
    if (c === '(') return this.group();
    if (c === '^' || c === '$') return { kind: 'assert' };
    if (c === '.') return { kind: 'other' };
    if (c === '*' || c === '+' || c === '?') throw new GiveUp();
    return this.literal(c);
  }

  private escape(): Atom {
    const c = this.src[this.i++];
    if (c === undefined) throw new GiveUp();
    if (c === 'b' || c === 'B') return { kind: 'assert' };
    if (c === 'k') {
      const m = /^<[^>]*>/.exec(this.src.slice(this.i));
      if (m) this.i += m[0].length;
      return { kind: 'other' };
    }
    if (c === 'u' || c === 'p' || c === 'P' || c === 'x' || c === 'c') {
      const m = /^(?:\{[^}]*\}|[0-9A-Fa-f]{4}|[0-9A-Fa-f]{2}|[A-Za-z])/.exec(this.src.slice(this.i));
      if (m) this.i += m[0].length;
      return { kind: 'other' };
    }
    if (/[A-Za-z0-9]/.test(c)) return { kind: 'other' }; // \d \w \s \n \t \0 \1 …: not a plain character
    return this.literal(c);
  }

  private charClass(): Atom {
    const chars: string[] = [];
    let plain = this.src[this.i] !== '^';
    if (!plain) this.i++;
    for (;;) {
      const c = this.src[this.i++];
      if (c === undefined) throw new GiveUp();
      if (c === ']') break;
      if (c === '\\') {
        const e = this.src[this.i++];
        if (e === undefined) throw new GiveUp();
        if (/[A-Za-z0-9]/.test(e)) plain = false;
        else chars.push(e);
      } else if (c === '-' && chars.length > 0 && this.src[this.i] !== ']') plain = false;
      else chars.push(c);
    }
    if (!plain || chars.length === 0 || chars.length > MAX_CLASS) return { kind: 'other' };
    return { kind: 'lit', chars: [...new Set(chars.map((x) => (this.fold ? x.toLowerCase() : x)))] };
  }

  private group(): Atom {
    let look = false;
    if (this.src[this.i] === '?') {
      const rest = this.src.slice(this.i, this.i + 3);
      if (rest.startsWith('?:')) this.i += 2;
      else if (rest.startsWith('?=') || rest.startsWith('?!')) {
        this.i += 2;
        look = true;
      } else if (rest === '?<=' || rest === '?<!') {
        this.i += 3;
        look = true;
      } else if (rest.startsWith('?<')) {
        const m = /^\?<[A-Za-z_][A-Za-z0-9_]*>/.exec(this.src.slice(this.i));
        if (!m) throw new GiveUp();
        this.i += m[0].length;
      } else throw new GiveUp(); // inline modifiers and anything else unknown
    }
    const p = this.alternation();
    if (this.src[this.i++] !== ')') throw new GiveUp();
    return look ? { kind: 'assert' } : { kind: 'group', p };
  }
}

/**
 * The strings one of which every match of `pattern` begins with (lower-cased when the pattern is
 * case-insensitive), or undefined when that cannot be told from the pattern's text.
 */
export function matchPrefixes(pattern: string): { prefixes: string[]; ignoreCase: boolean } | undefined {
  const { source, flags } = parsePattern(pattern);
  const ignoreCase = flags.includes('i');
  try {
    const set = new PrefixParser(source, ignoreCase).parse();
    if (set.has('')) return undefined;
    return { prefixes: [...set], ignoreCase };
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
}

/**
 * Does every match of the pattern begin where one of the keywords begins? Then the rule can be run
 * anchored at its keyword hits. The prefilter finds keywords regardless of ASCII case; rules with
 * `keywords_match_case` keep only hits of the exact case, so their pattern must be case-sensitive
 * and begin with a keyword as written.
 */
export function anchoredAtKeywords(pattern: string, keywords: readonly string[], matchCase: boolean): boolean {
  const p = matchPrefixes(pattern);
  if (!p || keywords.length === 0) return false;
  if (matchCase) return !p.ignoreCase && p.prefixes.every((s) => keywords.some((k) => s.startsWith(k)));
  const kws = keywords.map((k) => k.toLowerCase());
  return p.prefixes.every((s) => kws.some((k) => s.toLowerCase().startsWith(k)));
}
