// The history corpus: a git repository with thousands of commits synthesised deterministically from
// the tree corpus with `git fast-import`: files added in batches, then edits and deletions, and
// secrets planted in some commits and removed a few commits later (they live on in history only).
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { POSITIVES } from './lib/credentials.mjs';
import { Rng } from './lib/rng.mjs';
import { PACKAGES, PLANTED_DIR } from './tree-corpus.mjs';

const VERSION = 'repo-v1';
/** Packages left out of the repository so it is not a copy of the working-tree corpus. */
const EXCLUDED_TOP = new Set(['monaco-editor', PLANTED_DIR]);
const CHURN_COMMITS = 1700;
const PLANT_EVERY = 24;
const MAX_EDIT_SIZE = 256 * 1024;
const EPOCH = 1600000000;

function listFiles(root) {
  const out = [];
  const stack = [root];
  while (stack.length) {
    const d = stack.pop();
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const rel = relative(root, p);
      if (d === root && EXCLUDED_TOP.has(e.name)) continue;
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile() && !/[\n"\\]/.test(rel)) out.push(rel);
    }
  }
  return out.sort();
}

/** Writes a fast-import stream to git with backpressure. */
class Importer {
  constructor(repo, marksFile) {
    this.proc = spawn('git', ['fast-import', '--quiet', `--export-marks=${marksFile}`], { cwd: repo, stdio: ['pipe', 'ignore', 'inherit'] });
    this.done = new Promise((resolve, reject) => this.proc.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited with ${code}`)))));
  }

  async write(chunk) {
    if (!this.proc.stdin.write(chunk)) await new Promise((r) => this.proc.stdin.once('drain', r));
  }

  async end() {
    this.proc.stdin.end();
    await this.done;
  }
}

function commitHeader(mark, n, message, parent) {
  const when = `${EPOCH + n * 3571} +0000`;
  const msg = Buffer.from(message + '\n');
  return `commit refs/heads/main\nmark :${mark}\nauthor Bench Author <bench@nhi-audit.invalid> ${when}\ncommitter Bench Author <bench@nhi-audit.invalid> ${when}\ndata ${msg.length}\n${msg}${parent ? `from :${parent}\n` : ''}`;
}

function modify(path, content) {
  return [Buffer.from(`M 100644 inline ${path}\ndata ${content.length}\n`), content, Buffer.from('\n')];
}

/** An edited version of a text: one line changed or a line inserted, as a developer would. */
function edit(content, r, n) {
  const lines = content.toString('latin1').split('\n');
  const i = r.int(0, Math.max(0, lines.length - 1));
  if (r.chance(0.5)) lines[i] = `${lines[i]} // rev ${n}`;
  else lines.splice(i, 0, `// change ${n}: ${r.pick(['tidy imports', 'fix off-by-one', 'bump timeout', 'rename helper'])}`);
  return Buffer.from(lines.join('\n'), 'latin1');
}

/** A small config file that leaks one credential, as `NAME=value` lines between ordinary ones. */
function leakFile(t, r) {
  const out = t.gen(r);
  const kv = out.kv;
  const lines = ['# deploy settings', `SERVICE=svc-${r.int(1, 99)}`];
  const line = lines.length + 1;
  for (const [k, v] of kv) lines.push(`${k}=${v}`);
  const endLine = lines.length;
  lines.push('LOG_LEVEL=info');
  return { content: Buffer.from(lines.join('\n') + '\n'), line, endLine, values: kv.map(([, v]) => v) };
}

/** The manifest of a bench repository already built from the same inputs (`key`), else a new empty repository. */
function reuseOrInit(repo, manifestFile, key) {
  if (existsSync(manifestFile) && existsSync(join(repo, '.git'))) {
    const m = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (m.key === key) return m;
  }
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  return undefined;
}

/**
 * Build .bench/repo (reused when already built from the same inputs). Returns the planted history
 * secrets with the commit that introduced each.
 */
export async function buildRepo(benchDir, treeDir, log) {
  const repo = join(benchDir, 'repo');
  const manifestFile = join(benchDir, 'repo-planted.json');
  const key = createHash('sha256').update([VERSION, ...PACKAGES].join('\n')).digest('hex');
  const built = reuseOrInit(repo, manifestFile, key);
  if (built) return built;
  const marksFile = join(benchDir, 'repo-marks.txt');
  const imp = new Importer(repo, marksFile);
  const r = new Rng('nhi-audit-bench-repo');
  const files = listFiles(treeDir);
  log(`building ${repo} from ${files.length} files with git fast-import`);

  let mark = 0;
  let n = 0;
  const commit = async (message, changes) => {
    mark++;
    n++;
    await imp.write(commitHeader(mark, n, message, mark > 1 ? mark - 1 : undefined));
    for (const c of changes) await imp.write(c);
    await imp.write('\n');
    return mark;
  };

  // The root commit is empty and tagged, so `--since bench-root` covers every blob of history.
  const root = await commit('root', []);
  await imp.write(`reset refs/tags/bench-root\nfrom :${root}\n\n`);

  const live = new Set();
  const edited = new Map();
  const current = (p) => edited.get(p) ?? readFileSync(join(treeDir, p));
  for (let i = 0; i < files.length; ) {
    const batch = files.slice(i, i + r.int(5, 15));
    i += batch.length;
    const changes = [];
    for (const p of batch) {
      changes.push(...modify(p, readFileSync(join(treeDir, p))));
      live.add(p);
    }
    await commit(`add ${batch[0].split('/')[0]}: ${batch.length} files`, changes);
  }

  const editable = files.filter((p) => statSync(join(treeDir, p)).size <= MAX_EDIT_SIZE && /\.(js|ts|mjs|cjs|json|md|d\.ts)$/.test(p));
  const planted = [];
  const removals = new Map(); // commit number → paths to delete
  let typeIndex = 0;
  for (let c = 0; c < CHURN_COMMITS; c++) {
    const changes = [];
    let message = `update ${c}`;
    for (let k = r.int(1, 3); k > 0; k--) {
      const p = r.pick(editable);
      if (!live.has(p)) continue;
      const next = edit(current(p), r, c);
      edited.set(p, next);
      changes.push(...modify(p, next));
    }
    if (r.chance(0.04)) {
      const p = r.pick(editable);
      if (live.has(p)) {
        live.delete(p);
        changes.push(Buffer.from(`D ${p}\n`));
        message += ', remove a file';
      }
    }
    for (const p of removals.get(c) ?? []) changes.push(Buffer.from(`D ${p}\n`));
    let leak;
    if (c % PLANT_EVERY === 7) {
      const t = POSITIVES[typeIndex++ % POSITIVES.length];
      const f = leakFile(t, r.fork(`leak/${c}`));
      const path = `deploy/${t.provider}/${r.pick(['prod', 'staging', 'dev'])}-${c}.env`;
      changes.push(...modify(path, f.content));
      leak = { type: t.type, provider: t.provider, accept: t.accept.source, path, line: f.line, endLine: f.endLine, values: f.values };
      const gone = c + r.int(3, 40);
      removals.set(gone, [...(removals.get(gone) ?? []), path]);
      message = `configure ${t.provider} for deploy`;
    }
    const m = await commit(message, changes);
    if (leak) planted.push({ ...leak, mark: m });
  }
  // Anything still planted is removed at the end: the secrets survive only in history.
  const left = [...removals.entries()].filter(([c]) => c >= CHURN_COMMITS).flatMap(([, ps]) => ps);
  if (left.length) await commit('remove leftover deploy files', left.map((p) => Buffer.from(`D ${p}\n`)));
  await imp.end();

  const marks = new Map(readFileSync(marksFile, 'utf8').trim().split('\n').map((l) => { const [m, sha] = l.split(' '); return [Number(m.slice(1)), sha]; }));
  execFileSync('git', ['reset', '-q', '--hard', 'main'], { cwd: repo });
  const manifest = { key, commits: n, positives: planted.map((p, i) => ({ id: `H${i + 1}`, ...p, commit: marks.get(p.mark) })) };
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 1));
  log(`built ${repo}: ${n} commits, ${planted.length} secrets planted in history`);
  return manifest;
}

/** Per unit of scale: small files added, then commits that edit them (each edit is a new blob). */
const GROWTH_FILES = 600;
const GROWTH_CHURN = 1500;
const GROWTH_MAX_FILE = 32 * 1024;

/**
 * A history that grows with `scale` in commits and blobs while each blob stays small: `scale` × 600
 * small files of the tree corpus (reused under g<n>/ prefixes when the tree has too few), added in
 * batches, then `scale` × 1,500 commits that edit 1–3 of them, with a credential planted every 24
 * commits and deleted a few commits later (so the scan attributes findings to commits). Scanning
 * .bench/repo-growth-1x, -3x and -9x shows whether peak memory grows with history (it must not:
 * state per blob or commit must be bounded). Reused when already built.
 */
export async function buildGrowthRepo(benchDir, treeDir, scale, log) {
  const repo = join(benchDir, `repo-growth-${scale}x`);
  const manifestFile = join(benchDir, `repo-growth-${scale}x.json`);
  const key = createHash('sha256').update([VERSION, 'growth-v1', scale, ...PACKAGES].join('\n')).digest('hex');
  const built = reuseOrInit(repo, manifestFile, key);
  if (built) return built;
  const imp = new Importer(repo, join(benchDir, `repo-growth-${scale}x-marks.txt`));
  const r = new Rng(`nhi-audit-bench-growth-${scale}`);
  const small = listFiles(treeDir).filter((p) => statSync(join(treeDir, p)).size <= GROWTH_MAX_FILE);
  const files = Array.from({ length: GROWTH_FILES * scale }, (_, i) => ({ src: small[i % small.length], path: `g${Math.floor(i / small.length)}/${small[i % small.length]}` }));
  log(`building ${repo}: ${files.length} files, ${GROWTH_CHURN * scale} edit commits`);
  let n = 0;
  const commit = async (message, changes) => {
    n++;
    await imp.write(commitHeader(n, n, message, n > 1 ? n - 1 : undefined));
    for (const c of changes) await imp.write(c);
    await imp.write('\n');
  };
  await commit('root', []);
  await imp.write(`reset refs/tags/bench-root\nfrom :1\n\n`);
  const content = new Map();
  for (let i = 0; i < files.length; ) {
    const batch = files.slice(i, i + r.int(5, 15));
    i += batch.length;
    const changes = [];
    for (const f of batch) {
      const c = readFileSync(join(treeDir, f.src));
      content.set(f.path, c);
      changes.push(...modify(f.path, c));
    }
    await commit(`add ${batch.length} files`, changes);
  }
  const paths = files.map((f) => f.path);
  const removals = new Map();
  let planted = 0;
  let typeIndex = 0;
  for (let c = 0; c < GROWTH_CHURN * scale; c++) {
    const changes = [];
    for (let k = r.int(1, 3); k > 0; k--) {
      const p = r.pick(paths);
      const next = edit(content.get(p), r, c);
      content.set(p, next);
      changes.push(...modify(p, next));
    }
    for (const p of removals.get(c) ?? []) changes.push(Buffer.from(`D ${p}\n`));
    if (c % PLANT_EVERY === 7) {
      const t = POSITIVES[typeIndex++ % POSITIVES.length];
      const path = `deploy/${t.provider}/env-${c}.env`;
      changes.push(...modify(path, leakFile(t, r.fork(`leak/${c}`)).content));
      const gone = c + r.int(3, 40);
      removals.set(gone, [...(removals.get(gone) ?? []), path]);
      planted++;
    }
    await commit(`update ${c}`, changes);
  }
  const left = [...removals.entries()].filter(([c]) => c >= GROWTH_CHURN * scale).flatMap(([, ps]) => ps);
  if (left.length) await commit('remove leftover deploy files', left.map((p) => Buffer.from(`D ${p}\n`)));
  await imp.end();
  execFileSync('git', ['reset', '-q', '--hard', 'main'], { cwd: repo });
  const manifest = { key, repo, scale, commits: n, files: files.length, planted };
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 1));
  log(`built ${repo}: ${n} commits, ${planted} secrets planted in history`);
  return manifest;
}
