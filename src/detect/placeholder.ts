import { join } from 'node:path';
import { parseRulesYaml } from '../rules/yaml-cache.js';
import { RULES_DIR } from '../util/paths.js';

/**
 * Values that are documentation, templates or references rather than credentials. Applies to every
 * rule (unless a rule opts out with skip_placeholder_check), so no rule has to repeat these.
 */
const PLACEHOLDER_RES: RegExp[] = [
  /example/i, // AKIAIOSFODNN7EXAMPLE, wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, example.com
  // Variants of AWS's documented sample keys (edited, truncated or re-suffixed copies) and made-up key ids
  /wJalrXUtnFEMI|K7MDENG|bPxRfiCY|je7MtGbClwBF|AKIAIOSFODNN|AKIAI44QH8DHB|^A(?:KIA|SIA)(?:FAKE|TEST|DUMMY|SAMPLE|MOCK|XXXX|0000|1234|ABCD)/i,
  /fake/i, // AKIAFAKE…, fake_token_…, sk-fake…
  /\$\{|\$\(|\{\{|\}\}|%\(|<[a-z_ -]*>|\[\[/i, // ${VAR}, $(cmd), {{ .Values.x }}, ${{ secrets.X }}, <your-key>
  /process\.env|os\.environ|getenv|env\[|ENV\[|System\.getenv|secrets\./i,
  /change[_-]?me|redacted|placeholder|dummy|your[_-]?(api[_-]?)?(key|token|secret|password)|insert[_-]?(your|key|token)|replace[_-]?me|todo|fixme|\bsample\b|notasecret|not-a-real|fake[_-]?(key|token|secret)/i,
  /x{5,}|X{5,}|\*{3,}|\.{4,}|#{4,}|0{10,}/,
  /^(.)\1+$/, // one repeated character
  /0123456789|123456789|abcdefghij|ABCDEFGHIJ|qwerty/i,
];

/** Public identifiers that look like keys: web analytics and tag-manager ids are embedded in every page. */
const PUBLIC_ID_RE = /^(?:UA-\d{4,10}-\d{1,4}|G-[A-Z0-9]{6,12}|GTM-[A-Z0-9]{4,9}|AW-\d{6,12}|DC-\d{6,12}|GT-[A-Z0-9]{6,12}|MO-[A-Z0-9]{6,12})$/;

export interface KnownSample {
  value: string;
  source: string;
}

let samples: { exact: Set<string>; long: string[] } | undefined;

/** Known sample values from rules/data/known-samples.yaml (a provider's docs or SDK publish them). */
export function knownSamples(): KnownSample[] {
  try {
    const doc = parseRulesYaml(join(RULES_DIR, 'data', 'known-samples.yaml')) as { samples?: KnownSample[] };
    return (doc.samples ?? []).filter((s) => typeof s.value === 'string' && s.value.length > 0);
  } catch {
    return [];
  }
}

function sampleSet(): { exact: Set<string>; long: string[] } {
  if (!samples) {
    const all = knownSamples().map((s) => s.value);
    samples = { exact: new Set(all), long: all.filter((v) => v.length >= 24) };
  }
  return samples;
}

/** A secret manager's reference (op://vault/item, vault:secret/data/app#password, ref+vault://…, awssm:prod/db, env:NAME): it names a secret, it is not one. */
const MANAGER_REF = /^(?:op|vault|ssm|secretsmanager|awssm|gcpsm|azkv|keychain|env|file|secret|bws|doppler|infisical|ref\+[a-z0-9]+):\/{0,2}\S+$/i;

/** Is the value a reference to a secret kept in a secret manager (MCP configs, decoded Secret values)? */
export function isSecretManagerRef(value: string): boolean {
  return MANAGER_REF.test(value);
}

/** Is the value (or, for long samples, a value containing it) a provider's published sample? */
export function isKnownSample(value: string): boolean {
  const s = sampleSet();
  if (s.exact.has(value)) return true;
  if (value.length >= 24) for (const v of s.long) if (value.includes(v)) return true;
  return false;
}

export function isPublicIdentifier(value: string): boolean {
  return PUBLIC_ID_RE.test(value);
}

export function isPlaceholder(value: string): boolean {
  for (const re of PLACEHOLDER_RES) if (re.test(value)) return true;
  // Very low variety for its length: aaaaabbbbb, 1111-2222 …
  if (value.length >= 12 && new Set(value).size <= 4) return true;
  if (isPublicIdentifier(value)) return true;
  return isKnownSample(value);
}
