#!/usr/bin/env node
// Detection accuracy of the whole catalog, with the built CLI (`npm run bench` runs it; alone:
// `node test/bench/accuracy-bench.mjs [--skip-packages] [--packages DIR] [--seed N]` after `npm run build`):
//   1. the rule corpus (rule-corpus.mjs): every rule's type planted with generated values in 26 file
//      formats, in the tree and only in history, among look-alikes → recall and precision overall and
//      per provider family, against the targets;
//   2. lockfiles of every package manager (lockfile-corpus.mjs) → findings (target 0) and the one
//      registry-URL credential (must be found);
//   3. the generic assignment rule's findings on real package sources (node_modules by default): all false.
// `--seed N` (default 1: a positive integer, or a word used as the seed string as it is) generates the
// rule corpus and the lockfiles from another seed: same shape, other values, names and layouts, to
// catch results that hold only on seed 1.
// Writes .bench/accuracy.json (with the seed in it).
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSecretRules } from '../../dist/rules/catalog.js';
import { detections, GENERIC_RULE, perFamily, score } from './accuracy.mjs';
import { generateLockfiles } from './lockfile-corpus.mjs';
import { runScan } from './measure.mjs';
import { generateRuleCorpus, ruleCorpusSeed, seedArg } from './rule-corpus.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ACCURACY_TARGETS = { recall: 0.98, precision: 0.98, lockfileFindings: 0, genericOnPackages: 10 };

const fmt = (n, d = 3) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(d));

/**
 * A file of the working tree is also a blob of the last commit: its places come back twice (with and
 * without the commit). The rule corpus never reuses a path, so one detection per rule, path and line.
 */
function samePlaceOnce(dets) {
  const seen = new Map();
  for (const d of dets) {
    const k = `${d.ruleId}\0${d.path}\0${d.line}`;
    if (!seen.has(k) || (d.commit && !seen.get(k).commit)) seen.set(k, d);
  }
  return [...seen.values()];
}

/** Generate the rule corpus under benchDir, scan it (tree and history) and score it. */
export async function ruleCorpusAccuracy(benchDir, log, opts = {}) {
  const dir = join(benchDir, 'rule-corpus');
  const t = performance.now();
  const manifest = generateRuleCorpus(dir, opts);
  const genMs = performance.now() - t;
  writeFileSync(join(benchDir, 'rule-corpus-manifest.json'), JSON.stringify(manifest));
  const st = manifest.stats;
  log(`rule corpus: ${st.rules} rules, ${st.values} values (${st.generated} generated, ${st.fallbacks.length} examples used as they are), ${manifest.positives.length} planted places (${manifest.positives.filter((p) => p.commit).length} only in history), ${manifest.negatives.length} look-alikes, ${manifest.files.length} files, ${manifest.commits} commits, generated in ${fmt(genMs / 1000, 1)} s`);
  const out = join(benchDir, 'out');
  mkdirSync(out, { recursive: true });
  const scan = await runScan([dir], join(out, 'rule-corpus.json'));
  const rules = loadSecretRules();
  const s = score(manifest, samePlaceOnce(detections(scan.report, new Map(rules.map((r) => [r.id, r.group])))));
  const families = perFamily(s);
  const formats = {};
  for (const p of manifest.positives) (formats[p.format] ??= { planted: 0, missed: 0 }).planted++;
  for (const m of s.misses) formats[m.format].missed++;
  return {
    generation: { seed: manifest.seed, ms: genMs, rules: st.rules, values: st.values, generated: st.generated, fallbacks: st.fallbacks, unusable: st.unusable, files: manifest.files.length, commits: manifest.commits, historyOnly: manifest.positives.filter((p) => p.commit).length, formats: Object.keys(formats).length },
    scanMs: scan.wallMs,
    positives: s.positives,
    negatives: s.negatives,
    found: s.found,
    recall: s.recall,
    recallAnyRule: s.recallAnyRule,
    detections: s.detections,
    correctDetections: s.correctDetections,
    precision: s.precision,
    families: families.length,
    familiesAtTarget: families.filter((f) => f.recall >= ACCURACY_TARGETS.recall && f.precision >= ACCURACY_TARGETS.precision).length,
    worstFamilies: families.slice(0, 15),
    /** Every family, worst first: { family, planted, found, recall, detections, correct, precision }. */
    perFamily: families,
    missesByFormat: formats,
    fpByKind: s.fpByKind,
    fpByRule: s.fpByRule,
    misses: s.misses.slice(0, 200),
    falsePositives: s.falsePositives.slice(0, 200),
  };
}

/** Generate the lockfile corpus, scan it, and count findings (all false but the planted one). */
export async function lockfileAccuracy(benchDir, seed = 1) {
  const dir = join(benchDir, 'lockfiles');
  const m = generateLockfiles(dir, { seed: typeof seed === 'number' ? `nhi-audit-lockfiles-${seed}` : `${seed}-lockfiles` });
  const scan = await runScan([dir, '--no-history'], join(benchDir, 'out', 'lockfiles.json'));
  let planted = false;
  const falseOnes = [];
  for (const f of scan.report.findings) {
    for (const o of f.occurrences ?? [f.location]) {
      if (o.path === m.planted.path && o.line === m.planted.line) planted = true;
      else falseOnes.push({ ruleId: f.ruleId, path: o.path, line: o.line });
    }
  }
  return { files: m.files.length, MB: m.files.reduce((a, f) => a + f.bytes, 0) / 2 ** 20, entriesPerFile: m.entries, findings: falseOnes.length, sample: falseOnes.slice(0, 20), registryCredentialFound: planted };
}

/** The generic rule's findings (and every rule's) on a directory of real package sources. */
export async function packageSourceFindings(benchDir, dir) {
  const scan = await runScan([dir, '--no-history', '--include-deps'], join(benchDir, 'out', 'packages.json'));
  const places = (ids) => scan.report.findings.filter((f) => ids(f.ruleId)).flatMap((f) => (f.occurrences ?? [f.location]).map((o) => ({ ruleId: f.ruleId, path: o.path, line: o.line })));
  const generic = places((id) => id === GENERIC_RULE);
  const all = places(() => true);
  const byRule = {};
  for (const p of all) byRule[p.ruleId] = (byRule[p.ruleId] ?? 0) + 1;
  return { dir, MB: (scan.stats.bytes ?? 0) / 2 ** 20, files: scan.stats.files, wallMs: scan.wallMs, generic: generic.length, genericSample: generic.slice(0, 15), all: all.length, byRule };
}

/** Lines of the accuracy table (same columns as run.mjs: measure, value, target, status). */
export function accuracyRows(a) {
  const ok = (b) => (b ? 'ok' : 'MISS');
  const rows = [];
  if (a.ruleCorpus) {
    const c = a.ruleCorpus;
    rows.push(['rule corpus', `${c.positives} planted places of ${c.generation.rules} rules (${c.generation.historyOnly} history-only), ${c.negatives} look-alikes, ${c.generation.formats} kinds of file${c.generation.seed ? `, seed ${c.generation.seed}` : ''}`, '', '']);
    rows.push(['rule corpus: values generated', `${c.generation.generated}/${c.generation.values} (${c.generation.fallbacks.length} rule examples used as they are)`, '', '']);
    rows.push(['rule corpus: recall (right provider)', `${fmt(c.recall)} (${c.found}/${c.positives})`, `≥ ${ACCURACY_TARGETS.recall}`, ok(c.recall >= ACCURACY_TARGETS.recall)]);
    rows.push(['rule corpus: recall (any rule)', fmt(c.recallAnyRule), '', '']);
    rows.push(['rule corpus: precision', `${fmt(c.precision)} (${c.correctDetections}/${c.detections})`, `≥ ${ACCURACY_TARGETS.precision}`, ok(c.precision >= ACCURACY_TARGETS.precision)]);
    rows.push(['rule corpus: families at both targets', `${c.familiesAtTarget}/${c.families}`, '', '']);
  }
  if (a.lockfiles) {
    const l = a.lockfiles;
    rows.push(['lockfiles: findings', `${l.findings} in ${l.files} files (${fmt(l.MB, 1)} MB, ${l.entriesPerFile} entries each)`, '0', ok(l.findings === 0)]);
    rows.push(['lockfiles: registry-URL credential', l.registryCredentialFound ? 'found' : 'NOT found', 'found', ok(l.registryCredentialFound)]);
  }
  if (a.packages) {
    const p = a.packages;
    rows.push([`${GENERIC_RULE} on package sources`, `${p.generic} places (${fmt(p.MB, 0)} MB, ${p.files} files of ${p.dir.replace(ROOT, '')})`, `≤ ${ACCURACY_TARGETS.genericOnPackages}`, ok(p.generic <= ACCURACY_TARGETS.genericOnPackages)]);
    rows.push(['all rules on package sources', `${p.all} places`, '', '']);
  }
  return rows;
}

/** The per-family detail printed under the table: the worst families, formats with misses, look-alikes that fired. */
export function accuracyDetail(a) {
  const out = [];
  const c = a.ruleCorpus;
  if (c) {
    out.push(`\nRule corpus, worst provider families (recall found/planted, precision correct/detections; targets ≥ ${ACCURACY_TARGETS.recall}):`);
    for (const f of c.worstFamilies.slice(0, 10)) out.push(`  ${f.family.padEnd(24)} recall ${fmt(f.recall, 2)} (${f.found}/${f.planted})  precision ${fmt(f.precision, 2)} (${f.correct}/${f.detections})`);
    const fmts = Object.entries(c.missesByFormat).filter(([, v]) => v.missed).sort((x, y) => y[1].missed - x[1].missed);
    if (fmts.length) out.push(`  misses by format: ${fmts.map(([k, v]) => `${k} ${v.missed}/${v.planted}`).join(', ')}`);
    const kinds = Object.entries(c.fpByKind).sort((x, y) => y[1] - x[1]);
    if (kinds.length) out.push(`  false detections: ${kinds.slice(0, 12).map(([k, v]) => `${k} ×${v}`).join(', ')}`);
  }
  if (a.lockfiles?.sample.length) out.push(`\nLockfile findings: ${a.lockfiles.sample.map((s) => `${s.ruleId} ${s.path}:${s.line}`).join(', ')}`);
  if (a.packages?.genericSample.length) out.push(`\n${GENERIC_RULE} on package sources: ${a.packages.genericSample.slice(0, 10).map((s) => `${s.path}:${s.line}`).join(', ')}`);
  return out;
}

export function printAccuracy(a) {
  const rows = [['measure', 'value', 'target', ''], ...accuracyRows(a)];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
  process.stdout.write(`\n${rows.map((row) => row.map((c, i) => (i < 3 ? c.padEnd(w[i]) : c)).join('  ')).join('\n')}\n`);
  process.stdout.write(`${accuracyDetail(a).join('\n')}\n`);
}

async function main() {
  const args = process.argv.slice(2);
  const bench = join(ROOT, '.bench');
  mkdirSync(join(bench, 'out'), { recursive: true });
  const t0 = Date.now();
  const log = (m) => process.stderr.write(`[accuracy ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${m}\n`);
  const seed = seedArg(args);
  const a = { date: new Date().toISOString(), seed, targets: ACCURACY_TARGETS };
  a.ruleCorpus = await ruleCorpusAccuracy(bench, log, { seed: ruleCorpusSeed(seed) });
  log('lockfiles');
  a.lockfiles = await lockfileAccuracy(bench, seed);
  if (!args.includes('--skip-packages')) {
    const i = args.indexOf('--packages');
    const dir = realpathSync(i >= 0 ? args[i + 1] : join(ROOT, 'node_modules'));
    log(`package sources: ${dir}`);
    a.packages = await packageSourceFindings(bench, dir);
  }
  writeFileSync(join(bench, 'accuracy.json'), JSON.stringify(a, null, 1));
  printAccuracy(a);
  log(`written to ${join(bench, 'accuracy.json')}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    process.stderr.write(`accuracy bench failed: ${e.stack ?? e}\n`);
    process.exitCode = 1;
  });
}
