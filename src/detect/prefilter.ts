/**
 * Keyword prefilter: one pass of an Aho–Corasick automaton over the raw bytes, case-insensitive
 * for ASCII, tells which rules can possibly match. Most files hit few keywords, so most rule
 * regexes never run, and a file that hits none is never even decoded to a string.
 */
const FOLD = new Uint8Array(256);
for (let i = 0; i < 256; i++) FOLD[i] = i >= 65 && i <= 90 ? i + 32 : i;

export class KeywordPrefilter {
  private readonly delta: Int32Array; // row(state) + class(byte) → row(next state)
  private readonly classOf: Uint8Array; // byte → class (case-folded)
  private readonly out: Array<number[] | undefined>; // row(state) → keyword ids that end here
  private readonly accepting: Uint8Array; // row(state) → 1 when out[row] is set (keeps the hot loop on typed arrays)
  readonly keywords: string[];
  private readonly scratch: Array<number[] | undefined>;

  constructor(keywords: string[]) {
    this.keywords = keywords.map((k) => k.toLowerCase());
    this.scratch = new Array<number[] | undefined>(this.keywords.length).fill(undefined);
    // Bytes that occur in no keyword behave alike: give each keyword byte its own class and all other
    // bytes class 0, so the table is states × classes (~40), not states × 256, and stays in cache.
    // The automaton is built in class space from the start: a states × 256 table, even only while
    // building, took ~25 MB per detection thread with the full catalog's keywords.
    const cls = new Uint8Array(256);
    let classes = 1;
    for (const kw of this.keywords) for (const b of Buffer.from(kw, 'latin1')) if (cls[FOLD[b]] === 0) cls[FOLD[b]] = classes++;
    for (let b = 0; b < 256; b++) cls[b] = cls[FOLD[b]];
    const goto: Array<Map<number, number>> = [new Map()];
    const out: Array<number[] | undefined> = [undefined];
    this.keywords.forEach((kw, id) => {
      let s = 0;
      for (const b of Buffer.from(kw, 'latin1')) {
        const c = cls[b];
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
    // Breadth-first: complete the transition table so the scan loop has no failure walks. States are
    // stored as row offsets (state × classes), so the hot loop is one add and two loads.
    const delta = new Int32Array(n * classes);
    const fail = new Int32Array(n);
    const queue: number[] = [];
    for (let c = 0; c < classes; c++) {
      const t = goto[0].get(c);
      if (t !== undefined) {
        delta[c] = t * classes;
        queue.push(t);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi];
      const fo = out[fail[s]];
      if (fo) out[s] = [...(out[s] ?? []), ...fo];
      for (let c = 0; c < classes; c++) {
        const t = goto[s].get(c);
        if (t !== undefined) {
          fail[t] = delta[fail[s] * classes + c] / classes;
          delta[s * classes + c] = t * classes;
          queue.push(t);
        } else delta[s * classes + c] = delta[fail[s] * classes + c];
      }
    }
    this.delta = delta;
    this.classOf = cls;
    this.out = [];
    this.accepting = new Uint8Array(n * classes);
    for (let i = 0; i < n; i++) {
      if (out[i]) {
        this.accepting[i * classes] = 1;
        this.out[i * classes] = out[i];
      }
    }
  }

  /** Ids of the keywords present in `bytes` (ASCII case-insensitive). */
  hits(bytes: Uint8Array): Set<number> {
    return new Set(this.occurrences(bytes).keys());
  }

  /** Each keyword present in `bytes` (ASCII case-insensitive), with the end offsets of its occurrences. */
  occurrences(bytes: Uint8Array): Map<number, number[]> {
    // Hits go into an array indexed by keyword id (reused between calls; left empty after each), not
    // a Map: a file with many hits costs an index per hit, and more keywords cost nothing per byte.
    const at = this.scratch;
    const touched: number[] = [];
    const delta = this.delta;
    const accepting = this.accepting;
    const cls = this.classOf;
    let s = 0;
    for (let i = 0, n = bytes.length; i < n; i++) {
      s = delta[s + cls[bytes[i]]];
      if (accepting[s] === 1) {
        for (const id of this.out[s]!) {
          const ends = at[id];
          if (ends) ends.push(i + 1);
          else {
            at[id] = [i + 1];
            touched.push(id);
          }
        }
      }
    }
    const found = new Map<number, number[]>();
    for (const id of touched) {
      found.set(id, at[id]!);
      at[id] = undefined;
    }
    return found;
  }
}
