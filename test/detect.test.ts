import { describe, expect, it } from 'vitest';
import { groupFindings } from '../src/correlate/group.js';
import { decodeBuffer } from '../src/detect/decode.js';
import { shannonEntropy } from '../src/detect/entropy.js';
import { isPlaceholder } from '../src/detect/placeholder.js';
import { KeywordPrefilter } from '../src/detect/prefilter.js';
import { suppressedOnLine } from '../src/detect/rule-matcher.js';
import { SecretScanner } from '../src/detect/scanner.js';
import { REACH, windowable, windowsAround } from '../src/detect/window.js';
import { secretFinding } from '../src/detect/to-finding.js';
import { checkPrefixedCrc32, tokenWithCrc32 } from '../src/detect/validators.js';
import { redact } from '../src/model/fingerprint.js';
import type { SecretRuleSpec } from '../src/model/rule.js';
import { addedLines } from '../src/sources/git/staged.js';
import { rand62 } from './helpers/tokens.js';

function spec(p: Partial<SecretRuleSpec> & Pick<SecretRuleSpec, 'id' | 'pattern' | 'keywords'>): SecretRuleSpec {
  return { kind: 'secret', title: p.id, description: 'd.', severity: 'high', owasp: ['NHI2'], remediation: 'r', references: [], precision: 'high', group: 't', file: 't.yaml', examples: ['x'], negative_examples: [], ...p };
}

describe('keyword prefilter', () => {
  it('finds every keyword, case-insensitively, including overlapping ones', () => {
    const pf = new KeywordPrefilter(['ghp_', 'hp_x', 'AKIA', 'token']);
    expect([...pf.hits(Buffer.from('xx GHP_XY akia TOKEN'))].sort()).toEqual([0, 1, 2, 3]);
    expect(pf.hits(Buffer.from('nothing here')).size).toBe(0);
  });
});

describe('windowed matching', () => {
  const filler = 'let q = 1;\n'.repeat(20000);

  it('runs a rule only near its keywords, merging close windows and using the whole text when they cover most of it', () => {
    expect(windowsAround([{ ends: [5000, 5100], length: 3 }], 100000)).toEqual([[5000 - 3 - REACH, 5100 + REACH]]);
    expect(windowsAround([{ ends: [90000], length: 3 }, { ends: [10], length: 3 }], 100000)).toEqual([[0, 10 + REACH], [90000 - 3 - REACH, 90000 + REACH]]);
    expect(windowsAround([{ ends: [10, 3000, 6000], length: 3 }], 8000)).toBeUndefined();
    expect(windowsAround([], 8000)).toBeUndefined();
  });

  it('keeps long and multi-line patterns on the whole text', () => {
    expect(windowable('key=(?<secret>[a-z0-9]{20,40})')).toBe(true);
    expect(windowable('-----BEGIN RSA PRIVATE KEY-----[\\s\\S]{64,8000}?-----END')).toBe(false);
    expect(windowable('(?s)BEGIN.{1,50}END')).toBe(false);
    expect(windowable('user:\\n\\s+token: (\\w+)')).toBe(false);
    expect(windowable('tok=(\\w{10,40})(?=[\\r\\n])')).toBe(true); // a lookahead consumes nothing
    expect(windowable('jwt (eyJ[\\w-]{10,4000}\\.[\\w-]{10,4000})')).toBe(false);
  });

  it('a match cut by a window edge is retried on the whole text, so the value is never truncated', () => {
    const sc = new SecretScanner([spec({ id: 'long', pattern: 'lkey=(?<secret>[A-Za-z0-9]+)', keywords: ['lkey='] })]);
    const value = rand62(REACH * 3);
    const m = sc.scanText(`${filler}lkey=${value}\n${filler}`);
    expect(m.map((x) => x.value)).toEqual([value]);
  });

  it('a window cut in the middle of a word does not create a match at its start', () => {
    const sc = new SecretScanner([spec({ id: 'hex', pattern: '\\b(?<secret>[0-9a-f]{32})-us1\\b', keywords: ['-us1'] })]);
    const hex = '0123456789abcdef'.repeat(200); // one long word: no 32-hex value with a word boundary before it
    expect(sc.scanText(`${filler}${hex}-us1\n${filler}`)).toEqual([]);
    const ok = 'fedcba9876543210'.repeat(2);
    expect(sc.scanText(`${filler} ${ok}-us1\n${filler}`).map((x) => x.value)).toEqual([ok]);
  });
});

describe('decoding', () => {
  it('treats NUL-bearing content as binary, decodes UTF-16 with and without BOM, never throws on bad UTF-8', () => {
    expect(decodeBuffer(Buffer.from([1, 2, 0, 3])).kind).toBe('binary');
    const le = decodeBuffer(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('key=abc', 'utf16le')]));
    expect(le).toMatchObject({ kind: 'text', text: 'key=abc', encoding: 'utf16le' });
    const noBom = decodeBuffer(Buffer.from('token = something long enough', 'utf16le'));
    expect(noBom).toMatchObject({ kind: 'text', encoding: 'utf16le' });
    const be = Buffer.from('key=abc', 'utf16le').swap16();
    expect(decodeBuffer(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toMatchObject({ text: 'key=abc' });
    expect(decodeBuffer(Buffer.from([0xc3, 0x28, 0x41]))).toMatchObject({ kind: 'text' });
  });
});

describe('filters', () => {
  it('recognises placeholders but not random tokens', () => {
    for (const p of ['AKIAIOSFODNN7EXAMPLE', 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '${API_KEY}', '${{ secrets.X }}', '{{ .Values.x }}', '<your-api-key>', 'changeme', 'REDACTED', '****', 'process.env.TOKEN', 'aaaaaaaaaaaaaaaa'])
      expect(isPlaceholder(p), p).toBe(true);
    for (let i = 0; i < 200; i++) {
      const t = rand62(32);
      if (/todo|fake|sample|dummy/i.test(t)) continue;
      expect(isPlaceholder(t), t).toBe(false);
    }
  });

  it('entropy separates words from tokens', () => {
    expect(shannonEntropy('aaaaaaaa')).toBe(0);
    expect(shannonEntropy('passwordpassword')).toBeLessThan(3);
    // A fixed token: a random one dips under the bound now and then (4.47 seen in CI).
    expect(shannonEntropy('Xq7Lm2Zp9Rt4Vb8Nc1Kd6Wf3Hj5Gs0YaUe7Io4Tz')).toBeGreaterThan(4.5);
  });

  it('validates GitHub CRC32 checksums', () => {
    const t = tokenWithCrc32('ghp_', rand62(30));
    expect(checkPrefixedCrc32(t)).toBe(true);
    expect(checkPrefixedCrc32(t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A'))).toBe(false);
  });

  it('inline suppression applies to the whole line or to named rules only', () => {
    const text = 'a = 1\nk = "v" # nhi-audit:ignore rule-a\nz = 2 // nhi-audit:ignore\n';
    expect(suppressedOnLine(text, text.indexOf('"v"'), 'rule-a')).toBe(true);
    expect(suppressedOnLine(text, text.indexOf('"v"'), 'rule-b')).toBe(false);
    expect(suppressedOnLine(text, text.indexOf('2'), 'anything')).toBe(true);
    expect(suppressedOnLine(text, 0, 'rule-a')).toBe(false);
  });

  it('redacts to at most a third of the value and never short values', () => {
    expect(redact('abc')).toBe('****');
    const t = rand62(40);
    const r = redact(t);
    expect(r.replace('…', '').length).toBeLessThanOrEqual(8);
    expect(r.startsWith(t.slice(0, 4))).toBe(true);
  });
});

describe('scanner', () => {
  const rules = [
    spec({ id: 'key-id', pattern: '\\b(AKIA[A-Z2-7]{16})\\b', keywords: ['akia'], superseded_by: ['key-pair'] }),
    spec({ id: 'key-pair', pattern: '\\b(AKIA[A-Z2-7]{16})\\b', keywords: ['akia'], pair: { pattern: '(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])', window: 200, required: true } }),
    spec({ id: 'generic', pattern: '(?i)(?:token|secret)\\s*[:=]\\s*["\']?([A-Za-z0-9_\\-]{16,64})', keywords: ['token', 'secret'], entropy: 3.5, superseded_by: ['*'] }),
    spec({ id: 'ghp', pattern: '\\b(ghp_[A-Za-z0-9]{36})\\b', keywords: ['ghp_'], validator: 'github-crc32' }),
  ];
  const scanner = new SecretScanner(rules);
  const id = 'AKIA' + 'QWERTZUIOPASDFGH'.replace(/[^A-Z2-7]/g, 'Q');
  const secret = rand62(40);

  it('pairs a key id with its secret, and the paired rule supersedes the id-only rule', () => {
    const m = scanner.scanText(`id=${id}\nsecret_key=${secret}\n`);
    expect(m.map((x) => x.ruleId)).toEqual(['key-pair']);
    expect(m[0]).toMatchObject({ value: id, pair: secret, line: 1, column: 4 });
    expect(scanner.scanText(`only ${id} here`).map((x) => x.ruleId)).toEqual(['key-id']);
  });

  it('a specific rule supersedes the generic rule on the same value', () => {
    const t = tokenWithCrc32('ghp_', rand62(30));
    expect(scanner.scanText(`token = "${t}"`).map((x) => x.ruleId)).toEqual(['ghp']);
    expect(scanner.scanText(`token = "${rand62(24)}"`).map((x) => x.ruleId)).toEqual(['generic']);
  });

  it('computes lines and columns', () => {
    const t = tokenWithCrc32('ghp_', rand62(30));
    const m = scanner.scanText(`a\n\n  x ${t}\n`);
    expect(m[0]).toMatchObject({ line: 3, column: 5 });
  });
});

describe('grouping', () => {
  it('merges one secret seen in several places into one finding with all occurrences, earliest commit first', () => {
    const rule = spec({ id: 'ghp', pattern: 'x', keywords: ['xxx'] });
    const m = { ruleId: 'ghp', value: rand62(30), index: 0, end: 30, line: 1, column: 1 };
    const opts = { showSecrets: false, identifier: false };
    const a = secretFinding(rule, m, { source: 'file', path: 'a.txt', committed: true }, opts);
    const b = secretFinding(rule, { ...m, line: 7 }, { source: 'git-history', path: 'old/b.txt', commit: 'c'.repeat(40), commitDate: '2020-01-01T00:00:00Z', committed: true }, opts);
    const c = secretFinding(rule, m, { source: 'file', path: 'a.txt', committed: true }, opts);
    const g = groupFindings([a, b, c]);
    expect(g).toHaveLength(1);
    expect(g[0].occurrences).toHaveLength(2);
    expect(g[0].location).toMatchObject({ path: 'old/b.txt', line: 7 });
    expect(g[0].owasp).toContain('NHI9');
    expect(g[0].secret!.value).toBeUndefined();
  });
});

describe('staged diff parsing', () => {
  it('collects the new-side line numbers of each hunk', () => {
    const diff = ['diff --git a/x b/x', '--- a/x', '+++ b/x', '@@ -1,0 +2,2 @@', '+a', '+b', '@@ -9 +10 @@', '-c', '+d', '+++ /dev/null'].join('\n');
    expect([...addedLines(diff).get('x')!]).toEqual([2, 3, 10]);
  });
});

describe('keyword prefilter: the automaton finds exactly what a naive search finds', () => {
  it('random keywords over random text, case-insensitive, every end offset', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const alphabet = 'abcAB_-.=:x0';
    const word = (len: number) => Array.from({ length: len }, () => alphabet[rnd(alphabet.length)]).join('');
    for (let round = 0; round < 20; round++) {
      const keywords = [...new Set(Array.from({ length: 30 }, () => word(3 + rnd(5)).toLowerCase()))];
      const text = word(3000) + '\u00e9\u00ff\n' + word(500);
      const pf = new KeywordPrefilter(keywords);
      const got = pf.occurrences(Buffer.from(text, 'latin1'));
      const lower = text.toLowerCase();
      keywords.forEach((k, id) => {
        const ends: number[] = [];
        for (let i = lower.indexOf(k); i >= 0; i = lower.indexOf(k, i + 1)) ends.push(i + k.length);
        expect(got.get(id) ?? [], `${k} in round ${round}`).toEqual(ends);
      });
    }
  });
});
