// Worst-case inputs for one secret rule, built from its own keyword and first example: long runs
// that almost match and then fail, the way a crafted file would make a backtracking regex work.
// Shared by test/redos.test.ts (1 MB) and test/bench/redos-10mb.mjs (10 MB).

/** `unit` repeated to exactly `size` characters. */
export function fill(unit, size) {
  return unit.repeat(Math.ceil(size / Math.max(1, unit.length))).slice(0, size);
}

/**
 * Named adversarial texts of `size` characters for a rule: its keyword followed by a run of one
 * class or of the whole token alphabet with no terminator, the keyword repeated with separators a
 * `\b` accepts, a value that keeps almost starting, and its example (or the example's first line,
 * for multi-line secrets such as armoured keys) cut short and repeated without a terminator. `kinds`
 * (a Set of names) builds only those.
 */
export function adversarial(spec, size, kinds) {
  const keyword = spec.keywords[0] ?? '';
  const ex = (spec.examples[0] ?? keyword).replace(/\s+$/, '');
  const firstLine = ex.split('\n')[0];
  const cut = ex.slice(0, Math.max(1, ex.length - 1));
  const all = [
    ['keyword + run of a', () => keyword + fill('a', size - keyword.length)],
    ['keyword=', () => fill(`${keyword}=`, size)],
    ['keyword-', () => fill(`${keyword}-`, size)],
    ['almost a value', () => fill(`${keyword}: "A1b2-`, size)],
    ['example cut short', () => fill(`${cut} `, size)],
    ['example cut, no separator', () => fill(cut, size)],
    ['first line repeated', () => fill(`${firstLine}\n`, size)],
    ['keyword + token alphabet', () => `${keyword} ${fill('0aZ9+/_-.', size - keyword.length - 1)}`],
  ];
  // Only the kinds asked for (a Set of names; all by default) are built: each is `size` characters.
  return all.filter(([name]) => !kinds || kinds.has(name)).map(([name, make]) => [name, make()]);
}
