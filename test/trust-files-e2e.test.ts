import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/model/finding.js';
import type { Report } from '../src/model/report.js';
import { runCli } from './helpers/cli.js';
import { TempRepo } from './helpers/git-repo.js';
import { runJson } from './helpers/report.js';
import { expectGithubReadySarif } from './helpers/sarif.js';
import { fake } from './helpers/tokens.js';
import { nameFromBytes, nameToBytes, percentEncodeName, reportName, visible } from '../src/util/raw-path.js';

/**
 * Issue 13, "file names and encodings": names with a newline, a tab, an escape sequence or bytes
 * that are not UTF-8 are found and reported exactly as on disk, in the working tree and in history;
 * a file is read as UTF-16 only when its content is UTF-16.
 */

const b = (s: string) => Buffer.from(s, 'latin1'); // one byte per char: \xe9 is the byte 0xE9
const NAMES = {
  newline: b('a\nb.env'),
  tab: b('tab\there.env'),
  latin1: b('caf\xe9.env'),
  escape: b('\x1b[31mred.env'),
};
/** Only in history: deleted in the second commit (a newline and a byte that is not UTF-8). */
const GONE = b('gone\n\xff.env');

/** The exact bytes of a report place's name. */
function nameBytes(l: { path?: string; pathBase64?: string }): Buffer {
  return l.pathBase64 !== undefined ? Buffer.from(l.pathBase64, 'base64') : Buffer.from(l.path ?? '', 'utf8');
}

function findingOf(report: Report, token: string): Finding {
  // The redacted form keeps the last characters (a CRC32 in base62): enough to tell five random tokens apart.
  const f = report.findings.find((x) => x.ruleId === 'github-classic-pat' && x.secret?.redacted.endsWith(token.slice(-4)));
  expect(f, `finding for the token ending ${token.slice(-4)}`).toBeDefined();
  return f!;
}

describe('file names as they are on disk', () => {
  let repo: TempRepo;
  const tokens = new Map<Buffer, string>();
  let report: Report;
  let code: number;

  beforeAll(async () => {
    repo = new TempRepo();
    for (const name of [...Object.values(NAMES), GONE]) {
      const t = fake.githubPat();
      tokens.set(name, t);
      repo.writeRaw(name, `T=${t}\n`);
    }
    repo.commit('one');
    repo.removeRaw(GONE);
    repo.commit('two');
    ({ report, code } = await runJson(['scan', repo.dir]));
  }, 120_000);
  afterAll(() => repo?.remove());

  it('finds every token at the exact name, in the working tree and in history (JSON valid, pathBase64 for bytes not UTF-8)', () => {
    expect(code).toBe(1);
    expect(report.targets[0].status).toBe('ok');
    expect(report.targets[0].stats.files).toBe(4);
    expect(report.findings.filter((f) => f.ruleId === 'github-classic-pat')).toHaveLength(5);
    for (const name of Object.values(NAMES)) {
      const f = findingOf(report, tokens.get(name)!);
      const bySource = new Map(f.occurrences.map((o) => [o.source, o]));
      expect([...bySource.keys()].sort(), name.toString('latin1')).toEqual(['file', 'git-history']);
      for (const o of bySource.values()) expect(nameBytes(o).equals(name), `${o.source} ${JSON.stringify(o.path)}`).toBe(true);
      expect(bySource.get('git-history')!.commit).toMatch(/^[0-9a-f]{40}$/);
    }
    // Valid UTF-8 names keep the exact text in `path`, with no pathBase64; the Latin-1 one has both.
    expect(findingOf(report, tokens.get(NAMES.newline)!).location).toMatchObject({ path: 'a\nb.env' });
    expect(findingOf(report, tokens.get(NAMES.newline)!).location.pathBase64).toBeUndefined();
    expect(findingOf(report, tokens.get(NAMES.latin1)!).location).toMatchObject({ path: 'caf\uFFFD.env', pathBase64: NAMES.latin1.toString('base64') });
    const gone = findingOf(report, tokens.get(GONE)!);
    expect(gone.occurrences.map((o) => o.source)).toEqual(['git-history']);
    expect(nameBytes(gone.location).equals(GONE)).toBe(true);
    expect(gone.location.path).toBe('gone\n\uFFFD.env');
  });

  it('the terminal view shows control characters and bytes as escapes: no escape sequence, no fake line', async () => {
    const r = await runCli(['scan', '--verbose', repo.dir]);
    expect(r.code).toBe(1);
    for (const shown of ['a\\nb.env:1', 'tab\\there.env:1', 'caf\\xe9.env:1', '\\x1b[31mred.env:1', 'gone\\n\\xff.env:1']) expect(r.stdout).toContain(shown);
    expect(r.stdout + r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/); // no ESC, no tab, no control byte
    expect(r.stdout.split('\n').some((l) => l.trim().startsWith('b.env'))).toBe(false);
    const compact = await runCli(['scan', '--format', 'compact', repo.dir]);
    expect(compact.stdout).toContain('\\x1b[31mred.env:1');
    expect(compact.stdout).not.toContain('\x1b');
  });

  it('SARIF URIs percent-encode the name’s bytes (and stay valid URI references)', async () => {
    const r = await runCli(['scan', '--format', 'sarif', repo.dir]);
    const sarif = expectGithubReadySarif(r.stdout);
    const uris = sarif.runs[0].results.map((x) => (x.locations[0].physicalLocation as { artifactLocation: { uri: string } }).artifactLocation.uri);
    expect(uris).toEqual(expect.arrayContaining(['a%0Ab.env', 'tab%09here.env', 'caf%E9.env', '%1B%5B31mred.env', 'gone%0A%FF.env']));
  });

  it('fingerprints are stable for these names: a baseline made from one run hides them all in the next', async () => {
    const baseline = join(repo.dir, '..', `${repo.dir.split('/').pop()}-baseline.json`);
    const made = await runCli(['baseline', 'create', '-o', baseline, repo.dir]);
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(readFileSync(baseline, 'utf8')).findings.length).toBeGreaterThanOrEqual(5);
    const again = await runJson(['scan', '--baseline', baseline, repo.dir]);
    expect(again.code).toBe(0);
    expect(again.report.findings).toHaveLength(0);
    const second = await runJson(['scan', repo.dir]);
    expect(second.report.findings.map((f) => f.id).sort()).toEqual(report.findings.map((f) => f.id).sort());
  });

  it('--exclude matches a name that is not UTF-8 (as shown, U+FFFD for the byte) in the tree and in history', async () => {
    const r = await runJson(['scan', '--exclude', 'caf*.env', repo.dir]);
    expect(r.report.findings.some((f) => f.occurrences.some((o) => nameBytes(o).equals(NAMES.latin1)))).toBe(false);
    expect(r.report.findings.filter((f) => f.ruleId === 'github-classic-pat')).toHaveLength(4);
  });
});

describe('staged files with such names', () => {
  it('--staged finds the token at the exact name and line', async () => {
    const repo = new TempRepo();
    try {
      repo.commit('init', { 'README.md': 'x\n' });
      const name = b('st\xe8ged\tfile\n.env');
      repo.writeRaw(name, `X=1\nT=${fake.githubPat()}\n`);
      repo.git('add', '-A');
      const r = await runJson(['scan', '--staged', repo.dir]);
      expect(r.code).toBe(1);
      expect(r.report.findings).toHaveLength(1);
      const loc = r.report.findings[0].location;
      expect(nameBytes(loc).equals(name)).toBe(true);
      expect(loc).toMatchObject({ line: 2, committed: false });
    } finally {
      repo.remove();
    }
  });
});

describe('UTF-16 only when the content is UTF-16', () => {
  it('FF FE before ASCII text is 8-bit text; real UTF-16 (LE, BE, without BOM) is still decoded; FF FE binary is binary', async () => {
    const repo = new TempRepo();
    try {
      const t = { ffFe: fake.githubPat(), le: fake.githubPat(), be: fake.githubPat(), noBom: fake.githubPat() };
      const le = (s: string) => Buffer.from(s, 'utf16le');
      repo.write('ff-fe-ascii.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`token=${t.ffFe}\n`)]));
      repo.write('utf16le.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), le(`x\ntoken=${t.le}\n`)]));
      repo.write('utf16be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), le(`x\ntoken=${t.be}\n`).swap16()]));
      repo.write('utf16-nobom.txt', le(`token=${t.noBom}\n`));
      repo.write('ff-fe.bin', Buffer.from([0xff, 0xfe, 1, 0, 2, 0, 0, 0, 0, 0, 3, 4, 5, 0, 0, 0]));
      const r = await runJson(['scan', '--no-history', repo.dir]);
      const at = (token: string) => findingOf(r.report, token).occurrences.map((o) => o.path);
      expect(at(t.ffFe)).toEqual(['ff-fe-ascii.txt']);
      expect(at(t.le)).toEqual(['utf16le.txt']);
      expect(at(t.be)).toEqual(['utf16be.txt']);
      expect(at(t.noBom)).toEqual(['utf16-nobom.txt']);
      expect(r.report.targets[0].stats.skippedBinary).toBe(1);
    } finally {
      repo.remove();
    }
  });
});

describe('lossless names (src/util/raw-path.ts)', () => {
  it('round-trips any bytes, leaves UTF-8 names alone, and percent-encodes like encodeURIComponent', () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = randomBytes(1 + (i % 24));
      expect(nameToBytes(nameFromBytes(bytes)).equals(bytes)).toBe(true);
      const r = reportName(nameFromBytes(bytes));
      expect(/[\uD800-\uDFFF]/u.test(r.path)).toBe(false); // well-formed: valid JSON text
      if (r.pathBase64 !== undefined) expect(Buffer.from(r.pathBase64, 'base64').equals(bytes)).toBe(true);
      else expect(Buffer.from(r.path, 'utf8').equals(bytes)).toBe(true);
    }
    for (const s of ['plain.env', 'é/日本.txt', 'a b+c%d', '😀\t']) {
      expect(nameFromBytes(Buffer.from(s, 'utf8'))).toBe(s);
      expect(percentEncodeName(s)).toBe(encodeURIComponent(s));
    }
    expect(percentEncodeName(nameFromBytes(b('caf\xe9 x')))).toBe('caf%E9%20x');
    expect(visible(nameFromBytes(b('\x1b[2J\u009b\r\xe9')))).toBe('\\x1b[2J\\x9b\\r\\xe9');
    expect(visible('a\u202eb\u2028c')).toBe('a\\u{202e}b\\u{2028}c');
  });
});
