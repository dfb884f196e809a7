import { describe, expect, it } from 'vitest';
import { compileRule, matchRule } from '../src/detect/rule-matcher.js';
import { loadSecretRules } from '../src/rules/catalog.js';
import { adversarial } from './bench/lib/adversarial.mjs';

// No rule may backtrack catastrophically: each gets worst-case 1 MB inputs built from its own
// keywords and examples (long runs that almost match, then fail) and must finish quickly.
const MB = 1 << 20;
const BOUND_MS = 1500;
const KINDS_1MB = new Set(['keyword + run of a', 'keyword=', 'almost a value', 'example cut short', 'keyword + token alphabet']);

describe('regex worst case (1 MB inputs)', () => {
  for (const spec of loadSecretRules()) {
    it(`${spec.id} stays linear`, () => {
      const rule = compileRule(spec);
      for (const [kind, input] of adversarial(spec, MB, KINDS_1MB)) {
        const t0 = performance.now();
        matchRule(rule, input);
        const ms = performance.now() - t0;
        expect(ms, `${spec.id} took ${ms.toFixed(0)} ms on a 1 MB input (${kind})`).toBeLessThan(BOUND_MS);
      }
    });
  }
});

// The rules that were slowest on crafted 10 MB inputs (test/bench/redos-10mb.mjs runs every rule),
// each on the input that blew it up before its pattern was rewritten (CPU seconds before → after, see
// the report of the branch that rewrote them): each must stay under 2 s.
const SLOWEST_10MB: Array<[string, string]> = [
  ['jwt', 'keyword-'], // eyJ-eyJ-… with no dots: over 30 s before
  ['private-key-pgp', 'first line repeated'], // BEGIN headers with no END: 8.7 s before
  ['private-key-ssh2', 'first line repeated'],
  ['yandex-oauth-token', 'keyword-'],
  ['curl-auth-header', 'keyword-'],
  ['curl-basic-auth', 'keyword-'],
];

describe('regex worst case (10 MB inputs, the formerly slowest rules)', () => {
  const rules = new Map(loadSecretRules().map((r) => [r.id, r]));
  for (const [id, kind] of SLOWEST_10MB) {
    it(`${id} on "${kind}" stays under 2 s`, () => {
      const spec = rules.get(id)!;
      expect(spec, id).toBeDefined();
      const input = adversarial(spec, 10 * MB, new Set([kind]))[0][1];
      // CPU time, not wall time: it does not grow when other work loads the machine (vitest runs
      // each test file in its own process, so the process's CPU time is this test's).
      const c0 = process.cpuUsage();
      matchRule(compileRule(spec), input);
      const c = process.cpuUsage(c0);
      const ms = (c.user + c.system) / 1000;
      expect(ms, `${id} took ${ms.toFixed(0)} ms of CPU on a 10 MB input (${kind})`).toBeLessThan(2000);
    });
  }
});
