/**
 * Keyword prefilter: one pass of an Aho–Corasick automaton over the raw bytes, case-insensitive
 * for ASCII, tells which rules can possibly match. Most files hit few keywords, so most rule
 * regexes never run, and a file that hits none is never even decoded to a string.
 */
const FOLD = new Uint8Array(256);
for (let i = 0; i < 256; i++) FOLD[i] = i >= 65 && i <= 90 ? i + 32 : i;

export class KeywordPrefilter {
  private readonly delta: Int32Array; // state * 256 + byte → next state
  private readonly out: Array<number[] | undefined>; // state → keyword ids that end here
  private readonly accepting: Uint8Array; // state → 1 when out[state] is set (keeps the hot loop on typed arrays)
  readonly keywords: string[];

  constructor(keywords: string[]) {
    this.keywords = keywords.map((k) => k.toLowerCase());
    const goto: Array<Map<number, number>> = [new Map()];
    const out: Array<number[] | undefined> = [undefined];
    this.keywords.forEach((kw, id) => {
      const bytes = Buffer.from(kw, 'latin1');
      let s = 0;
      for (const b of bytes) {
        const c = FOLD[b];
        let n = goto[s].get(c);
        if (n === undefined) {
          n = goto.length;
          goto.push(new Map());
          out.push(undefined);
          goto[s].set(c, n);
        }
        s = n;
      }
      (out[s] ??= []).push(id);
    });
    const n = goto.length;
    const delta = new Int32Array(n * 256);
    const fail = new Int32Array(n);
    // Breadth-first: complete the transition table so the scan loop has no failure walks.
    const queue: number[] = [];
    for (let c = 0; c < 256; c++) {
      const t = goto[0].get(c);
      if (t !== undefined) {
        delta[c] = t;
        fail[t] = 0;
        queue.push(t);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi];
      const fo = out[fail[s]];
      if (fo) out[s] = [...(out[s] ?? []), ...fo];
      for (let c = 0; c < 256; c++) {
        const t = goto[s].get(c);
        if (t !== undefined) {
          fail[t] = delta[fail[s] * 256 + c];
          delta[s * 256 + c] = t;
          queue.push(t);
        } else delta[s * 256 + c] = delta[fail[s] * 256 + c];
      }
    }
    this.delta = delta;
    this.out = out;
    this.accepting = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (out[i]) this.accepting[i] = 1;
  }

  /** Ids of the keywords present in `bytes` (ASCII case-insensitive). */
  hits(bytes: Uint8Array): Set<number> {
    const found = new Set<number>();
    const delta = this.delta;
    const accepting = this.accepting;
    const fold = FOLD;
    let s = 0;
    for (let i = 0, n = bytes.length; i < n; i++) {
      s = delta[(s << 8) | fold[bytes[i]]];
      if (accepting[s] === 1) for (const id of this.out[s]!) found.add(id);
    }
    return found;
  }
}
