import { isWildcardOnly, matchesAction, type Condition, type Statement } from './policy.js';
import { isPositive, principalValues } from './trust.js';

/**
 * How tightly a web-identity trust statement pins the token's subject, per identity provider.
 * Scopes rank from open to narrow; each provider says how narrow is narrow enough.
 */

export const SCOPES = ['none', 'any', 'owner', 'narrow'] as const;
export type Scope = (typeof SCOPES)[number];

const rank = (s: Scope): number => SCOPES.indexOf(s);

function hasWild(s: string): boolean {
  return /[*?]/.test(s);
}

/** `owner/name…` forms (GitHub repository, job_workflow_ref): wildcard owner → any; wildcard name → owner. */
function ownerSlashName(v: string): Scope {
  const m = /^([^/]*)\/([^/@:]*)/.exec(v);
  if (!m) return isWildcardOnly(v) || v.startsWith('*') ? 'any' : 'narrow';
  if (hasWild(m[1])) return 'any';
  return isWildcardOnly(m[2]) ? 'owner' : 'narrow';
}

function githubSub(v: string): Scope {
  if (isWildcardOnly(v)) return 'any';
  const m = /^repo:(.*)$/i.exec(v);
  if (m) return m[1].includes('/') ? ownerSlashName(m[1]) : hasWild(m[1]) ? 'any' : 'narrow';
  // A customized subject template (e.g. repository_owner_id:…:repository_id:…).
  return v.startsWith('*') ? 'any' : 'narrow';
}

function pathScope(path: string): Scope {
  const segs = path.split('/');
  if (segs.length === 0 || hasWild(segs[0])) return 'any';
  return segs.slice(1).some((s) => isWildcardOnly(s)) || segs.length === 1 ? 'owner' : 'narrow';
}

function gitlabSub(v: string): Scope {
  if (isWildcardOnly(v)) return 'any';
  const m = /^project_path:([^:]*)/i.exec(v);
  if (m) return pathScope(m[1]);
  return v.startsWith('*') ? 'any' : 'narrow';
}

function terraformSub(v: string): Scope {
  if (isWildcardOnly(v)) return 'any';
  const m = /^organization:([^:]*)(.*)$/i.exec(v);
  if (!m) return v.startsWith('*') ? 'any' : 'narrow';
  if (hasWild(m[1])) return 'any';
  const project = /:project:([^:]*)/i.exec(m[2])?.[1];
  const workspace = /:workspace:([^:]*)/i.exec(m[2])?.[1];
  const open = (x: string | undefined): boolean => x === undefined || isWildcardOnly(x);
  return open(project) && open(workspace) ? 'owner' : 'narrow';
}

function eksSub(v: string): Scope {
  if (isWildcardOnly(v)) return 'any';
  const m = /^system:serviceaccount:([^:]*):?(.*)$/i.exec(v);
  if (!m) return v.startsWith('*') ? 'any' : 'narrow';
  if (hasWild(m[1])) return 'any';
  return m[2] === '' || isWildcardOnly(m[2]) ? 'owner' : 'narrow';
}

const exact = (v: string): Scope => (isWildcardOnly(v) ? 'any' : 'narrow');
const ownerLevel = (v: string): Scope => (hasWild(v) ? 'any' : 'owner');

export interface IssuerProfile {
  id: string;
  name: string;
  matches(issuer: string): boolean;
  /** Claim name (after `issuer:`) → how narrow a value of it is. */
  claims: Record<string, (value: string) => Scope>;
  /** The least scope that is acceptable. */
  required: Scope;
  /** What "owner" means for this provider, in messages. */
  ownerWord: string;
}

export const ISSUER_PROFILES: IssuerProfile[] = [
  {
    id: 'github',
    name: 'GitHub Actions',
    matches: (i) => i === 'token.actions.githubusercontent.com' || i.startsWith('token.actions.githubusercontent.com/') || i.includes('/_services/token'),
    claims: { sub: githubSub, repository: ownerSlashName, job_workflow_ref: ownerSlashName, repository_id: exact, repository_owner: ownerLevel, repository_owner_id: ownerLevel, enterprise: ownerLevel, enterprise_id: ownerLevel },
    required: 'narrow',
    ownerWord: 'every repository of the owner',
  },
  {
    id: 'gitlab',
    name: 'GitLab CI',
    matches: (i) => /(^|\.)gitlab\./i.test(i) || i === 'gitlab.com',
    claims: { sub: gitlabSub, project_path: pathScope, project_id: exact, namespace_path: ownerLevel, namespace_id: ownerLevel },
    required: 'narrow',
    ownerWord: 'every project of the group',
  },
  {
    id: 'terraform',
    name: 'Terraform Cloud',
    matches: (i) => i === 'app.terraform.io' || /terraform/i.test(i),
    claims: { sub: terraformSub },
    required: 'narrow',
    ownerWord: 'every workspace of the organization',
  },
  {
    id: 'eks',
    name: 'Amazon EKS (IRSA)',
    matches: (i) => /^oidc\.eks\.[^/]+\.amazonaws\.com(\.cn)?\/id\//i.test(i),
    claims: { sub: eksSub },
    required: 'owner',
    ownerWord: 'every service account of the namespace',
  },
  {
    id: 'cognito',
    name: 'Amazon Cognito identity pools',
    matches: (i) => i === 'cognito-identity.amazonaws.com',
    claims: { aud: exact },
    required: 'narrow',
    ownerWord: 'any identity pool',
  },
  {
    id: 'google',
    name: 'Google',
    matches: (i) => i === 'accounts.google.com',
    claims: { aud: exact, oaud: exact, sub: exact },
    required: 'narrow',
    ownerWord: 'any Google client',
  },
  {
    id: 'generic',
    name: 'OIDC',
    matches: () => true,
    claims: { sub: exact },
    required: 'narrow',
    ownerWord: 'any subject',
  },
];

/** The issuer a Federated principal names (`…:oidc-provider/HOST/PATH` or a bare host); SAML: undefined. */
export function issuerOf(federated: string): string | undefined {
  const m = /^arn:[^:]+:iam::\d{12}:oidc-provider\/(.+)$/.exec(federated);
  if (m) return m[1];
  if (federated.startsWith('arn:')) return undefined;
  return federated.replace(/^https:\/\//, '');
}

export function profileOf(issuer: string): IssuerProfile {
  return ISSUER_PROFILES.find((p) => p.matches(issuer))!;
}

export interface OidcVerdict {
  issuer: string;
  provider: string;
  profile: IssuerProfile;
  scope: Scope;
  /** Conditions on the issuer's claims that were ignored because ForAllValues makes them vacuous. */
  vacuous: Condition[];
  /** The restricting condition that decided the scope. */
  decidedBy?: Condition;
  ok: boolean;
}

function conditionScope(c: Condition, fn: (v: string) => Scope): Scope {
  // Only *Like operators read wildcards; StringEquals compares literally, so a `*` there is just a
  // character (the claim's own level still counts: an exact repository_owner is owner-wide).
  const like = c.base.includes('like');
  let worst: Scope = 'narrow';
  for (const v of c.values) {
    const s = fn(like ? v : v.replace(/[*?]/g, '_'));
    if (rank(s) < rank(worst)) worst = s;
  }
  return worst;
}

/** One verdict per OIDC provider a web-identity Allow statement trusts. */
export function oidcVerdicts(st: Statement): OidcVerdict[] {
  if (st.effect !== 'Allow' || !matchesAction(st, 'sts:AssumeRoleWithWebIdentity')) return [];
  const out: OidcVerdict[] = [];
  for (const provider of principalValues(st, 'Federated')) {
    const issuer = issuerOf(provider);
    if (!issuer) continue;
    const profile = profileOf(issuer);
    const prefix = `${issuer.toLowerCase()}:`;
    const vacuous: Condition[] = [];
    let scope: Scope = 'none';
    let decidedBy: Condition | undefined;
    for (const c of st.conditions) {
      if (!c.key.startsWith(prefix)) continue;
      const fn = profile.claims[c.key.slice(prefix.length)];
      if (!fn) continue;
      if (c.set === 'forallvalues') {
        vacuous.push(c);
        continue;
      }
      if (!isPositive(c)) continue;
      const s = conditionScope(c, fn);
      if (rank(s) > rank(scope)) {
        scope = s;
        decidedBy = c;
      }
    }
    const v: OidcVerdict = { issuer, provider, profile, scope, vacuous, ok: rank(scope) >= rank(profile.required) };
    if (decidedBy) v.decidedBy = decidedBy;
    out.push(v);
  }
  return out;
}

/** One sentence: why the statement is too open. */
export function explainVerdict(v: OidcVerdict): string {
  const by = v.decidedBy ? `${v.decidedBy.operator} ${v.decidedBy.keyAsWritten} ${JSON.stringify(v.decidedBy.values.length === 1 ? v.decidedBy.values[0] : v.decidedBy.values)}` : '';
  const vac = v.vacuous.length ? ` (${v.vacuous.map((c) => `${c.operator} on ${c.keyAsWritten}`).join(', ')} is ignored: ForAllValues matches a token that lacks the claim)` : '';
  const claims = Object.keys(v.profile.claims);
  const claim = claims.length > 1 ? `${claims[0]} (or an equivalent claim)` : claims[0];
  if (v.scope === 'none') return `no condition restricts the token's ${claim}${vac}, so any ${v.profile.name} workload, anyone's, that gets a token from ${v.issuer} can assume it`;
  if (v.scope === 'any') return `${by} matches tokens of any owner${vac}`;
  return `${by} matches ${v.profile.ownerWord}${vac}`;
}
