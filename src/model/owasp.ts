/** OWASP Non-Human Identities Top 10 (2025). */
export const OWASP_NHI = {
  NHI1: 'Improper Offboarding',
  NHI2: 'Secret Leakage',
  NHI3: 'Vulnerable Third-Party NHI',
  NHI4: 'Insecure Authentication',
  NHI5: 'Overprivileged NHI',
  NHI6: 'Insecure Cloud Deployment Configurations',
  NHI7: 'Long-Lived Secrets',
  NHI8: 'Environment Isolation',
  NHI9: 'NHI Reuse',
  NHI10: 'Human Use of NHI',
} as const;

export type OwaspId = keyof typeof OWASP_NHI;
export const OWASP_IDS = Object.keys(OWASP_NHI) as OwaspId[];

export function isOwaspId(s: unknown): s is OwaspId {
  return typeof s === 'string' && s in OWASP_NHI;
}

export const OWASP_REFERENCE = 'https://owasp.org/www-project-non-human-identities-top-10/2025/';
