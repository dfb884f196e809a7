// The benchmark's labeled-corpus generator at small size: the manifest points at the right lines,
// every credential type and look-alike kind is there, generated files are valid in their format,
// and checksummed / structured tokens pass (or, for the broken look-alikes, fail) the validators.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { checkBasicAuthBase64, checkJwt, checkPrefixedCrc32 } from '../src/detect/validators.js';
import { detections, score } from './bench/accuracy.mjs';
import { checkManifest, generateLabeledCorpus } from './bench/labeled-corpus.mjs';
import { KEY_TYPES, POSITIVES } from './bench/lib/credentials.mjs';
import { DOCUMENTS } from './bench/lib/documents.mjs';
import { LOOKALIKES } from './bench/lib/lookalikes.mjs';

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
