// Timed runs: the built CLI in a child process (wall time, peak RSS of the whole process including
// its worker threads, CPU time) and ripgrep over the same tree with the rules' patterns.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePattern } from '../../dist/detect/rule-matcher.js';

const WRAPPER = fileURLToPath(new URL('./rss-wrapper.mjs', import.meta.url));

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn(cmd, args, { stdio: ['ignore', opts.stdout ?? 'ignore', 'pipe'], env: opts.env ?? process.env, cwd: opts.cwd });
    let stderr = '';
    p.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19));
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, wallMs: Number(process.hrtime.bigint() - t0) / 1e6, stderr }));
  });
}

/**
 * One CLI run: `nhi-audit <args> -f json -o <out>`; returns timing, resource usage and the report's
 * first target stats. Exit codes 0 and 1 (findings) are success; anything else throws.
 */
export async function runScan(args, out) {
  const env = { ...process.env, NO_COLOR: '1', CI: 'true' };
  delete env.FORCE_COLOR;
  const r = await run(process.execPath, [WRAPPER, 'scan', ...args, '-f', 'json', '-o', out, '--fail-on', 'none'], { env });
  if (r.code !== 0 && r.code !== 1) throw new Error(`nhi-audit scan ${args.join(' ')} exited ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const m = /@@bench (\{.*\})/.exec(r.stderr);
  const usage = m ? JSON.parse(m[1]) : {};
  const report = JSON.parse(readFileSync(out, 'utf8'));
  const stats = {};
  for (const t of report.targets) for (const [k, v] of Object.entries(t.stats ?? {})) stats[k] = (stats[k] ?? 0) + v;
  const bad = report.targets.filter((t) => t.status === 'error');
  if (bad.length) throw new Error(`nhi-audit could not scan ${bad.map((t) => `${t.path}: ${t.error}`).join('; ')}`);
  return { wallMs: r.wallMs, maxRSSMB: usage.maxRSSKB / 1024, cpuMs: usage.userMs + usage.systemMs, stats, report };
}

function summarize(runs) {
  const wall = median(runs.map((x) => x.wallMs));
  return { runs, wallMs: wall, median: runs.find((x) => x.wallMs === wall) ?? runs[0] };
}

/** Run `times` timed repetitions of an async function and keep the median by wall time. */
export async function repeat(times, fn) {
  const runs = [];
  for (let i = 0; i < times; i++) runs.push(await fn(i));
  return summarize(runs);
}

/**
 * Timed repetitions of several contenders, interleaved (a, b, a, b …) so that load from other
 * processes on a shared machine hits them alike. Returns one summary per contender.
 */
export async function interleave(times, fns) {
  const runs = fns.map(() => []);
  for (let i = 0; i < times; i++) for (const [k, fn] of fns.entries()) runs[k].push(await fn(i));
  return runs.map(summarize);
}

// ---------- ripgrep ----------

export function findRipgrep() {
  const which = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' });
  if (which.status === 0) return which.stdout.trim();
  return undefined;
}

/** Install Debian's ripgrep when we are root and apt-get exists; returns the path or a reason. */
export function installRipgrep(log) {
  const isRoot = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (!isRoot || !apt) return { reason: `rg not installed${isRoot ? '' : ' and not root'}${apt ? '' : ', no apt-get'}` };
  log('ripgrep not found: installing Debian package ripgrep with apt-get');
  try {
    execFileSync('sh', ['-c', 'apt-get install -y -qq ripgrep >/dev/null 2>&1 || (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq ripgrep >/dev/null 2>&1)']);
  } catch {
    return { reason: 'rg not installed and apt-get install ripgrep failed' };
  }
  const rg = findRipgrep();
  return rg ? { rg } : { reason: 'apt-get install ripgrep did not provide rg' };
}

/**
 * A rule's JS pattern for rg: leading flags scoped to the pattern (rg joins -e patterns with `|`, so
 * an unscoped (?i) would leak into the others) and named groups written (?P<…>) — the syntax both
 * Rust regex and PCRE2 accept — with a per-rule prefix, since one regex cannot define a name twice.
 */
export function toRipgrep(pattern, n = 0) {
  const { source, flags } = parsePattern(pattern);
  const src = source.replace(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g, `(?P<r${n}_$1>`).replace(/\\k<([A-Za-z_][A-Za-z0-9_]*)>/g, `\\k<r${n}_$1>`);
  return flags ? `(?${flags}:${src})` : `(?:${src})`;
}

function compiles(rg, args) {
  return spawnSync(rg, [...args, '--no-config', '--regex-size-limit', '1G', '-q', '/dev/null'], { encoding: 'utf8' }).status !== 2;
}

/**
 * Group the rules' patterns by what rg needs to run them: its default Rust regex engine (fast, no
 * look-around) or PCRE2 (-P), and multiline mode (-U) only for patterns that match a newline.
 * Each group is one rg pass; covering every rule takes all passes.
 */
export function ripgrepPatterns(rg, rules) {
  const groups = new Map();
  const dropped = [];
  for (const [n, r] of rules.entries()) {
    const p = toRipgrep(r.pattern, n);
    const mode = [
      ['rust', false, []],
      ['rust', true, ['-U']],
      ['pcre2', false, ['-P']],
      ['pcre2', true, ['-P', '-U']],
    ].find(([, , flags]) => compiles(rg, [...flags, '-e', p]));
    if (!mode) {
      dropped.push(r.id);
      continue;
    }
    const key = `${mode[0]}${mode[1] ? '+multiline' : ''}`;
    if (!groups.has(key)) groups.set(key, { name: key, pcre: mode[0] === 'pcre2', multiline: mode[1], patterns: [], rules: [] });
    groups.get(key).patterns.push(p);
    groups.get(key).rules.push(r.id);
  }
  return { groups: [...groups.values()], dropped };
}

const RG_BASE = ['--no-config', '--no-ignore', '--hidden', '--no-messages', '--count', '--max-filesize', '10M', '--regex-size-limit', '1G'];

/** One rg pass over `dirs` with the given patterns; rg's exit 1 (no match) is fine. */
export async function runRipgrep(rg, dirs, patterns, { pcre = false, multiline = false, fixed = false, ignoreCase = false } = {}) {
  const flags = [...(pcre ? ['-P'] : []), ...(multiline ? ['-U'] : []), ...(fixed ? ['-F'] : []), ...(ignoreCase ? ['-i'] : [])];
  const args = [...RG_BASE, ...flags, ...patterns.flatMap((p) => ['-e', p]), ...[dirs].flat()];
  const r = await run(rg, args, { stdout: 'ignore' });
  if (r.code === 2 && !/^\s*$/.test(r.stderr)) throw new Error(`rg failed: ${r.stderr.trim().split('\n')[0]}`);
  return { wallMs: r.wallMs };
}

/**
 * rg with every rule's pattern, one pass per pattern (rg's fastest way to run many unrelated
 * regexes: each gets its own literal prefilter; a combined alternation falls back to slow engines).
 */
export async function runRipgrepPerRule(rg, dirs, pats) {
  let wallMs = 0;
  const slowest = [];
  for (const g of pats.groups) {
    for (const [i, p] of g.patterns.entries()) {
      const r = await runRipgrep(rg, dirs, [p], g);
      wallMs += r.wallMs;
      slowest.push({ rule: g.rules[i], engine: g.name, ms: Math.round(r.wallMs) });
    }
  }
  return { wallMs, slowest: slowest.sort((a, b) => b.ms - a.ms).slice(0, 8) };
}

/** Every rule keyword, lower-cased and deduplicated: what the engine's prefilter searches for. */
export function ruleKeywords(rules) {
  return [...new Set(rules.flatMap((r) => r.keywords.map((k) => k.toLowerCase())))];
}
