import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES_DIR } from '../util/paths.js';

/**
 * A randomness score from a byte-pair tokenizer: how many tokens a value splits into per character.
 * The merges (rules/data/bpe-merges.txt, trained by test/bench/randomness.mjs on identifiers and words
 * of package sources) join the character sequences of code and prose, so a name or a phrase becomes
 * a few long tokens (low score) while a random string stays many short ones (high score).
 * Measured against the Shannon entropy floor by that bench (README, "The generic rule's filter"); a rule
 * opts in with `randomness:`. It runs only on the few values a rule's regex captured and its other
 * filters kept, so the quadratic merge loop on a value of at most a few hundred characters is cheap.
 */
/** Pair keys are left id * PAIR + right id: numbers, so the merge loop builds no strings. */
const PAIR = 2 ** 21;
/** A value is judged by its first MAX characters: randomness shows in a prefix, and the merge loop is quadratic. */
const MAX = 64;

export class BpeScorer {
  /** Token text by id; id 0 is any character the merges never name (it takes part in no merge). */
  private readonly names: string[] = [''];
  private readonly ids = new Map<string, number>();
  /** Pair key → rank (lower merges first), and → the id of the merged token. */
  private readonly rank = new Map<number, number>();
  private readonly merged = new Map<number, number>();

  constructor(merges: ReadonlyArray<readonly [string, string]>) {
    merges.forEach(([a, b], r) => {
      const k = this.id(a) * PAIR + this.id(b);
      if (this.rank.has(k)) return;
      this.rank.set(k, r);
      this.merged.set(k, this.id(a + b));
    });
  }

  private id(token: string): number {
    let i = this.ids.get(token);
    if (i === undefined) {
      i = this.names.length;
      this.ids.set(token, i);
      this.names.push(token);
    }
    return i;
  }

  get size(): number {
    return this.rank.size;
  }

  /**
   * The value's tokens: characters (lower-cased, as the merges were trained: case is naming convention,
   * camelCase or SCREAMING_SNAKE, not randomness), merged pair by pair in rank order (classic BPE).
   */
  tokens(value: string): string[] {
    const chars = [...value.slice(0, MAX).toLowerCase()];
    const ids = chars.map((c) => this.ids.get(c) ?? 0);
    const text = [...chars];
    this.merge(ids, text);
    return text;
  }

  /** Tokens per character, 0–1: ~0.2 for identifiers and words, ~0.7+ for random strings. */
  score(value: string): number {
    if (value.length === 0) return 0;
    const s = value.slice(0, MAX).toLowerCase();
    const ids: number[] = [];
    for (const c of s) ids.push(this.ids.get(c) ?? 0);
    const n = ids.length;
    return this.merge(ids) / n;
  }

  /** Merges `ids` in place (and `text` alongside, when given); returns the token count. */
  private merge(ids: number[], text?: string[]): number {
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      let bestKey = 0;
      for (let i = 0; i + 1 < ids.length; i++) {
        const k = ids[i] * PAIR + ids[i + 1];
        const r = this.rank.get(k);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
          bestKey = k;
        }
      }
      if (best < 0) return ids.length;
      ids.splice(best, 2, this.merged.get(bestKey)!);
      text?.splice(best, 2, text[best] + text[best + 1]);
    }
  }
}

/** Parses the merges file: one merge per line, "left right" (tokens never hold spaces); # comments. */
export function parseMerges(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const sp = line.indexOf(' ');
    if (sp <= 0 || sp === line.length - 1) continue;
    out.push([line.slice(0, sp), line.slice(sp + 1)]);
  }
  return out;
}

export const MERGES_FILE = join(RULES_DIR, 'data', 'bpe-merges.txt');

let shared: BpeScorer | undefined;

/** The packaged scorer, loaded once per process (per worker) on first use. */
export function bpeScorer(): BpeScorer {
  return (shared ??= new BpeScorer(parseMerges(readFileSync(MERGES_FILE, 'utf8'))));
}
