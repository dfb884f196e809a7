import type { Finding, Occurrence } from '../model/finding.js';

/**
 * NHI8 environment isolation: a credential seen both in places that name production and in places
 * that name another environment. Environments are read from path segments, branch-like names and
 * config file names (prod, production, prd, live / dev, development, test, staging, stage, qa,
 * sandbox, local), never from message text.
 */
const PROD = /(?:^|[^a-z])(?:prod|production|prd|live)(?:[^a-z]|$)/i;
const NONPROD = /(?:^|[^a-z])(?:dev|develop|development|test|testing|staging|stage|stg|qa|uat|sandbox|local)(?:[^a-z]|$)/i;

function envOf(o: Occurrence): 'production' | 'non-production' | undefined {
  const s = `${o.path ?? ''} ${o.resource ?? ''}`;
  if (PROD.test(s)) return 'production';
  if (NONPROD.test(s)) return 'non-production';
  return undefined;
}

export function markEnvironmentMixing(findings: Finding[]): void {
  for (const f of findings) {
    if (!f.secret || f.occurrences.length < 2) continue;
    const prod = f.occurrences.filter((o) => envOf(o) === 'production');
    const other = f.occurrences.filter((o) => envOf(o) === 'non-production');
    if (!prod.length || !other.length) continue;
    if (!f.owasp.includes('NHI8')) f.owasp.push('NHI8');
    const place = (o: Occurrence) => `${o.path ?? o.resource}${o.line ? `:${o.line}` : ''}`;
    f.evidence = { ...f.evidence, environments: { production: [...new Set(prod.map(place))].slice(0, 5), nonProduction: [...new Set(other.map(place))].slice(0, 5) } };
    if (!/production and non-production/.test(f.message)) f.message += ' Used in production and non-production places (environment isolation).';
  }
}
