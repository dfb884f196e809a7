import { SEVERITIES, type Severity } from '../../src/model/severity.js';
import { rand62 } from './tokens.js';

/**
 * Custom secret rules (config-file format) for tests of the CI gate: one per severity, so a scan
 * can produce findings of every severity without depending on which built-in rules exist.
 * Tokens look like `acmehigh_<24 base62>`.
 */
export function customToken(sev: Severity): string {
  return `acme${sev}_${rand62(24)}`;
}

export function customRulesYaml(severities: readonly Severity[] = SEVERITIES, indent = ''): string {
  const rules = severities
    .map(
      (sev) => `    - id: acme-${sev}-token
      title: ACME ${sev} token
      description: An ACME API token that grants ${sev}-impact access.
      severity: ${sev}
      owasp: [NHI2${sev === 'critical' ? ', NHI7' : ''}]
      remediation: Revoke it in the ACME console and load it from the secret manager.
      references: [https://acme.invalid/docs/tokens]
      precision: high
      pattern: '\\b(acme${sev}_[A-Za-z0-9]{24})\\b'
      keywords: [acme${sev}_]
      examples: ['token = acme${sev}_Zq8Lw2Nx5Rt7Vb3Mk9Pj4Hs6']
      negative_examples: ['acme${sev}_short']`,
    )
    .join('\n');
  return `custom-rules:\n  provider: acme\n  rules:\n${rules}\n`
    .split('\n')
    .map((l) => (l ? indent + l : l))
    .join('\n');
}
