#!/usr/bin/env node
// Peak memory as history grows: builds .bench/repo-growth-{1,3,9}x (test/bench/repo-corpus.mjs:
// more commits and more blobs at each size, blobs of the same small sizes) and scans each one's whole
// history (`--since bench-root`) with the built CLI, recording blobs, commits, throughput and the
// process's peak RSS. Part of `npm run bench` (skip with --skip-growth); alone:
//   node test/bench/history-growth.mjs [--scales 1,3,9]     (needs .bench/tree: run npm run bench once)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runScan } from './measure.mjs';
import { buildGrowthRepo } from './repo-corpus.mjs';

const MB = 1024 * 1024;

/** One scan of each size's history; returns a row per size. */
export async function historyGrowth(benchDir, treeDir, scales, log) {
  const out = join(benchDir, 'out');
  mkdirSync(out, { recursive: true });
  const rows = [];
  for (const scale of scales) {
    const g = await buildGrowthRepo(benchDir, treeDir, scale, log);
    const run = await runScan([g.repo, '--since', 'bench-root'], join(out, `growth-${scale}x.json`));
    const row = { scale, commits: g.commits, blobs: run.stats.blobs, MB: run.stats.blobBytes / MB, wallMs: run.wallMs, MBps: run.stats.blobBytes / MB / (run.wallMs / 1000), cpuMs: run.cpuMs, peakRssMB: run.maxRSSMB, findings: run.report.findings.length, planted: g.planted };
    rows.push(row);
    log(`history ${scale}×: ${row.commits} commits, ${row.blobs} blobs, ${row.MB.toFixed(0)} MB, ${row.MBps.toFixed(1)} MB/s, peak RSS ${row.peakRssMB.toFixed(0)} MB, ${row.findings} findings (${row.planted} planted)`);
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const at = process.argv.indexOf('--scales');
  const scales = (at > 0 ? process.argv[at + 1] : '1,3,9').split(',').map(Number).filter((n) => n > 0);
  const t0 = Date.now();
  const rows = await historyGrowth(join(root, '.bench'), join(root, '.bench', 'tree'), scales, (m) => process.stderr.write(`[growth ${((Date.now() - t0) / 1000).toFixed(0)}s] ${m}\n`));
  process.stdout.write(`${JSON.stringify(rows)}\n`);
}
