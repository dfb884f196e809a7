import { describe, expect, it } from 'vitest';
import { shannonEntropy } from '../src/detect/entropy.js';
import { BpeScorer, bpeScorer, parseMerges } from '../src/detect/randomness.js';
import { SecretScanner } from '../src/detect/scanner.js';
import { loadSecretRules, parseSecretRules } from '../src/rules/catalog.js';
import { rand62 } from './helpers/tokens.js';

describe('BPE randomness scorer', () => {
  it('applies merges in rank order, like a byte-pair tokenizer', () => {
    const s = new BpeScorer(parseMerges('# comment\n\nl o\nlo w\ne r\nlow er\n'));
    expect(s.size).toBe(4);
    expect(s.tokens('lower')).toEqual(['lower']);
    expect(s.tokens('lowest')).toEqual(['low', 'e', 's', 't']);
    expect(s.tokens('LOWER')).toEqual(['lower']); // case is convention, not randomness
    expect(s.score('lowest')).toBeCloseTo(4 / 6);
    expect(s.score('')).toBe(0);
  });

  it('parseMerges skips comments, blank and malformed lines', () => {
    expect(parseMerges('# x\na b\n\nnospace\n c\nd \nab c\n')).toEqual([
      ['a', 'b'],
      ['ab', 'c'],
    ]);
  });

  it('the packaged merges split names, paths and phrases into few tokens and random values into many', () => {
    const s = bpeScorer();
    expect(s.size).toBeGreaterThan(3000);
    for (const v of ['createElementNS2', 'productionDatabase2', 'base64ToArrayBuffer', 'Uint8ArrayConstructor', 'webhookRelay2Url', 'src/components/button']) expect(s.score(v), v).toBeLessThan(0.4);
    const random = Array.from({ length: 200 }, (_, i) => rand62(10 + (i % 40)));
    const high = random.filter((v) => s.score(v) >= 0.5);
    expect(high.length / random.length).toBeGreaterThan(0.97);
  });
});

describe('scorer cost', () => {
  it('5,000 distinct 200-character values (a hostile 1 MB file of assignments) score in well under the 1 MB budget', () => {
    const s = bpeScorer();
    const values = Array.from({ length: 5000 }, (_, i) => (i % 2 ? rand62(200) : `createElementNS${i}${'productionDatabaseUserProfile'.repeat(6)}`));
    const t0 = performance.now();
    for (const v of values) s.score(v);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

describe('the generic rule filters by randomness instead of entropy', () => {
  const rules = loadSecretRules();
  const scanner = new SecretScanner(rules);
  const generic = (t: string) => scanner.scanText(t).filter((m) => m.ruleId === 'generic-secret-assignment').map((m) => m.value);

  it('the rule file asks for the tokenizer, not an entropy floor', () => {
    const g = rules.find((r) => r.id === 'generic-secret-assignment')!;
    expect(g.randomness).toBe(0.3);
    expect(g.entropy).toBeUndefined();
  });

  it('a short random value under the old entropy floor is found; a name with digits over it is not', () => {
    // 'k9vq2k7xq9vz': 12 characters, 8 distinct → Shannon entropy 2.92, under the old floor of 3.
    expect(shannonEntropy('k9vq2k7xq9vz')).toBeLessThan(3);
    expect(generic('api_key = "k9vq2k7xq9vz"')).toEqual(['k9vq2k7xq9vz']);
    for (const name of ['productionDatabase2', 'defaultRegion2', 'userProfile2Cache']) {
      expect(shannonEntropy(name), name).toBeGreaterThan(3);
      expect(generic(`secret_name = "${name}"`), name).toEqual([]);
    }
  });

  it('a rule file with a randomness outside (0, 1] is refused', () => {
    const doc = { provider: 'x', rules: [{ ...rules.find((r) => r.id === 'generic-secret-assignment')!, id: 'x-rule', randomness: 3 }] };
    expect(() => parseSecretRules(doc, 'x.yaml')).toThrow(/randomness must be a number in \(0, 1\]/);
  });
});
