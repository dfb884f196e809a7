#!/usr/bin/env node
// Tokenizer (BPE) randomness vs Shannon entropy as the generic assignment rule's filter (issue 14).
// After `npm run build`:
//   node test/bench/randomness.mjs train [--corpus DIR] [--merges 4000] [--out FILE]
//       trains byte-pair merges on the identifiers and words of half the packages of DIR (default: the
//       package's node_modules; a package is in the training half by a hash of its name) and writes
//       rules/data/bpe-merges.txt;
//   node test/bench/randomness.mjs eval [--corpus DIR] [--every N] [--merges-file FILE] [--json]
//       builds a labeled set — secrets: every rule example's secret (the full catalog) and random values
//       of many alphabets and lengths; non-secrets: identifiers, paths, word phrases, version strings and
//       the values the generic rule's regex captures in the *other* half of the packages — and reports
//       recall / precision / false-positive rate of the entropy floor and of tokens-per-character
//       thresholds, on every value and on the values the rule's other filters let through (the ones the
//       filter actually decides), then the generic rule's finding count on every Nth file of DIR with each.
// UUIDs and hex/base64 digests are left out of the non-secrets on purpose: they are random, no
// randomness measure can tell them from a key, and the rule drops them by shape (exclude_values).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BpeScorer, MERGES_FILE, parseMerges } from '../../dist/detect/randomness.js';
import { shannonEntropy } from '../../dist/detect/entropy.js';
import { isPlaceholder } from '../../dist/detect/placeholder.js';
import { compileRule } from '../../dist/detect/rule-matcher.js';
import { SecretScanner } from '../../dist/detect/scanner.js';
import { loadSecretRules } from '../../dist/rules/catalog.js';
import { ALNUM, B64, DIGITS, HEX, LOWER, Rng, UPPER } from './lib/rng.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const corpus = opt('--corpus', join(ROOT, 'node_modules'));
const log = (s) => process.stdout.write(`${s}\n`);
const GENERIC = 'generic-secret-assignment';
const TEXT_EXT = /\.(?:[cm]?js|tsx?|md|json|ya?ml|txt|py|rb|go|java|cs|php|sh)$/i;

/** Package-source files of `dir` in a stable order, with the package each belongs to. */
function* sourceFiles(dir) {
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile() && TEXT_EXT.test(e.name) && !/\.min\.js$/.test(e.name)) {
        const rel = relative(dir, p);
        const parts = rel.split(/[\\/]/);
        const pkg = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
        yield { path: p, rel, pkg };
      }
    }
  }
}

/** Which half a package is in: training (0) or evaluation (1). */
function half(pkg) {
  let h = 2166136261;
  for (let i = 0; i < pkg.length; i++) h = Math.imul(h ^ pkg.charCodeAt(i), 16777619);
  return (h >>> 0) % 2;
}

function read(path) {
  try {
    if (statSync(path).size > 2 * 1024 * 1024) return undefined;
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

// ---- training -------------------------------------------------------------------------------------

/** A max-heap of [count, key] with lazy deletion (stale entries are re-checked when popped). */
class Heap {
  a = [];
  push(x) {
    const a = this.a;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (a[p][0] >= a[i][0]) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop() {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l][0] > a[m][0]) m = l;
        if (r < a.length && a[r][0] > a[m][0]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

/** Classic BPE on a word-frequency table: repeatedly merge the most frequent adjacent pair. */
export function trainBpe(freqs, nMerges) {
  const words = [];
  const counts = [];
  for (const [w, c] of freqs) {
    words.push([...w]);
    counts.push(c);
  }
  const pairCount = new Map();
  const where = new Map();
  const bump = (k, wi, c, touched) => {
    pairCount.set(k, (pairCount.get(k) ?? 0) + c);
    if (c > 0) {
      let s = where.get(k);
      if (!s) where.set(k, (s = new Set()));
      s.add(wi);
    }
    touched?.add(k);
  };
  words.forEach((sy, wi) => {
    for (let i = 0; i + 1 < sy.length; i++) bump(`${sy[i]}\u0000${sy[i + 1]}`, wi, counts[wi]);
  });
  const heap = new Heap();
  for (const [k, c] of pairCount) heap.push([c, k]);
  const merges = [];
  while (merges.length < nMerges && heap.a.length > 0) {
    const [c, k] = heap.pop();
    const now = pairCount.get(k) ?? 0;
    if (now !== c) {
      if (now > 0) heap.push([now, k]); // stale: its true (lower) count goes back in
      continue;
    }
    if (c < 2) break;
    const [a, b] = k.split('\u0000');
    merges.push([a, b]);
    const touched = new Set();
    for (const wi of where.get(k) ?? []) {
      const sy = words[wi];
      const wc = counts[wi];
      for (let i = 0; i + 1 < sy.length; i++) bump(`${sy[i]}\u0000${sy[i + 1]}`, wi, -wc, touched);
      const ns = [];
      for (let i = 0; i < sy.length; ) {
        if (i + 1 < sy.length && sy[i] === a && sy[i + 1] === b) {
          ns.push(a + b);
          i += 2;
        } else ns.push(sy[i++]);
      }
      words[wi] = ns;
      for (let i = 0; i + 1 < ns.length; i++) bump(`${ns[i]}\u0000${ns[i + 1]}`, wi, wc, touched);
    }
    where.delete(k);
    pairCount.delete(k);
    for (const t of touched) {
      const n = pairCount.get(t) ?? 0;
      if (n > 0) heap.push([n, t]);
    }
  }
  return merges;
}

function train() {
  const nMerges = Number(opt('--merges', '4000'));
  const freqs = new Map();
  let files = 0;
  let bytes = 0;
  for (const f of sourceFiles(corpus)) {
    if (half(f.pkg) !== 0) continue;
    const t = read(f.path);
    if (t === undefined) continue;
    files++;
    bytes += t.length;
    for (const m of t.matchAll(/[A-Za-z0-9_]{2,32}/g)) {
      const w = m[0].toLowerCase(); // case is naming convention (camelCase, SCREAMING_SNAKE), not randomness
      freqs.set(w, (freqs.get(w) ?? 0) + 1);
    }
  }
  // Words seen at least 3 times: names and prose, not the one-off random strings (hashes, ids) in sources.
  const kept = new Map([...freqs].filter(([, c]) => c >= 3).sort((a, b) => b[1] - a[1]).slice(0, 60000));
  const t0 = performance.now();
  const merges = trainBpe(kept, nMerges);
  const header = [
    '# Byte-pair merges for the tokenizer randomness score (src/detect/randomness.ts), one per line: "left right".',
    `# Trained by \`node test/bench/randomness.mjs train\` on the words of ${files} package source files`,
    `# (${(bytes / 1048576).toFixed(0)} MB; ${kept.size} distinct lower-cased words seen 3+ times, from half of the packages, by a hash of their names).`,
  ];
  const outFile = opt('--out', MERGES_FILE);
  writeFileSync(outFile, `${header.join('\n')}\n${merges.map(([a, b]) => `${a} ${b}`).join('\n')}\n`);
  log(`trained ${merges.length} merges on ${files} files (${(bytes / 1048576).toFixed(1)} MB, ${kept.size} words) in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${outFile}`);
}

// ---- labeled set ------------------------------------------------------------------------------------

/** A value the generic rule's regex could capture (no blanks, quotes or separators; 10–200 chars). */
const CANDIDATE = /^[^\s"'`;,<>(){}[\]=\\]{10,200}={0,2}$/;

function positives(rules, scanner, rng, words) {
  const out = new Map();
  for (const r of rules) {
    for (const ex of r.examples) {
      for (const m of scanner.scanText(ex)) if (m.ruleId === r.id && CANDIDATE.test(m.value)) out.set(m.value, `example:${r.group}`);
    }
  }
  const PUNCT = '!#$%&*+-./:?@^_|~';
  const alphabets = { base62: ALNUM, base64: B64, base64url: ALNUM + '-_', lower_digits: LOWER + DIGITS, upper_digits: UPPER + DIGITS, hex: HEX, password: ALNUM + PUNCT };
  for (const [name, abc] of Object.entries(alphabets)) {
    for (const n of [10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 64]) {
      if (name === 'hex' && [32, 40, 64].includes(n)) continue; // digest lengths: excluded by shape
      for (let i = 0; i < 15; i++) {
        let v = rng.str(abc, n);
        if (!/[0-9]/.test(v)) v = v.slice(0, -1) + rng.str(DIGITS, 1); // the rule wants a digit and a letter
        if (!/[A-Za-z]/.test(v)) v = rng.str(LOWER, 1) + v.slice(1);
        out.set(v, `random:${name}`);
      }
    }
  }
  // Human-chosen passwords: words, digits and a symbol (Summer2024!, blue-Tiger-77). Real secrets that are
  // not random strings: reported as their own class, since no randomness measure should keep them apart
  // from identifiers and phrases with digits.
  for (let k = 0; k < 300; k++) {
    const w = () => rng.pick(words);
    const cap = (x) => x[0].toUpperCase() + x.slice(1);
    const v = rng.pick([
      () => `${cap(w())}${rng.int(1, 9999)}${rng.pick(['!', '#', '@', '$', ''])}`,
      () => `${w()}${rng.pick(['-', '_', '.', '@', '#'])}${cap(w())}${rng.int(1, 99)}`,
      () => `${cap(w())}${cap(w())}${rng.int(10, 99)}${rng.pick(['!', '?', '*'])}`,
      () => `${w()}${rng.int(1, 9)}${w()}${rng.int(1, 9)}`.replace(/a/g, '@').replace(/o/g, '0'),
    ])();
    if (CANDIDATE.test(v)) out.set(v, 'human-password');
  }
  return out;
}

function negatives(rng, generic) {
  const out = new Map();
  const idents = new Map();
  const words = new Set();
  const paths = [];
  const every = Number(opt('--every', '3'));
  const captured = []; // what the generic rule's regex captures in the evaluation half (before any filter)
  let i = 0;
  for (const f of sourceFiles(corpus)) {
    if (half(f.pkg) !== 1 || i++ % every !== 0) continue;
    const t = read(f.path);
    if (t === undefined) continue;
    if (paths.length < 5000) paths.push(f.rel.replace(/\\/g, '/'));
    for (const m of t.matchAll(/\b[A-Za-z_$][\w$]{9,60}\b/g)) idents.set(m[0], (idents.get(m[0]) ?? 0) + 1);
    if (/\.md$/i.test(f.path)) for (const m of t.matchAll(/\b[a-z]{3,12}\b/g)) words.add(m[0]);
    generic.re.lastIndex = 0;
    for (const m of t.matchAll(generic.re)) if (m.groups?.secret) captured.push(m.groups.secret);
  }
  for (const v of captured) out.set(v, 'captured:node_modules');
  const idList = rng.shuffle([...idents.keys()]);
  for (const v of idList.filter((x) => /[0-9]/.test(x)).slice(0, 1500)) out.set(v, 'identifier:with-digit');
  for (const v of idList.filter((x) => !/[0-9]/.test(x)).slice(0, 1500)) out.set(v, 'identifier');
  for (const p of rng.shuffle(paths).slice(0, 1000)) if (CANDIDATE.test(p)) out.set(p, 'path');
  const wl = [...words];
  for (let k = 0; k < 1500; k++) {
    const n = rng.int(2, 5);
    const parts = Array.from({ length: n }, () => rng.pick(wl));
    const sep = rng.pick(['-', '_', '.', '', '/']);
    let v = sep === '' ? parts.map((w, j) => (j ? w[0].toUpperCase() + w.slice(1) : w)).join('') : parts.join(sep);
    if (rng.chance(0.5)) v += rng.pick(['1', '2', '3', '42', '2024', 'v2', '_v1', '-01']);
    if (CANDIDATE.test(v)) out.set(v, 'phrase');
  }
  for (let k = 0; k < 400; k++) {
    const [a, b, c] = [rng.int(0, 30), rng.int(0, 99), rng.int(0, 999)];
    const v = rng.pick([`${a}.${b}.${c}-beta.${rng.int(1, 9)}`, `v${a}.${b}.${c}`, `node-v${a}.${b}.${c}-linux-x64`, `${a}.${b}.${c}+build.${rng.int(1, 9999)}`, `release-${2000 + a}.${b}-rc${rng.int(1, 9)}`, `python${rng.int(2, 3)}.${b}-slim-bookworm`]);
    if (CANDIDATE.test(v)) out.set(v, 'version');
  }
  return { out, captured, words: wl };
}

// ---- evaluation -------------------------------------------------------------------------------------

function evaluate() {
  const rules = loadSecretRules();
  const rng = new Rng('randomness-bench');
  const scorer = new BpeScorer(parseMerges(readFileSync(opt('--merges-file', MERGES_FILE), 'utf8')));
  // The catalog with the generic rule's floor (entropy or randomness) removed: what its regex and other filters let through.
  const open = rules.map((r) => (r.id === GENERIC ? { ...r, entropy: undefined, randomness: undefined } : r));
  const scanner = new SecretScanner(open);
  const generic = compileRule(open.find((r) => r.id === GENERIC));
  const t0 = performance.now();
  const { out: neg, captured, words } = negatives(rng, generic);
  const pos = positives(rules, new SecretScanner(rules), rng, words);
  for (const v of pos.keys()) neg.delete(v);
  const passesOthers = (v) => !isPlaceholder(v) && !generic.excludes.some((re) => re.test(v));
  const filters = [
    ...[2.5, 3, 3.5, 4].map((e) => ({ name: `entropy >= ${e}`, keep: (v) => shannonEntropy(v) >= e })),
    ...[0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7].map((t) => ({ name: `bpe >= ${t}`, t, keep: (v) => scorer.score(v) >= t })),
    ...[0.4, 0.45, 0.5, 0.55].map((t) => ({ name: `bpe >= ${t} & entropy >= 3`, keep: (v) => scorer.score(v) >= t && shannonEntropy(v) >= 3 })),
    // Either measure: the tokenizer rescues short or small-alphabet random values under the entropy floor.
    ...[0.5, 0.6, 0.7].map((t) => ({ name: `entropy >= 3 | bpe >= ${t}`, keep: (v) => shannonEntropy(v) >= 3 || scorer.score(v) >= t })),
  ];
  const result = { labeled: {}, views: {}, nodeModules: {} };
  const byKind = (m) => [...m.values()].reduce((acc, k) => ((acc[k.split(':')[0] + ':' + (k.split(':')[1] ?? '')] = (acc[k.split(':')[0] + ':' + (k.split(':')[1] ?? '')] ?? 0) + 1), acc), {});
  result.labeled = { secrets: pos.size, nonSecrets: neg.size, secretKinds: byKind(new Map([...pos].map(([v, k]) => [v, k.startsWith('example') ? 'example:' : k]))), nonSecretKinds: byKind(neg) };
  for (const view of ['all values', 'after the rule\u2019s other filters']) {
    const P = [...pos.keys()].filter((v) => view === 'all values' || passesOthers(v));
    const N = [...neg.keys()].filter((v) => view === 'all values' || passesOthers(v));
    const rows = filters.map((f) => {
      const tp = P.filter(f.keep).length;
      const fp = N.filter(f.keep).length;
      const fpKinds = {};
      for (const v of N) if (f.keep(v)) fpKinds[neg.get(v)] = (fpKinds[neg.get(v)] ?? 0) + 1;
      const missed = {};
      for (const v of P) if (!f.keep(v)) missed[pos.get(v).split(':')[0]] = (missed[pos.get(v).split(':')[0]] ?? 0) + 1;
      return { filter: f.name, recall: +(tp / P.length).toFixed(3), precision: +(tp / Math.max(1, tp + fp)).toFixed(3), fpr: +(fp / N.length).toFixed(4), tp, fp, fpKinds, missed };
    });
    result.views[view] = { secrets: P.length, nonSecrets: N.length, rows };
  }
  // The generic rule's findings on the package sources (every Nth file of the whole corpus) with each filter.
  const every = Number(opt('--every', '3'));
  const found = [];
  let files = 0;
  let bytes = 0;
  let i = 0;
  for (const f of sourceFiles(corpus)) {
    if (i++ % every !== 0) continue;
    const t = read(f.path);
    if (t === undefined) continue;
    files++;
    bytes += t.length;
    for (const m of scanner.scanText(t, f.path)) if (m.ruleId === GENERIC) found.push({ value: m.value, at: `${f.rel}:${m.line}` });
  }
  result.nodeModules = {
    files,
    MB: +(bytes / 1048576).toFixed(1),
    withoutFloor: found.length,
    rows: filters.map((f) => {
      const kept = found.filter((x) => f.keep(x.value));
      return { filter: f.name, findings: kept.length, distinct: new Set(kept.map((x) => x.value)).size };
    }),
    examples: Object.fromEntries(filters.filter((f) => /^(?:entropy >= 3|bpe >= 0\.5)$/.test(f.name)).map((f) => [f.name, found.filter((x) => f.keep(x.value)).slice(0, 12).map((x) => `${x.at} ${x.value.slice(0, 4)}… (${x.value.length} chars, bpe ${scorer.score(x.value).toFixed(2)}, H ${shannonEntropy(x.value).toFixed(2)})`)])),
  };
  result.capturedInEvalHalf = captured.length;
  // Cost: the score of one captured value, on average.
  const sample = [...pos.keys(), ...neg.keys()];
  const c0 = performance.now();
  for (const v of sample) scorer.score(v);
  result.scoreMicrosPerValue = +(((performance.now() - c0) * 1000) / sample.length).toFixed(1);
  result.seconds = +((performance.now() - t0) / 1000).toFixed(1);
  return result;
}

function print(r) {
  log(`labeled set: ${r.labeled.secrets} secrets ${JSON.stringify(r.labeled.secretKinds)}`);
  log(`             ${r.labeled.nonSecrets} non-secrets ${JSON.stringify(r.labeled.nonSecretKinds)}`);
  for (const [view, v] of Object.entries(r.views)) {
    log(`\n${view}: ${v.secrets} secrets, ${v.nonSecrets} non-secrets`);
    log('| filter | recall | precision | false-positive rate | TP | FP | secrets missed, by kind | non-secrets kept, by kind |\n|---|---|---|---|---|---|---|---|');
    for (const x of v.rows) log(`| ${x.filter} | ${x.recall} | ${x.precision} | ${x.fpr} | ${x.tp} | ${x.fp} | ${JSON.stringify(x.missed)} | ${JSON.stringify(x.fpKinds)} |`);
  }
  log(`\ngeneric rule on ${r.nodeModules.files} package source files (${r.nodeModules.MB} MB): ${r.nodeModules.withoutFloor} captures without a floor`);
  log('| filter | findings | distinct values |\n|---|---|---|');
  for (const x of r.nodeModules.rows) log(`| ${x.filter} | ${x.findings} | ${x.distinct} |`);
  for (const [f, ex] of Object.entries(r.nodeModules.examples)) log(`\n${f}:\n  ${ex.join('\n  ')}`);
  log(`\nscore: ${r.scoreMicrosPerValue} µs per value; ${r.seconds} s in all`);
}

const cmd = args[0];
if (cmd === 'train') train();
else if (cmd === 'eval') {
  const r = evaluate();
  if (args.includes('--json')) log(JSON.stringify(r, null, 1));
  else print(r);
} else {
  process.stderr.write('usage: node test/bench/randomness.mjs train|eval [--corpus DIR] [--merges N] [--every N] [--json]\n');
  process.exit(2);
}
