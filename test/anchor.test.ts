import { describe, expect, it } from 'vitest';
import { anchoredAtKeywords, matchPrefixes } from '../src/detect/anchor.js';
import { matchAt, matchRule } from '../src/detect/rule-matcher.js';
import { SecretScanner } from '../src/detect/scanner.js';
import { loadSecretRules } from '../src/rules/catalog.js';

describe('match prefixes told from a pattern', () => {
  it('follows literals, alternations, optional parts and small classes; skips assertions', () => {
    expect(matchPrefixes('\\b(?<secret>pat[A-Za-z0-9]{14})')?.prefixes).toEqual(['pat']);
    expect(matchPrefixes('(?i)(?<![a-z])(?:GitHub|gh)[_.-]?token')?.prefixes.sort()).toEqual(['gh-token', 'gh.token', 'gh_token', 'ghtoken', 'github-token', 'github.token', 'github_token', 'githubtoken'].sort());
    expect(matchPrefixes('[Dd]iscord(?:app)?\\.com')?.prefixes.sort()).toEqual(['Discord.com', 'Discordapp.com', 'discord.com', 'discordapp.com']);
    expect(matchPrefixes('(?<=\\bhttps?)://(?<u>[^:]+)')?.prefixes).toEqual(['://']);
    // a repeated part ends what is known; what came before it still holds
    expect(matchPrefixes('xox[bp]+-\\d+')?.prefixes.sort()).toEqual(['xoxb', 'xoxp']);
  });

  it('says nothing when a match can begin anywhere', () => {
    expect(matchPrefixes('[A-Z0-9]{20}')).toBeUndefined();
    expect(matchPrefixes('(?:AKIA)?[0-9]{4}')).toBeUndefined();
    expect(matchPrefixes('abc|\\d+')).toBeUndefined();
    expect(matchPrefixes('.+token')).toBeUndefined();
    expect(matchPrefixes('(?:ab)*cd')).toBeUndefined();
  });

  it('anchors a rule only when every prefix begins with one of its keywords, in the case the prefilter keeps', () => {
    expect(anchoredAtKeywords('(?i)(?:github|gh)_token', ['github', 'gh_'], false)).toBe(true);
    expect(anchoredAtKeywords('(?i)(?:github|gh)_token', ['github'], false)).toBe(false);
    expect(anchoredAtKeywords('ghp_[A-Za-z0-9]{36}', ['GHP_'], false)).toBe(true); // the prefilter ignores case
    expect(anchoredAtKeywords('EAA[A-Z]', ['EAA'], true)).toBe(true);
    expect(anchoredAtKeywords('(?i)EAA[A-Z]', ['EAA'], true)).toBe(false); // exact-case hits would miss 'eaa…'
    expect(anchoredAtKeywords('(?i)secret[_-]key', ['secret_key'], false)).toBe(false);
  });
});

describe('anchored matching finds what a scan of the whole text finds', () => {
  const rules = loadSecretRules();
  const scanner = new SecretScanner(rules);
  const filler = (n: number) => Array.from({ length: n }, (_, i) => `const v${i} = compute(${i}); // token path pattern secret`).join('\n');

  it('for every anchored rule of the catalog, on its examples and look-alikes among keyword-laden text', () => {
    const anchored = new Set<number>();
    let compared = 0;
    for (const [ri, rule] of scanner.rules.entries()) {
      for (const ex of [...rule.spec.examples, ...rule.spec.negative_examples]) {
        // the example twice (a scan resumes after a match), between lines full of common keywords
        const text = [filler(30), ex, filler(5), `x ${ex} y`, filler(30)].join('\n');
        const c = scanner.candidates(Buffer.from(text, 'latin1')).find((x) => x.ri === ri);
        if (!c?.starts) continue;
        compared++;
        anchored.add(ri);
        const got = matchAt(rule, text, c.starts).map((m) => [m.value, m.index, m.pair ?? null]);
        const want = matchRule(rule, text).map((m) => [m.value, m.index, m.pair ?? null]);
        expect(got, `${rule.spec.id}: ${ex}`).toEqual(want);
      }
    }
    // most of the catalog runs anchored (the rest keeps windows): a drop means the analysis broke
    expect(anchored.size).toBeGreaterThan(rules.length * 0.7);
    expect(compared).toBeGreaterThan(2000);
  });
});
