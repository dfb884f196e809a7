#!/usr/bin/env node
// Catalog-scale bench (part of issue 14's measurements; run with `npm run bench:catalog`, after `npm run build`).
// In-process and single-threaded, with every file read into memory first, so the numbers are the
// engine's (no I/O, no workers):
//   1. coverage of the checklist (../shared/coverage/providers.tsv) by the rule files;
//   2. recall and precision per provider family on a corpus that plants every rule's examples
//      (positives) and negative examples (look-alikes) into realistic files of several formats, each
//      with filler code around it;
//   3. findings on lockfiles (the fixtures of every package manager and every real lockfile under the
//      package corpus): must be 0 outside registry-URL credentials;
//   4. prefilter and full-scan time per MB on real package sources as the catalog grows: the core rules
//      (the files that predate issue 14), 500, 1,000, the whole catalog, and twice it (synthetic
//      keyword-anchored rules on checklist provider names past the real catalog), with the findings
//      each set makes on those sources (all of them false: package sources hold no live credentials).
// Options: --corpus DIR (default: node_modules of the package), --mb N (cap, default 150), --runs N (timed
// repetitions of each catalog size, default 3), --sizes LIST (catalog sizes to time, e.g. core,all or
// 243,500,1000,all,2x; default core,500,1000,all,2x), --scale-only (skip 2 and 3), --json (print the numbers as JSON too).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KeywordPrefilter } from '../../dist/detect/prefilter.js';
import { SecretScanner } from '../../dist/detect/scanner.js';
import { inUrlCredential, isLockfilePath } from '../../dist/detect/lockfile.js';
import { loadSecretRules } from '../../dist/rules/catalog.js';
import { coverageSummary, findChecklist, loadChecklist } from '../../dist/rules/coverage.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MB = 1024 * 1024;
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const corpusDir = opt('--corpus', join(ROOT, 'node_modules'));
const capMB = Number(opt('--mb', '150'));
const out = {};
const log = (s) => process.stdout.write(`${s}\n`);

// ---- 1. coverage
const rules = loadSecretRules();
const checklistPath = findChecklist();
if (checklistPath) {
  const s = coverageSummary(loadChecklist(checklistPath));
  out.coverage = { providers: s.providers, withRules: s.withRules, withReason: s.withReason, missing: s.missing.length };
  log(`coverage: ${s.providers} checklist providers — ${s.withRules} with rules, ${s.withReason} with a no-rule reason, ${s.missing.length} not covered (${rules.length} rules)`);
} else log('coverage: no checklist found (../shared/coverage/providers.tsv)');

const scaleOnly = args.includes('--scale-only');
const scanner = new SecretScanner(rules);
if (!scaleOnly) {
// ---- 2. rule-example corpus
const FILLERS = {
  'deploy.sh': ['#!/usr/bin/env bash', 'set -euo pipefail', 'cd "$(dirname "$0")"', 'echo "deploying $SERVICE"'],
  'config.yaml': ['service:', '  name: orders', '  replicas: 3', 'logging:', '  level: info'],
  'settings.py': ['import os', 'DEBUG = False', 'ALLOWED_HOSTS = ["*"]', 'TIME_ZONE = "UTC"'],
  'README.md': ['# Orders service', '', 'Run it locally:', '', '```sh', 'npm start', '```'],
  'app.ts': ["import { serve } from './server.js';", 'const port = Number(3000);', 'serve({ port });'],
};
const families = new Map();
const fam = (g) => families.get(g) ?? families.set(g, { tp: 0, fn: 0, fp: 0, missed: [] }).get(g);
let files = 0;
for (const r of rules) {
  for (const [k, ex] of r.examples.entries()) {
    // A decoder's rule (Kubernetes Secret data, Helm values) reads YAML: its examples go into a chart's values file.
    const [name, filler] = r.detector ? ['values.yaml', FILLERS['config.yaml']] : Object.entries(FILLERS)[k % 5];
    const text = [...filler, ex, ...filler.slice().reverse()].join('\n');
    files++;
    const hits = scanner.scanText(text, `proj/${name}`);
    const f = fam(r.group);
    if (hits.some((h) => h.ruleId === r.id || rules.find((x) => x.id === h.ruleId)?.group === r.group)) f.tp++;
    else {
      f.fn++;
      f.missed.push(r.id);
    }
    // any other finding on a line the example does not cover is a false one
  }
  for (const [k, ex] of r.negative_examples.entries()) {
    const [name, filler] = Object.entries(FILLERS)[(k + 2) % 5];
    const text = [...filler, ex, ...filler].join('\n');
    files++;
    const hits = scanner.scanText(text, `proj/${name}`).filter((h) => h.ruleId === r.id);
    fam(r.group).fp += hits.length;
  }
}
let tp = 0;
let fn = 0;
let fp = 0;
for (const f of families.values()) {
  tp += f.tp;
  fn += f.fn;
  fp += f.fp;
}
out.examples = { files, recall: tp / (tp + fn), precision: tp / (tp + fp), tp, fn, fp };
log(`rule-example corpus: ${files} files, recall ${(tp / (tp + fn)).toFixed(3)} (${tp}/${tp + fn}), precision ${(tp / (tp + fp)).toFixed(3)} (${fp} look-alikes reported)`);
const worst = [...families.entries()].map(([g, f]) => ({ g, recall: f.tp / Math.max(1, f.tp + f.fn), precision: f.tp / Math.max(1, f.tp + f.fp), ...f })).sort((a, b) => a.recall + a.precision - (b.recall + b.precision));
out.families = Object.fromEntries(worst.map((w) => [w.g, { recall: w.recall, precision: w.precision, missed: w.missed }]));
log(`per family (${families.size}; lowest first): ${worst.slice(0, 12).map((w) => `${w.g} ${w.recall.toFixed(2)}/${w.precision.toFixed(2)}`).join(', ')}`);
const missed = worst.flatMap((w) => w.missed);
if (missed.length) log(`  examples not found in context: ${missed.join(', ')}`);
}

// ---- load the package corpus
function walk(dir, acc, budget) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (budget.bytes >= capMB * MB) return;
    const p = join(dir, e.name);
    if (e.isDirectory() || (e.isSymbolicLink() && safeIsDir(p))) walk(p, acc, budget);
    else if (e.isFile()) {
      const st = statSync(p);
      if (st.size > 8 * MB) continue;
      const buf = readFileSync(p);
      acc.push({ path: relative(corpusDir, p), buf });
      budget.bytes += buf.length;
    }
  }
}
function safeIsDir(p) {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
const corpus = [];
const budget = { bytes: 0 };
walk(corpusDir, corpus, budget);
const corpusMB = budget.bytes / MB;
log(`package corpus: ${corpus.length} files, ${corpusMB.toFixed(0)} MB from ${relative(ROOT, corpusDir) || corpusDir}`);

if (!scaleOnly) {
// ---- 3. lockfiles
const lockDir = join(ROOT, 'test', 'fixtures', 'lockfiles');
let lockFindings = 0;
let lockUrlCreds = 0;
const lockFiles = [...readdirSync(lockDir).map((f) => ({ path: f, buf: readFileSync(join(lockDir, f)) })), ...corpus.filter((f) => isLockfilePath(f.path))];
for (const f of lockFiles) {
  const text = f.buf.toString('latin1');
  for (const m of scanner.scanBuffer(f.buf, f.path).matches) {
    if (inUrlCredential(text, m.index, m.end)) lockUrlCreds++;
    else lockFindings++;
  }
}
out.lockfiles = { files: lockFiles.length, findings: lockFindings, registryUrlCredentials: lockUrlCreds };
log(`lockfiles: ${lockFiles.length} files, ${lockFindings} findings outside registry URLs (target 0), ${lockUrlCreds} planted registry-URL credentials found`);
}

// ---- 4. catalog growth
const checklist = checklistPath ? loadChecklist(checklistPath).map((e) => e.name) : [];
const names = checklist.filter((n) => n.length >= 4);
function synthetic(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const name = names[i % names.length] ?? `provider${i}`;
    const v = Math.floor(i / Math.max(1, names.length));
    out.push({
      ...rules[0],
      id: `synthetic-${name}-${v}`,
      group: `synthetic-${name}`,
      pattern: `(?i)${name}[\\w.-]{0,20}?(?:key|token|secret)(?:\\\\?["'])?[ \\t]{0,5}[:=][ \\t]{0,5}["'\`]?(?<secret>[A-Za-z0-9_-]{32,64})(?![\\w-])`,
      keywords: [name],
      keywords_match_case: false,
      entropy: 3.5,
      pair: undefined,
      validator: undefined,
      exclude_values: undefined,
      superseded_by: ['*'],
      identifier: false,
      detector: undefined,
    });
  }
  return out;
}
// The catalog as it was before issue 14 (the core provider files) comes first; then the provider files'
// rules in file order; past the real catalog, synthetic keyword-anchored provider rules.
const CORE_FILES = new Set('1password airtable anthropic atlassian auth0 aws azure bitbucket circleci cloudflare cohere contentful database-urls databricks datadog digitalocean discord dockerhub doppler fastly figma flyio generic github gitlab google grafana groq heroku huggingface jwt kubernetes langsmith linear mailchimp mailgun mapbox mistral netlify netrc newrelic notion npm nuget okta openai openrouter perplexity planetscale postman prefect private-keys pulumi pypi replicate rubygems sendgrid sentry shopify slack snowflake square stripe supabase telegram terraform-cloud twilio vault vercel xai'.split(' '));
const core = rules.filter((r) => CORE_FILES.has(r.file.replace(/^.*\//, '').replace(/\.ya?ml$/, '')));
const ordered = [...core, ...rules.filter((r) => !core.includes(r))];
const sizeOf = (w) => ({ core: core.length, all: rules.length, '2x': 2 * rules.length })[w] ?? Number(w);
const sizes = opt('--sizes', 'core,500,1000,all,2x').split(',').map(sizeOf).filter((n, i, a) => n > 0 && a.indexOf(n) === i).sort((a, b) => a - b);
// Each size is timed `--runs` times, the sizes interleaved (a, b, c, a, b, c …) so load from other
// processes on a shared machine hits them alike; the median is reported. Time is this process's CPU
// time (user + system, one thread), not wall time, so a busy machine slows the figures less.
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const runs = Math.max(1, Number(opt('--runs', '3')) || 3);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sets = sizes.map((size) => {
  const set = size <= ordered.length ? ordered.slice(0, size) : [...ordered, ...synthetic(size - ordered.length)];
  const sc = new SecretScanner(set);
  const kws = new Set(set.flatMap((r) => r.keywords.map((k) => k.toLowerCase())));
  const pf = new KeywordPrefilter([...kws]);
  // warm up (JIT, lazily compiled regexes)
  for (const f of corpus.slice(0, 200)) sc.scanBuffer(f.buf, f.path);
  return { set, sc, kws, pf, pfMs: [], scanMs: [] };
});
for (let run = 0; run < runs; run++) {
  for (const s of sets) {
    // the prefilter alone, then the whole scan (prefilter + regexes + decoders)
    let t = cpuMs();
    let hitKinds = 0;
    let hitFiles = 0;
    for (const f of corpus) {
      const h = s.pf.occurrences(f.buf).size;
      hitKinds += h;
      if (h) hitFiles++;
    }
    s.pfMs.push(cpuMs() - t);
    s.hitKinds = hitKinds / Math.max(1, hitFiles);
    t = cpuMs();
    const byRule = {};
    for (const f of corpus) for (const m of s.sc.scanBuffer(f.buf, f.path).matches) byRule[m.ruleId] = (byRule[m.ruleId] ?? 0) + 1;
    s.scanMs.push(cpuMs() - t);
    s.byRule = byRule;
  }
}
out.load = loadavg().map((x) => +x.toFixed(2));
out.runs = runs;
log(`catalog growth: CPU time of one thread, median of ${runs} interleaved run(s); load average ${out.load.join(' ')} on ${cpus().length} cores`);
out.scale = [];
for (const s of sets) {
  const byRule = s.byRule;
  const total = Object.values(byRule).reduce((a, b) => a + b, 0);
  const generic = byRule['generic-secret-assignment'] ?? 0;
  const synth = Object.entries(byRule).filter(([k]) => k.startsWith('synthetic-')).reduce((a, [, v]) => a + v, 0);
  const pfMs = median(s.pfMs);
  const scanMs = median(s.scanMs);
  const top = Object.entries(byRule).sort((a, b) => b[1] - a[1]).slice(0, 8);
  const row = { topFindingRules: top, rules: s.set.length, keywords: s.kws.size, prefilterMsPerMB: pfMs / corpusMB, scanMsPerMB: scanMs / corpusMB, scanMBps: corpusMB / (scanMs / 1000), prefilterRunsMsPerMB: s.pfMs.map((x) => +(x / corpusMB).toFixed(2)), scanRunsMsPerMB: s.scanMs.map((x) => +(x / corpusMB).toFixed(2)), keywordKindsPerHitFile: s.hitKinds, findings: total, generic, synthetic: synth };
  out.scale.push(row);
  log(`${String(row.rules).padStart(5)} rules, ${String(row.keywords).padStart(5)} keywords: prefilter ${row.prefilterMsPerMB.toFixed(2)} ms/MB, full scan ${row.scanMsPerMB.toFixed(2)} ms/MB (${row.scanMBps.toFixed(0)} MB/s, one thread; runs ${row.scanRunsMsPerMB.join(' ')}), ${row.keywordKindsPerHitFile.toFixed(1)} keyword kinds per hit file, findings ${total} (generic ${generic}, synthetic ${synth})${top.length ? `; most: ${top.map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}`);
}
if (args.includes('--json')) process.stdout.write(`${JSON.stringify(out)}\n`);
