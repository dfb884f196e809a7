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
export class BpeScorer {
  /** "left\u0000right" → rank (lower merges first). */
  private readonly ranks = new Map<string, number>();

  constructor(merges: ReadonlyArray<readonly [string, string]>) {
    merges.forEach(([a, b], i) => {
      const k = `${a}\u0000${b}`;
      if (!this.ranks.has(k)) this.ranks.set(k, i);
    });
  }

  get size(): number {
    return this.ranks.size;
  }

  /** The value's tokens: characters, merged pair by pair in rank order (classic BPE encoding). */
  tokens(value: string): string[] {
    // Lower-cased, as the merges were trained: case is naming convention (camelCase, SCREAMING_SNAKE), not randomness.
    const parts = [...value.toLowerCase()];
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < parts.length; i++) {
        const r = this.ranks.get(`${parts[i]}\u0000${parts[i + 1]}`);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) return parts;
      parts.splice(best, 2, parts[best] + parts[best + 1]);
    }
  }

  /** Tokens per character, 0–1: ~0.2 for identifiers and words, ~0.7+ for random strings. */
  score(value: string): number {
    if (value.length === 0) return 0;
    return this.tokens(value).length / value.length;
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
