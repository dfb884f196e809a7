import { describe, expect, it } from 'vitest';
import { compileRule, matchRule } from '../src/detect/rule-matcher.js';
import { loadSecretRules } from '../src/rules/catalog.js';

// No rule may backtrack catastrophically: each gets worst-case 1 MB inputs built from its own
// keywords and examples (long runs that almost match, then fail) and must finish quickly.
const MB = 1 << 20;
const BOUND_MS = 1500;

function fill(unit: string): string {
  return unit.repeat(Math.ceil(MB / Math.max(1, unit.length))).slice(0, MB);
}

function adversarial(keyword: string, example: string): string[] {
  const ex = example.replace(/\s+$/, '');
  return [
    keyword + fill('a'), // a long run of one class after the keyword
    fill(`${keyword}=`), // the keyword over and over, never followed by a value
    fill(`${keyword}: "A1b2-`), // a value that keeps almost starting
    fill(ex.slice(0, Math.max(1, ex.length - 1)) + ' '), // the example cut one short, repeated
    keyword + ' ' + fill('0aZ9+/_-.'), // a long token-alphabet run with no terminator
  ];
}

describe('regex worst case (1 MB inputs)', () => {
  for (const spec of loadSecretRules()) {
    it(`${spec.id} stays linear`, () => {
      const rule = compileRule(spec);
      for (const input of adversarial(spec.keywords[0], spec.examples[0])) {
        const t0 = performance.now();
        matchRule(rule, input);
        const ms = performance.now() - t0;
        expect(ms, `${spec.id} took ${ms.toFixed(0)} ms on a 1 MB input`).toBeLessThan(BOUND_MS);
      }
    });
  }
});
