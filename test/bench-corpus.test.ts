// The benchmark's corpus generators at small size: the labeled corpus (the manifest points at the right
// lines, every credential type and look-alike kind is there, files are valid in their format,
// checksummed / structured tokens pass or, for the broken look-alikes, fail the validators), the rule
// corpus (every rule planted with generated values, history-only places, look-alikes), the lockfile
// corpus, and the scoring (per provider family, joined findings).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { isLockfilePath, looksLikeLockfile } from '../src/detect/lockfile.js';
import { SecretScanner } from '../src/detect/scanner.js';
import { checkBasicAuthBase64, checkJwt, checkPrefixedCrc32 } from '../src/detect/validators.js';
import { loadSecretRules } from '../src/rules/catalog.js';
import { detections, perFamily, score } from './bench/accuracy.mjs';
import { checkManifest, generateLabeledCorpus } from './bench/labeled-corpus.mjs';
import { KEY_TYPES, POSITIVES } from './bench/lib/credentials.mjs';
import { DOCUMENTS } from './bench/lib/documents.mjs';
import { FORMATS } from './bench/lib/formats.mjs';
import { LOOKALIKES } from './bench/lib/lookalikes.mjs';
import { soloScanner } from './bench/lib/mutate.mjs';
import { Rng } from './bench/lib/rng.mjs';
import { generateLockfiles } from './bench/lockfile-corpus.mjs';
import { generateRuleCorpus, ruleCorpusSeed, seedArg } from './bench/rule-corpus.mjs';

const dirs: string[] = [];
function corpus(seed = 'unit') {
  const dir = mkdtempSync(join(tmpdir(), 'nhi-bench-corpus-'));
  dirs.push(dir);
  return { dir, manifest: generateLabeledCorpus(dir, { seed, perType: 1, perKind: 1 }) };
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const { dir, manifest } = corpus();
const read = (p: string) => readFileSync(join(dir, p), 'utf8');
const valuesOf = (type: string) => manifest.positives.filter((p) => p.type === type).flatMap((p) => p.values);

describe('labeled benchmark corpus', () => {
  it('has a well-formed manifest whose labels point at their values', () => {
    expect(checkManifest(manifest, read)).toEqual([]);
    expect(manifest.positives.length).toBeGreaterThan(100);
    expect(manifest.negatives.length).toBeGreaterThan(40);
  });

  it('covers every credential type and every look-alike kind', () => {
    const types = new Set(manifest.positives.map((p) => p.type));
    for (const t of [...POSITIVES, ...KEY_TYPES, ...DOCUMENTS]) expect(types, t.type).toContain(t.type);
    const kinds = new Set(manifest.negatives.map((n) => n.kind));
    for (const k of LOOKALIKES) expect(kinds, k.kind).toContain(k.kind);
  });

  it('is reproducible from its seed', () => {
    const again = corpus();
    expect(again.manifest.positives).toEqual(manifest.positives);
    expect(read(manifest.files[0])).toBe(readFileSync(join(again.dir, manifest.files[0]), 'utf8'));
    expect(corpus('other-seed').manifest.positives[0].values).not.toEqual(manifest.positives[0].values);
  });

  it('writes files that parse in their own format', () => {
    for (const f of manifest.files) {
      if (/\.(json|ipynb)$/.test(f)) expect(() => JSON.parse(read(f)), f).not.toThrow();
      if (/\.ya?ml$/.test(f)) expect(YAML.parseAllDocuments(read(f)).flatMap((d) => d.errors), f).toEqual([]);
    }
  });

  it('generates GitHub and npm tokens with valid CRC32 checksums, and look-alikes with broken ones', () => {
    const crcTypes = ['github-classic-pat', 'github-oauth-token', 'github-user-to-server', 'github-app-installation', 'github-refresh-token', 'npm-token'];
    for (const t of crcTypes) {
      const vs = valuesOf(t);
      expect(vs.length, t).toBeGreaterThan(0);
      for (const v of vs) {
        expect(v, t).toMatch(/^(gh[pousr]|npm)_[A-Za-z0-9]{36}$/);
        expect(checkPrefixedCrc32(v), v).toBe(true);
      }
    }
    const broken = manifest.negatives.filter((n) => n.kind === 'github-wrong-checksum' || n.kind === 'npm-wrong-checksum').flatMap((n) => n.values);
    expect(broken.length).toBeGreaterThan(0);
    for (const v of broken) expect(checkPrefixedCrc32(v), v).toBe(false);
  });

  it('generates structurally valid JWTs, docker auths and Azure keys', () => {
    for (const v of [...valuesOf('jwt'), ...valuesOf('supabase-service-role-jwt'), ...valuesOf('kubeconfig-token')]) expect(checkJwt(v), v).toBe(true);
    for (const n of manifest.negatives.filter((x) => x.kind === 'jwt-bad-header')) expect(checkJwt(n.values[0])).toBe(false);
    for (const v of valuesOf('docker-config-auth')) expect(checkBasicAuthBase64(v), v).toBe(true);
    const key = valuesOf('azure-storage-key').find((v) => v.length === 88)!;
    expect(Buffer.from(key, 'base64')).toHaveLength(64);
  });
});

describe('benchmark accuracy scoring', () => {
  it('counts a finding on a planted line with a rule of its provider, and anything else against precision', () => {
    const gh = manifest.positives.find((p) => p.type === 'github-classic-pat')!;
    const slack = manifest.positives.find((p) => p.type === 'slack-bot-token')!;
    const neg = manifest.negatives.find((n) => n.kind === 'changeme')!;
    const finding = (ruleId: string, path: string, line: number) => ({ ruleId, location: { path, line }, occurrences: [{ path, line, source: 'file' }] });
    const report = {
      findings: [
        finding('github-classic-pat', gh.path, gh.line),
        finding('aws-access-key', slack.path, slack.line), // right place, wrong provider
        finding('generic-secret-assignment', neg.path, neg.line), // fired on a look-alike
        finding('some-posture-check', gh.path, gh.line), // not a secret rule: ignored
      ],
    };
    const groups = new Map([
      ['github-classic-pat', 'github'],
      ['aws-access-key', 'aws'],
      ['generic-secret-assignment', 'generic'],
    ]);
    const s = score(manifest, detections(report, groups));
    expect(s.found).toBe(1);
    expect(s.detections).toBe(3);
    expect(s.correctDetections).toBe(1);
    expect(s.misses.find((m: { id: string }) => m.id === slack.id)?.wrongRules).toEqual(['aws-access-key']);
    expect(s.fpByKind).toEqual({ 'wrong provider for slack-bot-token': 1, 'look-alike changeme': 1 });
    expect(s.rulesUsed['github-classic-pat']).toEqual({ 'github-classic-pat': 1 });
  });
});

// ---- the rule corpus, lockfile corpus and per-family scoring (small: a few rules, few entries) ----

const ruleDirs: string[] = [];
afterAll(() => ruleDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const SAMPLE_IDS = ['github-classic-pat', 'npm-access-token', 'stripe-live-secret-key', 'azure-storage-account-key', 'aws-secret-access-key', 'private-key-openssh', 'slack-webhook-url', 'databox-token', 'react-app-env-secret', 'docker-config-auth'];
const allRules = loadSecretRules();
const sample = allRules.filter((r) => SAMPLE_IDS.includes(r.id));

function ruleCorpus(seed = 'unit-rules') {
  const dir = mkdtempSync(join(tmpdir(), 'nhi-rule-corpus-'));
  ruleDirs.push(dir);
  return { dir, manifest: generateRuleCorpus(dir, { seed, rules: sample, perKind: 2 }) };
}

describe('rule corpus (every rule planted with generated values)', () => {
  const { dir, manifest: rm } = ruleCorpus();
  const readTree = (p: string) => readFileSync(join(dir, p), 'utf8');
  const git = (...a: string[]) => execFileSync('git', ['-C', dir, ...a], { encoding: 'utf8' });

  it('plants every rule, in the tree and only in history, with values the rule alone finds', () => {
    expect(sample.length).toBe(SAMPLE_IDS.length);
    const types = new Set(rm.positives.map((p: { type: string }) => p.type));
    for (const id of SAMPLE_IDS) expect(types, id).toContain(id);
    expect(rm.stats.generated).toBeGreaterThanOrEqual(rm.stats.values - 2);
    const tree = rm.positives.filter((p: { commit?: string }) => !p.commit);
    const hist = rm.positives.filter((p: { commit?: string }) => p.commit);
    expect(hist.length).toBeGreaterThan(0);
    expect(checkManifest({ positives: tree, negatives: rm.negatives.filter((n: { commit?: string }) => !n.commit) }, readTree)).toEqual([]);
    for (const h of hist) {
      expect(existsSync(join(dir, h.path)), h.path).toBe(false); // gone from the working tree …
      const lines = git('show', `${h.commit}:${h.path}`).split('\n').slice(h.line - 1, h.endLine).join('\n');
      for (const v of h.values) expect(lines.includes(v) || lines.includes(JSON.stringify(v).slice(1, -1)), `${h.id} ${h.path}`).toBe(true); // … but in the commit
    }
    // Generated, not copied: most values differ from every example of their rule.
    const examples = new Set(sample.flatMap((r) => r.examples.join('\n')));
    const copied = rm.positives.filter((p: { values: string[] }) => [...examples].some((e) => e.includes(p.values[0])));
    expect(copied.length).toBeLessThan(rm.positives.length / 10);
    // In its file, the rule alone finds (nearly) every planted value on its lines (a Secret's base64
    // data is decoded and may be reported by the Kubernetes rule instead: left out here).
    let alone = 0;
    const plain = tree.filter((p: { format: string }) => p.format !== 'k8sdata');
    for (const p of plain) {
      const rule = sample.find((r) => r.id === p.type)!;
      const text = readTree(p.path);
      const ms = soloScanner(rule).scanText(text, p.path);
      const lineOf = (i: number) => text.slice(0, i).split('\n').length;
      if (ms.some((m) => lineOf(m.index) >= p.line && lineOf(m.index) <= p.endLine)) alone++;
    }
    expect(alone / plain.length).toBeGreaterThan(0.9);
  });

  it('writes look-alikes of the planted values and of general kinds, and the same value in several places', () => {
    const kinds = new Set(rm.negatives.map((n: { kind: string }) => n.kind));
    for (const k of ['aws-doc-variant', 'analytics-id', 'uuid-named-neutrally', 'integrity-hash', 'base64-plain-data', 'identifier']) expect(kinds, k).toContain(k);
    expect([...kinds].some((k) => String(k).startsWith('value-'))).toBe(true);
    const places = new Map<string, number>();
    for (const p of rm.positives) places.set(p.values[0], (places.get(p.values[0]) ?? 0) + 1);
    expect(Math.max(...places.values())).toBeGreaterThanOrEqual(3);
    expect(new Set(rm.positives.map((p: { format: string }) => p.format)).size).toBeGreaterThanOrEqual(8);
  });

  it('names entries the way their formats do: case-matching keywords as written, a leading underscore kept', () => {
    // A run of underscores is one separator of a dotted name; a leading one is part of the name.
    expect(FORMATS.properties.entry('FS__API_SECRET_KEY', 'v')).toEqual(['fs.api.secret.key=v']);
    expect(FORMATS.properties.entry('_auth', 'v')).toEqual(['_auth=v']);
    for (const seed of ['a', 'b', 'c', 'd']) expect(FORMATS.json.entry('_auth', 'v', new Rng(seed))).toEqual(['  "_auth": "v",']);
    expect(FORMATS.js.entry('DUPLY_API_KEY', 'v', new Rng('a'), true)).toEqual(['  duplyApiKey: v,']);
    // REACT_APP_ names are planted only where the file writes them in upper case (the rule's keywords
    // match case: react_app_token is not a variable Create React App reads).
    const ids = ['react-app-env-secret', 'npmrc-auth-basic'];
    const d = mkdtempSync(join(tmpdir(), 'nhi-rule-corpus-'));
    ruleDirs.push(d);
    const m = generateRuleCorpus(d, { seed: 'unit-names', rules: allRules.filter((r) => ids.includes(r.id)), perKind: 1 });
    const linesOf = (p: { path: string; line: number; endLine: number; commit?: string }) =>
      (p.commit ? execFileSync('git', ['-C', d, 'show', `${p.commit}:${p.path}`], { encoding: 'utf8' }) : readFileSync(join(d, p.path), 'utf8'))
        .split('\n')
        .slice(p.line - 1, p.endLine)
        .join('\n');
    const react = m.positives.filter((p: { type: string }) => p.type === 'react-app-env-secret');
    const auth = m.positives.filter((p: { type: string }) => p.type === 'npmrc-auth-basic');
    expect(react.length).toBeGreaterThanOrEqual(6);
    expect(auth.length).toBeGreaterThanOrEqual(5);
    for (const p of react) expect(linesOf(p), `${p.format} ${p.path}`).toMatch(/REACT_APP_|VITE_/);
    for (const p of auth) expect(linesOf(p), `${p.format} ${p.path}`).toMatch(/_auth/);
  });

  it('is reproducible from its seed', () => {
    const again = ruleCorpus();
    const strip = (ls: Array<Record<string, unknown>>) => ls.map(({ commit: _c, ...l }) => l);
    expect(strip(again.manifest.positives)).toEqual(strip(rm.positives));
    expect(strip(ruleCorpus('other').manifest.positives)).not.toEqual(strip(rm.positives));
  });

  it('--seed N: 1 when absent (the default corpus), nhi-audit-rule-corpus-N for an integer, a word as it is', () => {
    expect(ruleCorpusSeed(seedArg([]))).toBe('nhi-audit-rule-corpus-1');
    expect(ruleCorpusSeed(seedArg(['--skip-packages', '--seed', '4']))).toBe('nhi-audit-rule-corpus-4');
    expect(ruleCorpusSeed(seedArg(['--seed', 's4']))).toBe('s4');
    for (const bad of [['--seed'], ['--seed', '0'], ['--seed', '-3'], ['--seed', '../x']]) expect(() => seedArg(bad), bad.join(' ')).toThrow(/--seed/);
  });
});

describe('lockfile corpus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nhi-lockfiles-'));
  ruleDirs.push(dir);
  const lm = generateLockfiles(dir, { entries: 40 });

  it('writes every package manager, each recognised as a lockfile by name and content', () => {
    expect(lm.files.length).toBe(14);
    for (const f of lm.files) {
      const text = readFileSync(join(dir, f.path), 'utf8');
      expect(isLockfilePath(f.path), f.path).toBe(true);
      expect(looksLikeLockfile(text.slice(0, 512)), f.path).toBe(true);
      if (f.path.endsWith('.json') || f.path.endsWith('composer.lock')) expect(() => JSON.parse(text), f.path).not.toThrow();
    }
    expect(readFileSync(join(dir, 'yarn-berry/yarn.lock'), 'utf8')).toMatch(/^ {4}minipass: "npm:\^\d/m);
  });

  it('has no secret but the planted registry credential', () => {
    const scanner = new SecretScanner(allRules);
    const found: string[] = [];
    for (const f of lm.files) for (const m of scanner.scanBuffer(readFileSync(join(dir, f.path)), f.path).matches) found.push(`${f.path}:${m.line}`);
    expect(found).toEqual([`${lm.planted.path}:${lm.planted.line}`]);
  });
});

describe('per-family scoring', () => {
  it('credits a joined finding to each of its secret rules, and counts recall and precision per family', () => {
    const lab = (id: string, type: string, provider: string, line: number) => ({ id, type, provider, accept: `^(?:${provider})/`, path: 'a.env', line, endLine: line, values: ['v'] });
    const manifest = { positives: [lab('P1', 'stripe-live-secret-key', 'stripe', 1), lab('P2', 'databox-token', 'databox', 2), lab('P3', 'databox-token', 'databox', 3)], negatives: [{ id: 'N1', kind: 'changeme', path: 'a.env', line: 4, endLine: 4, values: [] }] };
    const occ = (line: number) => ({ path: 'a.env', line, source: 'file' });
    const report = {
      findings: [
        // the MCP check speaks for a Stripe key that the Stripe rule also matched
        { ruleId: 'mcp-config-literal-credential', evidence: { recognisedAs: 'stripe-live-secret-key', alsoMatchedBy: ['stripe-live-secret-key'] }, location: occ(1), occurrences: [occ(1)] },
        { ruleId: 'databox-token', location: occ(2), occurrences: [occ(2)] },
        { ruleId: 'generic-secret-assignment', location: occ(3), occurrences: [occ(3)] }, // right place, generic rule
        { ruleId: 'databox-token', location: occ(4), occurrences: [occ(4)] }, // a look-alike
      ],
    };
    const groups = new Map([
      ['stripe-live-secret-key', 'stripe'],
      ['databox-token', 'databox'],
      ['generic-secret-assignment', 'generic'],
    ]);
    const s = score(manifest, detections(report, groups));
    expect(s.found).toBe(2);
    expect(s.recall).toBeCloseTo(2 / 3);
    expect(s.detections).toBe(4);
    expect(s.correctDetections).toBe(3);
    const fam = Object.fromEntries(perFamily(s).map((f: { family: string }) => [f.family, f]));
    expect(fam.databox).toMatchObject({ planted: 2, found: 1, recall: 0.5, detections: 2, correct: 1, precision: 0.5 });
    expect(fam.stripe).toMatchObject({ planted: 1, found: 1, recall: 1, detections: 1, correct: 1, precision: 1 });
    expect(fam.generic).toMatchObject({ planted: 0, recall: 1, detections: 1, correct: 1 });
    expect(perFamily(s)[0].family).toBe('databox');
  });
});
