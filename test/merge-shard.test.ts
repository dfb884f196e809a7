import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli/errors.js';
import { parseShard, selectShard, shardOf } from '../src/cli/shard.js';
import type { Finding, Location } from '../src/model/finding.js';
import { findingId } from '../src/model/fingerprint.js';
import type { Report } from '../src/model/report.js';
import { runCli } from './helpers/cli.js';
import { customRulesYaml, customToken } from './helpers/gate-config.js';
import { TempRepo } from './helpers/git-repo.js';
import { expectGithubReadySarif } from './helpers/sarif.js';

describe('--shard I/N', () => {
  it('parses I/N and rejects anything else with a usage error', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    expect(parseShard(undefined)).toBeUndefined();
    for (const bad of ['0/2', '3/2', '1/0', 'a/b', '1', '1/2/3', '-1/2']) expect(() => parseShard(bad)).toThrow(UsageError);
  });

  it('splits targets deterministically into disjoint shards that cover them all, roughly evenly', () => {
    const names = Array.from({ length: 300 }, (_, i) => `repos/org-${i}`);
    const shards = [1, 2, 3].map((index) => selectShard(names, { index, count: 3 }));
    expect(shards.flat().sort()).toEqual([...names].sort());
    for (const s of shards) expect(s.length).toBeGreaterThan(70); // 100 expected each
    expect(selectShard(names, { index: 2, count: 3 })).toEqual(shards[1]); // same answer every time
    // The key ignores ./ and trailing slashes, so `repos/a/` and `./repos/a` land together.
    expect(shardOf('./repos/a/', 7)).toBe(shardOf('repos/a', 7));
  });
});

/** Findings with target indexes replaced by target paths, so two runs can be compared. */
function normalise(r: Report): unknown {
  const where = (l: Location) => ({ ...l, target: r.targets[l.target ?? 0].path });
  const f = (x: Finding) => ({ ...x, location: where(x.location), owasp: [...x.owasp].sort(), occurrences: x.occurrences.map(where).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) });
  return {
    findings: r.findings.map(f).sort((a, b) => a.id.localeCompare(b.id)),
    targets: [...r.targets].sort((a, b) => a.path.localeCompare(b.path)),
    summary: r.summary,
  };
}

describe('sharded scans merged equal the unsharded scan (built CLI)', { timeout: 90_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'nhi-audit-org-'));
  const names = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
  const repos: TempRepo[] = [];
  const shared = customToken('critical'); // reused across two repositories → one finding, NHI9
  const planted: string[] = [shared];
  let full: Report;

  beforeAll(async () => {
    writeFileSync(join(root, '.nhi-audit.yaml'), customRulesYaml());
    for (const [i, n] of names.entries()) {
      const repo = new TempRepo();
      repos.push(repo);
      const own = customToken(i % 2 ? 'high' : 'low');
      planted.push(own);
      for (let k = 0; k < i; k++) repo.commit(`filler ${k}`, { [`f${k}.txt`]: 'nothing\n' }); // distinct commit dates per repo
      repo.commit('work', { [`src/${n}.js`]: `const k = '${own}';\n`, ...(n === 'alpha' || n === 'gamma' ? { 'shared.env': `TOKEN=${shared}\n` } : {}) });
      // Repos live at root/repos/<name>: the shard key is the path as given.
      rmSync(join(root, 'repos', n), { recursive: true, force: true });
      repo.git('clone', '-q', repo.dir, join(root, 'repos', n));
    }
    const r = await runCli(['scan', '--threads', '1', '-f', 'json', '-o', 'full.json', ...names.map((n) => `repos/${n}`)], { cwd: root });
    expect(r.code, r.stderr).toBe(1);
    full = JSON.parse(readFileSync(join(root, 'full.json'), 'utf8')) as Report;
  });
  afterAll(() => {
    for (const r of repos) r.remove();
    rmSync(root, { recursive: true, force: true });
  });

  it('two shards take disjoint, non-empty halves and their merge equals the unsharded report', async () => {
    const paths = names.map((n) => `repos/${n}`);
    for (const i of [1, 2]) {
      const r = await runCli(['scan', '--threads', '1', '--shard', `${i}/2`, '-f', 'json', '-o', `shard-${i}.json`, ...paths], { cwd: root });
      expect([0, 1]).toContain(r.code);
      expect(r.stderr).toMatch(new RegExp(`shard ${i}/2: \\d of 5 targets`));
    }
    const s1 = JSON.parse(readFileSync(join(root, 'shard-1.json'), 'utf8')) as Report;
    const s2 = JSON.parse(readFileSync(join(root, 'shard-2.json'), 'utf8')) as Report;
    expect(s1.targets.length).toBeGreaterThan(0);
    expect(s2.targets.length).toBeGreaterThan(0);
    expect([...s1.targets, ...s2.targets].map((t) => t.path).sort()).toEqual([...paths].sort());

    const m = await runCli(['merge', '-f', 'json', '-o', 'merged.json', 'shard-1.json', 'shard-2.json'], { cwd: root });
    expect(m.code).toBe(1); // the merged report is gated like a scan
    const merged = JSON.parse(readFileSync(join(root, 'merged.json'), 'utf8')) as Report;
    expect(normalise(merged)).toEqual(normalise(full));
    const reused = merged.findings.find((f) => f.occurrences.some((o) => o.path === 'shared.env'))!;
    expect(new Set(reused.occurrences.map((o) => merged.targets[o.target!].path))).toEqual(new Set(['repos/alpha', 'repos/gamma']));
    expect(reused.owasp).toContain('NHI9');
    expect(reused.message.match(/Seen in \d+ places/g)).toHaveLength(1);
  });

  it('merge renders any format; SARIF of the merge is upload-ready and leaks nothing', async () => {
    const r = await runCli(['merge', '-f', 'sarif', 'shard-1.json', 'shard-2.json'], { cwd: root });
    expect(r.code).toBe(1);
    const sarif = expectGithubReadySarif(r.stdout);
    expect(sarif.runs[0].results.length).toBe(full.findings.length);
    // Paths are prefixed with the target directory so they resolve from where the scan ran.
    expect(sarif.runs[0].results.map((x) => x.locations[0].physicalLocation.artifactLocation.uri)).toContain('repos/beta/src/beta.js');
    const md = await runCli(['merge', '-f', 'markdown', '--fail-on', 'none', 'shard-1.json', 'shard-2.json'], { cwd: root });
    expect(md.code).toBe(0);
    expect(md.stdout).toContain(`### 🔐 nhi-audit: ${full.findings.length} findings`);
    for (const v of planted) {
      expect(r.stdout).not.toContain(v);
      expect(md.stdout).not.toContain(v);
    }
  });

  it('merges reports of different sources (code + aws) and re-indexes their targets', async () => {
    const arn = 'arn:aws:iam::123456789012:role/ci-admin';
    const aws: Report = {
      schemaVersion: '1.0.0',
      tool: { name: 'nhi-audit', version: '0.1.0' },
      targets: [{ kind: 'aws', path: '123456789012', status: 'ok', stats: { roles: 1 }, assessed: ['NHI5'] }],
      findings: [{ id: findingId('aws-role-admin', `${arn}\0`), ruleId: 'aws-role-admin', title: 'Role with AdministratorAccess', severity: 'high', score: 7.5, owasp: ['NHI5'], source: 'aws-iam', location: { resource: arn, target: 0 }, occurrences: [{ source: 'aws-iam', resource: arn, target: 0 }], message: 'The role can do anything.', remediation: 'Scope it down.' }],
      summary: { total: 1, bySeverity: { critical: 0, high: 1, medium: 0, low: 0, info: 0 }, byOwasp: { NHI1: 'not assessed', NHI2: 'not assessed', NHI3: 'not assessed', NHI4: 'not assessed', NHI5: 1, NHI6: 'not assessed', NHI7: 'not assessed', NHI8: 'not assessed', NHI9: 'not assessed', NHI10: 'not assessed' } },
    };
    writeFileSync(join(root, 'aws.json'), JSON.stringify(aws));
    const r = await runCli(['merge', '-f', 'json', 'full.json', 'aws.json'], { cwd: root });
    const merged = JSON.parse(r.stdout) as Report;
    expect(merged.targets.map((t) => t.kind)).toEqual([...full.targets.map((t) => t.kind), 'aws']);
    const role = merged.findings.find((f) => f.ruleId === 'aws-role-admin')!;
    expect(role.location.target).toBe(full.targets.length);
    expect(merged.summary.byOwasp.NHI5).toBe(1);
    expect(merged.summary.byOwasp.NHI2).toBeGreaterThan(0);
    const s = await runCli(['merge', '-f', 'sarif', 'full.json', 'aws.json'], { cwd: root });
    const sarif = expectGithubReadySarif(s.stdout);
    expect(sarif.runs[0].automationDetails.id).toBe('nhi-audit/aws+code/');
  });

  it('rejects what is not a JSON report, naming the file (exit 2)', async () => {
    writeFileSync(join(root, 'not-json.txt'), 'hello');
    writeFileSync(join(root, 'other.json'), '{"runs": []}');
    const a = await runCli(['merge', 'full.json', 'not-json.txt'], { cwd: root });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('not-json.txt: not a JSON report (produce one with -f json)');
    const b = await runCli(['merge', 'other.json'], { cwd: root });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/other\.json: not an nhi-audit JSON report: /);
    const c = await runCli(['merge', 'missing.json'], { cwd: root });
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('missing.json: cannot read (no such file)');
  });
});
