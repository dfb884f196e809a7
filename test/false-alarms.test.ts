import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inUrlCredential, isLockfilePath, looksLikeLockfile } from '../src/detect/lockfile.js';
import { isKnownSample, isPlaceholder, knownSamples } from '../src/detect/placeholder.js';
import { SecretScanner } from '../src/detect/scanner.js';
import { loadSecretRules } from '../src/rules/catalog.js';
import { rand62 } from './helpers/tokens.js';

const scanner = new SecretScanner(loadSecretRules());
const LOCKS = join(import.meta.dirname, 'fixtures', 'lockfiles');
const ids = (text: string, path?: string) => scanner.scanText(text, path).map((m) => m.ruleId);

describe('lockfiles', () => {
  const files = readdirSync(LOCKS);
  it('has a fixture for every package manager the issue names', () => {
    for (const f of ['package-lock.json', 'yarn-classic.lock', 'yarn-berry.lock', 'pnpm-lock.yaml', 'bun.lock', 'Cargo.lock', 'Gemfile.lock', 'poetry.lock', 'uv.lock', 'go.sum', 'composer.lock']) expect(files).toContain(f);
  });

  for (const f of files) {
    it(`${f}: no findings except a credential inside a registry URL, by path and by content`, () => {
      const text = readFileSync(join(LOCKS, f), 'latin1');
      const name = f.startsWith('yarn-') ? 'yarn.lock' : f;
      for (const found of [scanner.scanText(text, `deps/${name}`), scanner.scanBuffer(Buffer.from(text, 'latin1')).matches]) {
        for (const m of found) expect(inUrlCredential(text, m.index, m.end), `${f}: ${m.ruleId} at line ${m.line}`).toBe(true);
      }
    });
  }

  it('still reports a real credential in a lockfile registry URL', () => {
    const yarn = readFileSync(join(LOCKS, 'yarn-classic.lock'), 'latin1');
    expect(ids(yarn, 'yarn.lock')).toHaveLength(1); // url-password or the http rule
    const pnpm = readFileSync(join(LOCKS, 'pnpm-lock.yaml'), 'latin1');
    expect(ids(pnpm, 'pnpm-lock.yaml')).toHaveLength(1);
  });

  it('yarn berry "npm:^7.0.4" entries are not credentials anywhere (lockfile or package.json)', () => {
    expect(ids('  dependencies:\n    minipass: "npm:^7.0.4"\n', 'yarn.lock')).toEqual([]);
    expect(ids('{ "dependencies": { "minipass": "npm:^7.0.4", "passport-x": "npm:passport-http@^0.3.0" } }', 'package.json')).toEqual([]);
  });

  it('recognises lockfiles by name and by their first lines', () => {
    for (const p of ['a/package-lock.json', 'yarn.lock', 'x\\pnpm-lock.yaml', 'Cargo.lock', 'Gemfile.lock', 'poetry.lock', 'uv.lock', 'go.sum', 'composer.lock', 'bun.lock', 'bun.lockb']) expect(isLockfilePath(p), p).toBe(true);
    for (const p of ['package.json', 'lock.yaml', 'yarn.lock.bak', undefined]) expect(isLockfilePath(p), String(p)).toBe(false);
    for (const f of readdirSync(LOCKS)) expect(looksLikeLockfile(readFileSync(join(LOCKS, f), 'latin1').slice(0, 512)), f).toBe(true);
    expect(looksLikeLockfile('TOKEN=abc\nversion = 1\n')).toBe(false);
  });

  it('a URL credential is the userinfo password or a credential query parameter', () => {
    const t = 'resolved "https://bot:s3cr3tT0k3nValue@npm.acme.io/x.tgz?_authToken=abcdefabcdef123456&v=1"';
    const at = (s: string) => [t.indexOf(s), t.indexOf(s) + s.length] as const;
    expect(inUrlCredential(t, ...at('s3cr3tT0k3nValue'))).toBe(true);
    expect(inUrlCredential(t, ...at('abcdefabcdef123456'))).toBe(true);
    expect(inUrlCredential(t, ...at('npm.acme.io'))).toBe(false);
    expect(inUrlCredential('integrity sha512-abcdef', 16, 22)).toBe(false);
  });
});

describe('documented example keys and their variants', () => {
  it('AWS sample keys, edited copies and made-up AKIA ids are placeholders', () => {
    for (const v of ['AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPL3', 'AKIAFAKEFAKEFAKEFAKE', 'AKIAFAKE000000000000', 'AKIATESTKEYID1234567', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY1234567890', 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY', 'AKIAI44QH8DHBEXAMPLE'])
      expect(isPlaceholder(v), v).toBe(true);
  });

  it('no AWS finding for the documented keys in an .env or credentials file', () => {
    expect(ids('AWS_ACCESS_KEY_ID=AKIAFAKEFAKEFAKEFAKE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCY1234567890\n')).toEqual([]);
    expect(ids('[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n')).toEqual([]);
  });

  it('a real-looking AWS key pair is still found', () => {
    const id = 'AKIA' + 'Q3VZ7KJ2LW5MXN4R';
    const secret = rand62(40);
    expect(ids(`AWS_ACCESS_KEY_ID=${id}\nAWS_SECRET_ACCESS_KEY=${secret}\n`)).toContain('aws-access-key');
  });

  it('analytics and tag ids are not secrets', () => {
    for (const v of ['UA-12345678-1', 'G-4XJ7QK2M9P', 'GTM-K9XQ2LM', 'AW-123456789']) expect(isPlaceholder(v), v).toBe(true);
    expect(ids('analytics_token: "G-4XJ7QK2M9P"\nga_secret = "UA-12345678-1"\n')).toEqual([]);
  });
});

describe('known SDK and documentation sample values', () => {
  it('every sample names its source', () => {
    const all = knownSamples();
    expect(all.length).toBeGreaterThan(10);
    for (const s of all) expect(s.source, s.value).toMatch(/\S/);
  });

  it('a sample is a placeholder for every rule, alone or inside a longer value', () => {
    for (const s of knownSamples()) expect(isKnownSample(s.value), s.value).toBe(true);
    expect(ids('const stripe = new Stripe("sk_test_4eC39HqLyjWDarjtT1zdp7dc");')).toEqual([]);
    expect(ids('Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c')).toEqual([]);
    expect(ids('AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;')).toEqual([]);
  });
});
