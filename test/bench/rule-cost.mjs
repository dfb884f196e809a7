#!/usr/bin/env node
// Where detection time goes, per rule: runs the engine's own pieces (decode, keyword prefilter,
// each candidate rule's matcher) in one thread over a directory and times each step.
//   node test/bench/rule-cost.mjs DIR [--every N]   (scan every Nth file; default 1)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeBuffer } from '../../dist/detect/decode.js';
import * as matcher from '../../dist/detect/rule-matcher.js';
import { SecretScanner } from '../../dist/detect/scanner.js';
import { loadSecretRules } from '../../dist/rules/catalog.js';

function* files(dir) {
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) yield p;
    }
  }
}

// Wall time with ns resolution: the process's CPU time (getrusage) is too coarse for steps of a few µs.
// Run it on a quiet machine, or compare runs made one right after the other.
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Time decode, prefilter and every rule over the files of `dir`; returns a cost table. */
export function ruleCost(dir, { every = 1, maxSize = 10 * 1024 * 1024, rules = loadSecretRules() } = {}) {
  // The scanner's own prefilter and windows, so this profiles what a scan does.
  const scanner = new SecretScanner(rules);
  const compiled = scanner.rules;
  const ruleMs = new Float64Array(compiled.length);
  const ruleFiles = new Uint32Array(compiled.length);
  const ruleWindowed = new Uint32Array(compiled.length);
  const ruleAnchored = new Uint32Array(compiled.length);
  let decodeMs = 0;
  let prefilterMs = 0;
  let bytes = 0;
  let scanned = 0;
  let i = 0;
  for (const f of files(dir)) {
    if (i++ % every !== 0) continue;
    const buf = readFileSync(f);
    if (buf.length > maxSize) continue;
    let t = now();
    const d = decodeBuffer(buf);
    decodeMs += now() - t;
    if (d.kind === 'binary') continue;
    bytes += buf.length;
    scanned++;
    t = now();
    const cands = scanner.candidates(d.bytes);
    prefilterMs += now() - t;
    for (const c of cands) {
      t = now();
      if (c.starts) matcher.matchAt(compiled[c.ri], d.text, c.starts);
      else matcher.matchRule(compiled[c.ri], d.text, c.windows);
      ruleMs[c.ri] += now() - t;
      ruleFiles[c.ri]++;
      if (c.windows) ruleWindowed[c.ri]++;
      if (c.starts) ruleAnchored[c.ri]++;
    }
  }
  const rulesTotal = ruleMs.reduce((a, b) => a + b, 0);
  return {
    files: scanned,
    MB: bytes / 1048576,
    decodeMs,
    prefilterMs,
    rulesMs: rulesTotal,
    topRules: [...compiled.keys()]
      .sort((a, b) => ruleMs[b] - ruleMs[a])
      .slice(0, 15)
      .map((ri) => ({ rule: compiled[ri].spec.id, ms: Math.round(ruleMs[ri]), filesRun: ruleFiles[ri], keywords: compiled[ri].spec.keywords, windowed: ruleWindowed[ri], anchored: ruleAnchored[ri] })),
    leastSelectiveRules: [...compiled.keys()]
      .sort((a, b) => ruleFiles[b] - ruleFiles[a])
      .slice(0, 15)
      .map((ri) => ({ rule: compiled[ri].spec.id, files: ruleFiles[ri], share: +(ruleFiles[ri] / Math.max(1, scanned)).toFixed(3), windowed: ruleWindowed[ri], anchored: ruleAnchored[ri], keywords: compiled[ri].spec.keywords })),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2];
  const everyAt = process.argv.indexOf('--every');
  if (!dir) {
    process.stderr.write('usage: node test/bench/rule-cost.mjs DIR [--every N]\n');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(ruleCost(dir, { every: everyAt > 0 ? Number(process.argv[everyAt + 1]) : 1 }), null, 1) + '\n');
}
