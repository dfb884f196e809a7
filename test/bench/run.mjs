#!/usr/bin/env node
// `npm run bench`: builds the corpora under .bench/ (reused when present), times the working-tree and
// history scans against ripgrep, scores detection accuracy, prints a table and writes
// .bench/results.json. Options: --runs N (timed repetitions, default 3), --skip-rg, --skip-full,
// --skip-profile (the per-rule cost table), --skip-catalog (coverage, rule-example recall/precision per
// family, lockfiles and the catalog-growth timing of test/bench/catalog-bench.mjs, run on the tree corpus),
// --skip-accuracy (the rule corpus and the lockfile corpus of test/bench/accuracy-bench.mjs),
// --skip-growth (peak RSS of history scans at three repository sizes, test/bench/history-growth.mjs).
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSecretRules } from '../../dist/rules/catalog.js';
import { detections, GENERIC_RULE, score } from './accuracy.mjs';
import { accuracyDetail, accuracyRows, ACCURACY_TARGETS, lockfileAccuracy, ruleCorpusAccuracy } from './accuracy-bench.mjs';
import { generateLabeledCorpus } from './labeled-corpus.mjs';
import { findRipgrep, installRipgrep, interleave, median, repeat, ripgrepPatterns, ruleKeywords, runRipgrep, runRipgrepPerRule, runScan } from './measure.mjs';
import { buildRepo } from './repo-corpus.mjs';
import { historyGrowth } from './history-growth.mjs';
import { buildTree, PACKAGES, PLANTED_DIR, treeSize } from './tree-corpus.mjs';
import { ruleCost } from './rule-cost.mjs';
import { catBlobs } from '../../dist/sources/git/blobs.js';
import { listBlobs, resolveRevs } from '../../dist/sources/git/history.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BENCH = join(ROOT, '.bench');
const TREE = join(BENCH, 'tree');
const REPO = join(BENCH, 'repo');
const LABELED = join(BENCH, 'labeled');
const OUT = join(BENCH, 'out');

/** Directories of the tree that rg runs every rule pattern over (~30 MB, ~3,500 files). */
const RG_SUBSET = ['typescript', 'rxjs', 'lodash'];

const TARGETS = { treeVsRipgrep: 2, historyMBps: 100, peakRssMB: 300, recall: 0.98, precision: 0.98 };

function parseArgs(argv) {
  const o = { runs: 3, rg: true, full: true, profile: true, catalog: true, accuracy: true, growth: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') o.runs = Math.max(1, Number(argv[++i]) || 3);
    else if (argv[i] === '--skip-rg') o.rg = false;
    else if (argv[i] === '--skip-full') o.full = false;
    else if (argv[i] === '--skip-profile') o.profile = false;
    else if (argv[i] === '--skip-catalog') o.catalog = false;
    else if (argv[i] === '--skip-accuracy') o.accuracy = false;
    else if (argv[i] === '--skip-growth') o.growth = false;
    else throw new Error(`unknown option ${argv[i]} (known: --runs N, --skip-rg, --skip-full, --skip-profile, --skip-catalog, --skip-accuracy, --skip-growth)`);
  }
  return o;
}

const t0 = Date.now();
function log(msg) {
  process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${msg}\n`);
}

const MB = 1024 * 1024;
const mbps = (bytes, ms) => bytes / MB / (ms / 1000);
const fmt = (n, d = 1) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(d));

/** Put a directory's content in the page cache so the first timed run isn't the only cold one. */
function warm(dir) {
  execFileSync('sh', ['-c', 'find "$1" -type f -print0 | xargs -0 cat > /dev/null', 'sh', dir]);
}

function lineAt(path, line) {
  try {
    const l = readFileSync(path, 'latin1').split('\n')[line - 1] ?? '';
    return l.length > 140 ? `${l.slice(0, 140)}…` : l;
  } catch {
    return '';
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  mkdirSync(OUT, { recursive: true });
  const rules = loadSecretRules();
  const ruleGroups = new Map(rules.map((r) => [r.id, r.group]));
  log(`${rules.length} secret rules from ${new Set(rules.map((r) => r.file)).size} files; ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);

  // 1. Corpora.
  const planted = buildTree(BENCH, log);
  writeFileSync(join(BENCH, 'tree-planted.json'), JSON.stringify(planted, null, 1));
  const treeInfo = treeSize(TREE);
  log(`tree corpus: ${(treeInfo.bytes / MB).toFixed(0)} MB in ${treeInfo.files} files (${PACKAGES.join(', ')}) + ${planted.positives.length} planted secrets`);
  rmSync(LABELED, { recursive: true, force: true });
  const labeled = generateLabeledCorpus(LABELED);
  writeFileSync(join(BENCH, 'labeled-manifest.json'), JSON.stringify(labeled, null, 1));
  log(`labeled corpus: ${labeled.positives.length} credentials and ${labeled.negatives.length} look-alikes in ${labeled.files.length} files`);
  const history = await buildRepo(BENCH, TREE, log);
  const results = { date: new Date().toISOString(), machine: { cores: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAvgAtStart: loadavg().map((x) => +x.toFixed(2)) }, rules: rules.length, targets: TARGETS, corpus: { packages: PACKAGES, treeMB: treeInfo.bytes / MB, treeFiles: treeInfo.files, historyCommits: history.commits } };

  // 2. Speed. Timed runs of competing tools are interleaved: the machine is shared.
  let rg;
  if (opts.rg) {
    rg = findRipgrep();
    if (!rg) {
      const got = installRipgrep(log);
      rg = got.rg;
      if (!rg) results.ripgrep = { skipped: got.reason };
    }
  } else results.ripgrep = { skipped: 'disabled with --skip-rg' };
  warm(TREE);
  warm(join(REPO, '.git'));
  const keywords = ruleKeywords(rules);
  log(`working-tree scan ×${opts.runs}${rg ? `, interleaved with rg searching the ${keywords.length} rule keywords` : ''}`);
  const [tree, floor] = await interleave(opts.runs, [(i) => runScan([TREE, '--no-history'], join(OUT, `tree-${i}.json`)), ...(rg ? [() => runRipgrep(rg, TREE, keywords, { fixed: true, ignoreCase: true })] : [])]);
  const ts = tree.median.stats;
  results.tree = { wallMs: tree.wallMs, runsMs: tree.runs.map((r) => r.wallMs), MB: ts.bytes / MB, files: ts.files, MBps: mbps(ts.bytes, tree.wallMs), filesPerSec: ts.files / (tree.wallMs / 1000), peakRssMB: Math.max(...tree.runs.map((r) => r.maxRSSMB)), cpuMs: median(tree.runs.map((r) => r.cpuMs)), skippedBinary: ts.skippedBinary, skippedLarge: ts.skippedLarge, findings: tree.median.report.findings.length };

  log(`history scan (--since bench-root: every blob of ${history.commits} commits, no working tree) ×${opts.runs}`);
  const hist = await repeat(opts.runs, (i) => runScan([REPO, '--since', 'bench-root'], join(OUT, `history-${i}.json`)));
  const hs = hist.median.stats;
  results.history = { wallMs: hist.wallMs, runsMs: hist.runs.map((r) => r.wallMs), MB: hs.blobBytes / MB, blobs: hs.blobs, MBps: mbps(hs.blobBytes, hist.wallMs), blobsPerSec: hs.blobs / (hist.wallMs / 1000), peakRssMB: Math.max(...hist.runs.map((r) => r.maxRSSMB)), cpuMs: median(hist.runs.map((r) => r.cpuMs)), findings: hist.median.report.findings.length };

  // Peak RSS as history grows: three repositories of 1×, 3× and 9× the commits and blobs (blobs of
  // the same small sizes; test/bench/history-growth.mjs). State that grows with the number of blobs
  // or commits shows here; the target is a bound, not a slope.
  if (opts.growth) {
    log('history growth: scanning 1×, 3× and 9× histories for peak memory');
    results.historyGrowth = await historyGrowth(BENCH, TREE, [1, 3, 9], log);
  } else results.historyGrowth = { skipped: 'disabled with --skip-growth' };

  // How fast git alone delivers the same blobs (rev-list + cat-file, no detection): the ceiling.
  {
    const t = performance.now();
    const listed = await listBlobs(REPO, await resolveRevs(REPO, { kind: 'since', ref: 'bench-root' }));
    let bytes = 0;
    await catBlobs(REPO, [...listed.blobs.keys()], 10 * MB, { blob: (_sha, _data, size) => void (bytes += size), missing: () => undefined });
    const ms = performance.now() - t;
    results.history.gitOnly = { wallMs: ms, MBps: mbps(bytes, ms) };
  }

  if (opts.full) {
    log('full scan of .bench/repo (working tree + all history), once');
    const full = await runScan([REPO], join(OUT, 'full.json'));
    results.full = { wallMs: full.wallMs, MB: (full.stats.bytes + full.stats.blobBytes) / MB, MBps: mbps(full.stats.bytes + full.stats.blobBytes, full.wallMs), peakRssMB: full.maxRSSMB };
  }

  // 3. ripgrep with the rules' own patterns. rg runs that many regexes at well under 1 MB/s, so this
  // comparison uses a fixed subset of the tree; the keyword search above covers the whole tree.
  if (rg) {
    const pats = ripgrepPatterns(rg, rules);
    const subset = RG_SUBSET.map((d) => join(TREE, d));
    const subInfo = RG_SUBSET.map((d) => treeSize(join(TREE, d))).reduce((a, b) => ({ bytes: a.bytes + b.bytes, files: a.files + b.files }));
    log(`ripgrep with the rules' patterns, one pass per rule (${pats.groups.map((g) => `${g.patterns.length} ${g.name}`).join(', ')}${pats.dropped.length ? `; rejected by rg: ${pats.dropped.join(' ')}` : ''}) on ${RG_SUBSET.join(' + ')}, interleaved with nhi-audit on the same directories, ×${opts.runs}`);
    const [sub, perRule] = await interleave(opts.runs, [(i) => runScan([...subset, '--no-history'], join(OUT, `subset-${i}.json`)), () => runRipgrepPerRule(rg, subset, pats)]);
    results.ripgrep = {
      version: execFileSync(rg, ['--version'], { encoding: 'utf8' }).split('\n')[0],
      patterns: Object.fromEntries(pats.groups.map((g) => [g.name, g.patterns.length])),
      dropped: pats.dropped,
      subset: { dirs: RG_SUBSET, MB: subInfo.bytes / MB, files: subInfo.files },
      perRuleMs: perRule.wallMs,
      perRuleRunsMs: perRule.runs.map((r) => r.wallMs),
      slowestRules: perRule.median.slowest,
      subsetScanMs: sub.wallMs,
      subsetScanRunsMs: sub.runs.map((r) => r.wallMs),
      ratio: sub.wallMs / perRule.wallMs,
      keywordFloor: { keywords: keywords.length, wallMs: floor.wallMs, runsMs: floor.runs.map((r) => r.wallMs), treeRatio: tree.wallMs / floor.wallMs },
    };
  }

  if (opts.profile) {
    log('per-rule cost: engine pieces timed in one thread over the tree');
    results.ruleCost = ruleCost(TREE);
  }

  // 4. Accuracy.
  log('accuracy: scanning the labeled corpus');
  const lab = await runScan([LABELED, '--no-history'], join(OUT, 'labeled.json'));
  const labDets = detections(lab.report, ruleGroups);
  results.accuracy = score(labeled, labDets);

  const treeDets = detections(tree.median.report, ruleGroups);
  results.treePlanted = score(planted, treeDets, { scope: (p) => p.startsWith(`${PLANTED_DIR}/`) });
  const outside = treeDets.filter((d) => !d.path.startsWith(`${PLANTED_DIR}/`));
  const byRule = {};
  for (const d of outside) byRule[d.ruleId] = (byRule[d.ruleId] ?? 0) + 1;
  const generic = outside.filter((d) => d.ruleId === GENERIC_RULE);
  results.realSourceFindings = { total: outside.length, byRule, generic: generic.length, genericSample: generic.slice(0, 25).map((d) => ({ path: d.path, line: d.line, text: lineAt(join(TREE, d.path), d.line) })), otherSample: outside.filter((d) => d.ruleId !== GENERIC_RULE).slice(0, 25).map((d) => ({ ruleId: d.ruleId, path: d.path, line: d.line, text: lineAt(join(TREE, d.path), d.line) })) };

  const histDets = detections(hist.median.report, ruleGroups);
  results.historyPlanted = score(history, histDets, { requireCommit: true });

  if (opts.accuracy) await catalogAccuracy(results);

  results.machine.loadAvgAtEnd = loadavg().map((x) => +x.toFixed(2));
  writeFileSync(join(BENCH, 'results.json'), JSON.stringify(results, null, 1));
  printTable(results, opts);
  log(`results written to ${join(BENCH, 'results.json')}`);
}

/**
 * Every rule's credential type (the rule corpus: generated values in 26 formats, tree and history, and
 * look-alikes) and the lockfiles of every package manager, scanned by the CLI; the generic rule's
 * false positives on the tree's real package sources are checked against their target here too.
 */
async function catalogAccuracy(results) {
  log('accuracy: the rule corpus (every rule, generated values, tree and history)');
  results.catalogAccuracy = { ruleCorpus: await ruleCorpusAccuracy(BENCH, log) };
  log('accuracy: lockfiles of every package manager');
  results.catalogAccuracy.lockfiles = await lockfileAccuracy(BENCH);
}

function status(ok) {
  return ok ? 'ok' : 'MISS';
}

function printTable(r, opts) {
  const peak = Math.max(r.tree.peakRssMB, r.history.peakRssMB, r.full?.peakRssMB ?? 0);
  const rows = [
    ['measure', 'value', 'target', ''],
    ['working tree: size', `${fmt(r.tree.MB, 0)} MB, ${r.tree.files} files`, '', ''],
    ['working tree: median wall time', `${fmt(r.tree.wallMs / 1000, 2)} s (CPU ${fmt(r.tree.cpuMs / 1000, 1)} s)`, '', ''],
    ['working tree: throughput', `${fmt(r.tree.MBps)} MB/s, ${fmt(r.tree.filesPerSec, 0)} files/s`, '', ''],
  ];
  if (r.ripgrep?.perRuleMs) {
    const g = r.ripgrep;
    rows.push(['ripgrep keyword search, whole tree', `${fmt(g.keywordFloor.wallMs / 1000, 2)} s (${g.keywordFloor.keywords} literals, -F -i)`, '', '']);
    rows.push(['working tree ÷ rg keyword search', `${fmt(g.keywordFloor.treeRatio, 2)}×`, '', '']);
    rows.push([`rg, every rule pattern: ${g.subset.dirs.join('+')}`, `${fmt(g.perRuleMs / 1000, 2)} s for ${fmt(g.subset.MB, 0)} MB (${Object.entries(g.patterns).map(([k, v]) => `${v} ${k}`).join(', ')})`, '', '']);
    rows.push(['nhi-audit, same directories', `${fmt(g.subsetScanMs / 1000, 2)} s`, '', '']);
    rows.push(['nhi-audit ÷ ripgrep (same patterns)', `${fmt(g.ratio, 2)}×`, `≤ ${TARGETS.treeVsRipgrep}×`, status(g.ratio <= TARGETS.treeVsRipgrep)]);
  } else rows.push(['ripgrep comparison', `skipped: ${r.ripgrep?.skipped ?? 'disabled'}`, '', '']);
  rows.push(
    ['history: unique blobs', `${fmt(r.history.MB, 0)} MB, ${r.history.blobs} blobs, ${r.corpus.historyCommits} commits`, '', ''],
    ['history: median wall time', `${fmt(r.history.wallMs / 1000, 2)} s (CPU ${fmt(r.history.cpuMs / 1000, 1)} s)`, '', ''],
    ['history: throughput', `${fmt(r.history.MBps)} MB/s, ${fmt(r.history.blobsPerSec, 0)} blobs/s`, `≥ ${TARGETS.historyMBps} MB/s`, status(r.history.MBps >= TARGETS.historyMBps)],
  );
  if (Array.isArray(r.historyGrowth)) {
    for (const h of r.historyGrowth) rows.push([`history growth ${h.scale}×: peak RSS`, `${fmt(h.peakRssMB, 0)} MB (${h.commits} commits, ${h.blobs} blobs, ${fmt(h.MB, 0)} MB, ${fmt(h.MBps)} MB/s)`, `< ${TARGETS.peakRssMB} MB`, status(h.peakRssMB < TARGETS.peakRssMB)]);
    const [a, , c] = r.historyGrowth;
    if (a && c) rows.push(['history growth: peak RSS 9× − 1×', `${fmt(c.peakRssMB - a.peakRssMB, 0)} MB for ${c.blobs - a.blobs} more blobs, ${c.commits - a.commits} more commits`, 'flat', '']);
  } else rows.push(['history growth (peak RSS at 3 sizes)', `skipped: ${r.historyGrowth?.skipped ?? 'disabled'}`, '', '']);
  if (r.history.gitOnly) rows.push(['history: git alone (rev-list + cat-file)', `${fmt(r.history.gitOnly.wallMs / 1000, 2)} s, ${fmt(r.history.gitOnly.MBps)} MB/s`, '', '']);
  if (r.full) rows.push(['full repo scan (tree + history)', `${fmt(r.full.wallMs / 1000, 2)} s, ${fmt(r.full.MBps)} MB/s`, '', '']);
  rows.push(
    [`peak RSS (tree / history${r.full ? ' / full' : ''})`, `${fmt(r.tree.peakRssMB, 0)} / ${fmt(r.history.peakRssMB, 0)}${r.full ? ` / ${fmt(r.full.peakRssMB, 0)}` : ''} MB`, `< ${TARGETS.peakRssMB} MB`, status(peak < TARGETS.peakRssMB)],
    ['labeled corpus', `${r.accuracy.positives} credentials, ${r.accuracy.negatives} look-alikes`, '', ''],
    ['recall (a rule of the right provider)', `${fmt(r.accuracy.recall, 3)} (${r.accuracy.found}/${r.accuracy.positives})`, `≥ ${TARGETS.recall}`, status(r.accuracy.recall >= TARGETS.recall)],
    ['recall (any rule, generic included)', `${fmt(r.accuracy.recallAnyRule, 3)}`, '', ''],
    ['precision', `${fmt(r.accuracy.precision, 3)} (${r.accuracy.correctDetections}/${r.accuracy.detections} detections)`, `≥ ${TARGETS.precision}`, status(r.accuracy.precision >= TARGETS.precision)],
    ['planted in tree: recall', `${fmt(r.treePlanted.recall, 3)} (${r.treePlanted.found}/${r.treePlanted.positives})`, '', ''],
    ['planted in history: recall (with commit)', `${fmt(r.historyPlanted.recall, 3)} (${r.historyPlanted.found}/${r.historyPlanted.positives})`, '', ''],
    [`${GENERIC_RULE} on real package sources`, `${r.realSourceFindings.generic} false positives`, `≤ ${ACCURACY_TARGETS.genericOnPackages}`, status(r.realSourceFindings.generic <= ACCURACY_TARGETS.genericOnPackages)],
    ['all rules on real package sources', `${r.realSourceFindings.total} findings`, '', ''],
  );
  if (r.catalogAccuracy) rows.push(...accuracyRows(r.catalogAccuracy));
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
  const out = rows.map((row) => row.map((c, i) => (i < 3 ? c.padEnd(w[i]) : c)).join('  ')).join('\n');
  process.stdout.write(`\n${out}\n`);
  if (r.catalogAccuracy) process.stdout.write(`${accuracyDetail(r.catalogAccuracy).join('\n')}\n`);

  const a = r.accuracy;
  const weak = Object.entries(a.perProvider).filter(([, v]) => v.found < v.total);
  if (weak.length) {
    process.stdout.write('\nMisses by provider (found/total):\n');
    for (const [p, v] of weak.sort((x, y) => x[1].found / x[1].total - y[1].found / y[1].total)) {
      const types = a.misses.filter((m) => m.provider === p);
      const byType = {};
      for (const m of types) byType[m.type] = (byType[m.type] ?? 0) + 1;
      process.stdout.write(`  ${p.padEnd(14)} ${v.found}/${v.total}  ${Object.entries(byType).map(([t, n]) => `${t}×${n}`).join(', ')}\n`);
    }
  }
  if (Object.keys(a.fpByRule).length) {
    process.stdout.write('\nFalse positives on the labeled corpus, by rule:\n');
    for (const [rule, n] of Object.entries(a.fpByRule).sort((x, y) => y[1] - x[1])) {
      const reasons = {};
      for (const fp of a.falsePositives.filter((f) => f.ruleId === rule)) reasons[fp.reason] = (reasons[fp.reason] ?? 0) + 1;
      process.stdout.write(`  ${rule.padEnd(40)} ${String(n).padStart(3)}  ${Object.entries(reasons).map(([k, v]) => `${k}×${v}`).join(', ')}\n`);
    }
  }
  if (r.ruleCost) {
    const c = r.ruleCost;
    process.stdout.write(`\nWhere one thread's detection time goes on the tree (${fmt(c.MB, 0)} MB): decode ${fmt(c.decodeMs / 1000, 2)} s, keyword prefilter and windows ${fmt(c.prefilterMs / 1000, 2)} s, rule regexes ${fmt(c.rulesMs / 1000, 2)} s\n`);
    process.stdout.write(`  costliest rules: ${c.topRules.slice(0, 8).map((x) => `${x.rule} ${fmt(x.ms / 1000, 2)} s`).join(', ')}\n`);
    process.stdout.write(`  rules run on most files (share of files; of which windowed / anchored at keyword starts): ${c.leastSelectiveRules.slice(0, 8).map((k) => `${k.rule} ${fmt(100 * k.share, 0)}% (${k.windowed}/${k.anchored})`).join(', ')}\n`);
  }
  const rs = r.realSourceFindings;
  if (rs.total) {
    process.stdout.write(`\nFindings on real package sources by rule: ${Object.entries(rs.byRule).sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
    for (const s of [...rs.genericSample.slice(0, 10).map((g) => ({ ...g, ruleId: GENERIC_RULE })), ...rs.otherSample.slice(0, 10)]) process.stdout.write(`  ${s.ruleId}  ${s.path}:${s.line}  ${s.text.trim().slice(0, 100)}\n`);
  }
  if (opts.catalog) {
    process.stdout.write('\nCoverage, rule examples in context, lockfiles and catalog growth (test/bench/catalog-bench.mjs on the tree corpus):\n');
    execFileSync(process.execPath, [join(ROOT, 'test', 'bench', 'catalog-bench.mjs'), '--corpus', TREE, '--mb', '350'], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e.stack ?? e}\n`);
  process.exitCode = 1;
});
