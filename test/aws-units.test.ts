import { describe, expect, it } from 'vitest';
import { check as admin } from '../src/checks/aws/aws-admin-access.js';
import { check as crossAccount } from '../src/checks/aws/aws-cross-account-trust-without-external-id.js';
import { check as keyAge } from '../src/checks/aws/aws-access-key-age.js';
import { check as oidc } from '../src/checks/aws/aws-oidc-trust-unrestricted.js';
import { check as privesc } from '../src/checks/aws/aws-privilege-escalation.js';
import { check as publicTrust } from '../src/checks/aws/aws-role-trust-public.js';
import { check as unusedKey } from '../src/checks/aws/aws-unused-access-key.js';
import { check as inactive } from '../src/checks/aws/aws-inactive-user.js';
import { oidcVerdicts } from '../src/checks/aws/lib/oidc.js';
import type { CheckContext } from '../src/checks/types.js';
import { parseCredentialReport, parseCsv, credentialReportText } from '../src/sources/aws/credential-report.js';
import { isoDate } from '../src/util/dates.js';
import { decodePolicyDocument } from '../src/sources/aws/documents.js';
import type { AwsCredential, AwsInventory, AwsRole, AwsUser, PolicyDocument } from '../src/model/aws.js';
import { Permissions, statements, wildcardMatch } from '../src/checks/aws/lib/policy.js';

const ctx: CheckContext = { now: new Date('2026-01-01T00:00:00Z'), thresholds: { maxKeyAgeDays: 90, maxUnusedDays: 90 } };
const A = 'arn:aws:iam::111122223333';

function perms(...docs: PolicyDocument[]): Permissions {
  return new Permissions(docs.map((document, i) => ({ kind: 'inline', name: `p${i}`, document })));
}
const doc = (...Statement: unknown[]): PolicyDocument => ({ Version: '2012-10-17', Statement });

function roleInv(role: Partial<AwsRole>, extra: Partial<AwsInventory['authorization']> = {}): AwsInventory {
  return { authorization: { users: [], groups: [], policies: [], ...extra, roles: [{ name: 'r', arn: `${A}:role/r`, path: '/', ...role }] } };
}
function trustInv(...Statement: unknown[]): AwsInventory {
  return roleInv({ trustPolicy: { Version: '2012-10-17', Statement } });
}

describe('policy documents and dates', () => {
  it('decodes objects, JSON strings and URL-encoded JSON', () => {
    const d = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/a b+c%' }] };
    expect(decodePolicyDocument(d)).toBe(d);
    expect(decodePolicyDocument(JSON.stringify(d))).toEqual(d);
    expect(decodePolicyDocument(encodeURIComponent(JSON.stringify(d, null, 2)))).toEqual(d);
    expect(decodePolicyDocument('%7Bnot json')).toBeUndefined();
    expect(decodePolicyDocument(42)).toBeUndefined();
  });

  it('reads dates with Z, with an offset, without a zone, and the report placeholders', () => {
    expect(isoDate('2024-02-01T10:00:00')).toBe('2024-02-01T10:00:00.000Z');
    expect(isoDate('2024-02-01T10:00:00+00:00')).toBe('2024-02-01T10:00:00.000Z');
    expect(isoDate('2024-02-01T12:00:00+02:00')).toBe('2024-02-01T10:00:00.000Z');
    expect(isoDate(new Date('2024-02-01T10:00:00Z'))).toBe('2024-02-01T10:00:00.000Z');
    for (const v of ['N/A', 'no_information', 'not_supported', '', 'garbage']) expect(isoDate(v), v).toBeUndefined();
  });
});

describe('credential report', () => {
  const header =
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const csv = [
    header,
    `<root_account>,${A}:root,2019-01-01T00:00:00+00:00,not_supported,2025-01-01T00:00:00+00:00,not_supported,not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
    `"u,1",${A}:user/u1,2024-01-01T00:00:00+00:00,true,no_information,2024-01-01T00:00:00+00:00,N/A,false,true,2024-01-02T00:00:00+00:00,N/A,N/A,N/A,false,2024-01-03T00:00:00+00:00,2024-05-01T00:00:00+00:00,us-east-1,s3,false,N/A,false,N/A`,
  ].join('\r\n');

  it('parses the 22 columns, the root row and the placeholder values', () => {
    const [root, u] = parseCredentialReport(csv);
    expect(root).toEqual({ user: '<root_account>', arn: `${A}:root`, root: true, created: '2019-01-01T00:00:00.000Z', passwordLastUsed: '2025-01-01T00:00:00.000Z', mfaActive: false, keys: [] });
    expect(u.user).toBe('u,1');
    expect(u.passwordEnabled).toBe(true);
    expect(u.passwordLastUsed).toBeUndefined();
    expect(u.keys).toEqual([
      { slot: 1, active: true, lastRotated: '2024-01-02T00:00:00.000Z' },
      { slot: 2, active: false, lastRotated: '2024-01-03T00:00:00.000Z', lastUsed: '2024-05-01T00:00:00.000Z', lastUsedRegion: 'us-east-1', lastUsedService: 's3' },
    ]);
  });

  it('takes base64 and bytes as well as text, and rejects other CSVs', () => {
    expect(parseCredentialReport(credentialReportText(Buffer.from(csv).toString('base64')))).toHaveLength(2);
    expect(parseCredentialReport(credentialReportText(new TextEncoder().encode(csv)))).toHaveLength(2);
    expect(() => parseCredentialReport('a,b\n1,2\n')).toThrow(/missing columns user, arn/);
    expect(parseCsv('a,"b ""q""",c\n\n1,2,3')).toEqual([['a', 'b "q"', 'c'], ['1', '2', '3']]);
  });
});

describe('policy evaluator', () => {
  it('matches IAM wildcards case-insensitively', () => {
    expect(wildcardMatch('iam:Put*', 'IAM:putRolePolicy')).toBe(true);
    expect(wildcardMatch('iam:?etRole', 'iam:GetRole')).toBe(true);
    expect(wildcardMatch('s3:*', 'iam:PassRole')).toBe(false);
  });

  it('normalizes single statements, strings and NotAction', () => {
    const st = statements({ Statement: { Sid: 'x', Effect: 'Allow', NotAction: 'iam:*', Resource: '*', Condition: { 'ForAllValues:StringLikeIfExists': { 'A:B': 'v' } } } });
    expect(st).toHaveLength(1);
    expect(st[0]).toMatchObject({ index: 0, sid: 'x', notActions: ['iam:*'], resources: ['*'] });
    expect(st[0].conditions[0]).toMatchObject({ set: 'forallvalues', base: 'stringlike', ifExists: true, key: 'a:b', values: ['v'] });
  });

  it('finds "everything" grants and lets only certain Denies take them away', () => {
    expect(perms(doc({ Effect: 'Allow', Action: '*', Resource: '*' })).allowsEverything()).toBeDefined();
    expect(perms(doc({ Effect: 'Allow', Action: '*:*', Resource: 'arn:aws:*:*:*:*' })).allowsEverything()).toBeDefined();
    // NotResource in an Allow is broad (all but a few resources).
    expect(perms(doc({ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::secret/*' })).allowsEverything()).toBeDefined();
    // A conditional Deny is not counted but is reported.
    const cond = perms(doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }));
    expect(cond.allowsEverything()).toBeDefined();
    expect(cond.conditionalDenies(['iam:PutRolePolicy', 's3:GetObject'])).toHaveLength(1);
    // Unconditional Denies on IAM, via NotAction, or via NotResource outside IAM do count.
    expect(perms(doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:*', Resource: '*' })).allowsEverything()).toBeUndefined();
    expect(perms(doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', NotAction: 's3:GetObject', Resource: '*' })).allowsEverything()).toBeUndefined();
    expect(perms(doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', NotResource: 'arn:aws:s3:::only-this/*' })).allows('iam:PassRole')).toBeUndefined();
    // A Deny on some roles only does not remove IAM control over everything else.
    expect(perms(doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:*', Resource: `${A}:role/protected-*` })).allows('iam:CreateAccessKey')).toBeDefined();
  });

  it('distinguishes broad resources from named ones', () => {
    const p = perms(doc({ Effect: 'Allow', Action: 'iam:PassRole', Resource: `${A}:role/deploy-*` }, { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: `${A}:user/*` }, { Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: 'arn:aws:s3:::*' }));
    expect(p.allows('iam:PassRole', 'broad')).toBeUndefined();
    expect(p.allows('iam:PassRole', 'any')).toBeDefined();
    expect(p.allows('iam:CreateAccessKey', 'broad')).toBeDefined();
    expect(p.allows('iam:PutUserPolicy', 'broad')).toBeUndefined(); // an S3 ARN is not an IAM resource
  });

  it('honours permission boundaries', () => {
    const boundary = { kind: 'managed' as const, name: 'b', arn: `${A}:policy/b`, document: doc({ Effect: 'Allow', Action: ['s3:*', 'iam:Get*'], Resource: '*' }) };
    const p = new Permissions([{ kind: 'managed', name: 'AdministratorAccess', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }], boundary);
    expect(p.allowsEverything()).toBeUndefined();
    expect(p.allows('iam:PassRole')).toBeUndefined();
    expect(p.allows('s3:GetObject')).toBeDefined();
  });
});

describe('admin and escalation checks', () => {
  const user = (u: Partial<AwsUser>): AwsUser => ({ name: 'u', arn: `${A}:user/u`, ...u });

  it('resolves well-known AWS managed policies missing from the export, and lists unresolved ones', () => {
    const inv: AwsInventory = {
      authorization: { users: [user({ managedPolicies: [{ name: 'AdministratorAccess', arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, { name: 'custom', arn: `${A}:policy/custom` }] })], groups: [], roles: [], policies: [] },
    };
    const [f] = admin.run(inv, ctx);
    expect(f.evidence).toMatchObject({ kind: 'full', unresolvedPolicies: [`${A}:policy/custom`] });
    expect(f.severity).toBe('high');
  });

  it('is critical for a user with active access keys and notes conditional denies', () => {
    const inv: AwsInventory = {
      authorization: {
        users: [user({ inlinePolicies: [{ name: 'all', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }) }] })],
        groups: [],
        roles: [],
        policies: [],
      },
      credentials: [{ user: 'u', arn: `${A}:user/u`, keys: [{ slot: 1, active: true, lastRotated: '2025-12-01T00:00:00Z' }] }],
    };
    const [f] = admin.run(inv, ctx);
    expect(f.severity).toBe('critical');
    expect(f.evidence).toMatchObject({ conditionalDeniesNotCounted: ['inline policy all (statement 1)'] });
  });

  it('reports escalation paths with the statements that grant them, but not for admins', () => {
    const inv = roleInv({ inlinePolicies: [{ name: 'p', document: doc({ Effect: 'Allow', Action: ['iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'], Resource: '*' }) }] });
    const [f] = privesc.run(inv, ctx);
    const paths = (f.evidence as { paths: Array<{ id: string; grants: Array<{ statement: number }> }> }).paths;
    expect(paths.map((p) => p.id)).toEqual(['attach-role-policy', 'update-assume-role-policy']);
    expect(paths[0].grants[0]).toMatchObject({ policy: 'inline policy p', statement: 0 });
    const adminInv = roleInv({ inlinePolicies: [{ name: 'p', document: doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }) }] });
    expect(privesc.run(adminInv, ctx)).toEqual([]);
    expect(admin.run(adminInv, ctx)[0].evidence).toMatchObject({ kind: 'iam' });
  });
});

describe('OIDC trust', () => {
  const gh = `${A}:oidc-provider/token.actions.githubusercontent.com`;
  const scope = (provider: string, Condition?: unknown) => {
    const [st] = statements(doc({ Effect: 'Allow', Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity', ...(Condition ? { Condition } : {}) }));
    return oidcVerdicts(st).map((v) => `${v.profile.id}:${v.scope}:${v.ok ? 'ok' : 'FIRE'}`)[0];
  };
  const K = 'token.actions.githubusercontent.com';

  it.each([
    [undefined, 'github:none:FIRE'],
    [{ StringEquals: { [`${K}:aud`]: 'sts.amazonaws.com' } }, 'github:none:FIRE'],
    [{ StringLike: { [`${K}:sub`]: '*' } }, 'github:any:FIRE'],
    [{ StringLike: { [`${K}:sub`]: 'repo:*' } }, 'github:any:FIRE'],
    [{ StringLike: { [`${K}:sub`]: 'repo:acme*' } }, 'github:any:FIRE'],
    [{ StringLike: { [`${K}:sub`]: 'repo:*/api:*' } }, 'github:any:FIRE'],
    [{ StringLike: { [`${K}:sub`]: 'repo:acme/*:*' } }, 'github:owner:FIRE'],
    [{ StringLike: { [`${K}:sub`]: ['repo:acme/api:*', 'repo:acme/*'] } }, 'github:owner:FIRE'],
    [{ StringLike: { [`${K}:sub`]: 'repo:acme/api:*' } }, 'github:narrow:ok'],
    [{ StringEquals: { [`${K}:sub`]: 'repo:acme/*:*' } }, 'github:narrow:ok'],
    [{ 'ForAllValues:StringLike': { [`${K}:sub`]: 'repo:acme/api:*' } }, 'github:none:FIRE'],
    [{ StringNotLike: { [`${K}:sub`]: 'repo:evil/*' } }, 'github:none:FIRE'],
    [{ StringEquals: { [`${K}:repository_owner`]: 'acme' } }, 'github:owner:FIRE'],
    [{ StringEquals: { [`${K}:repository`]: 'acme/api' } }, 'github:narrow:ok'],
    [{ StringLike: { [`${K}:job_workflow_ref`]: 'acme/deploy/.github/workflows/deploy.yml@*' } }, 'github:narrow:ok'],
    [{ StringEquals: { [`${K}:repository_owner`]: 'acme' }, StringLike: { [`${K}:sub`]: 'repo:acme/api:*' } }, 'github:narrow:ok'],
    [{ StringLike: { [`${K}:sub`]: 'repo:acme/api:*' }, 'ForAllValues:StringEquals': { [`${K}:aud`]: 'x' } }, 'github:narrow:ok'],
  ])('GitHub %j → %s', (cond, want) => {
    expect(scope(gh, cond)).toBe(want);
  });

  it('knows GitLab, Terraform Cloud, EKS, Cognito and other issuers', () => {
    expect(scope(`${A}:oidc-provider/gitlab.com`, { StringLike: { 'gitlab.com:sub': 'project_path:acme/*' } })).toBe('gitlab:owner:FIRE');
    expect(scope(`${A}:oidc-provider/gitlab.example.org`, { StringLike: { 'gitlab.example.org:sub': 'project_path:*' } })).toBe('gitlab:any:FIRE');
    expect(scope(`${A}:oidc-provider/gitlab.com`, { StringLike: { 'gitlab.com:sub': 'project_path:acme/infra/web:ref_type:branch:ref:*' } })).toBe('gitlab:narrow:ok');
    expect(scope(`${A}:oidc-provider/app.terraform.io`, { StringLike: { 'app.terraform.io:sub': 'organization:acme:project:*:workspace:*:run_phase:*' } })).toBe('terraform:owner:FIRE');
    expect(scope(`${A}:oidc-provider/app.terraform.io`, { StringLike: { 'app.terraform.io:sub': 'organization:acme:project:infra:workspace:*:run_phase:*' } })).toBe('terraform:narrow:ok');
    const eks = 'oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF';
    expect(scope(`${A}:oidc-provider/${eks}`, { StringLike: { [`${eks}:sub`]: 'system:serviceaccount:payments:*' } })).toBe('eks:owner:ok');
    expect(scope(`${A}:oidc-provider/${eks}`, { StringLike: { [`${eks}:sub`]: 'system:serviceaccount:*' } })).toBe('eks:any:FIRE');
    expect(scope('cognito-identity.amazonaws.com')).toBe('cognito:none:FIRE');
    expect(scope('cognito-identity.amazonaws.com', { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:1234' } })).toBe('cognito:narrow:ok');
    const circle = 'oidc.circleci.com/org/0000-1111';
    expect(scope(`${A}:oidc-provider/${circle}`, { StringEquals: { [`${circle}:aud`]: '0000-1111' } })).toBe('generic:none:FIRE');
    expect(scope(`${A}:oidc-provider/${circle}`, { StringLike: { [`${circle}:sub`]: 'org/0000-1111/project/2222/user/*' } })).toBe('generic:narrow:ok');
    expect(scope(`${A}:saml-provider/okta`)).toBeUndefined();
  });

  it('reports org-wide subjects as high and open ones as critical, per statement', () => {
    const inv = trustInv(
      { Effect: 'Allow', Principal: { Federated: gh }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { [`${K}:sub`]: 'repo:acme/*' } } },
      { Effect: 'Allow', Principal: { Federated: gh }, Action: 'sts:AssumeRoleWithWebIdentity' },
    );
    const fs = oidc.run(inv, ctx);
    expect(fs.map((f) => [f.severity, (f.evidence as { statement: number }).statement])).toEqual([
      ['high', 0],
      ['critical', 1],
    ]);
    expect(new Set(fs.map((f) => f.id)).size).toBe(2);
  });
});

describe('trust policies', () => {
  it('public trust: "*" without a caller restriction', () => {
    expect(publicTrust.run(trustInv({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }), ctx)).toHaveLength(1);
    expect(publicTrust.run(trustInv({ Effect: 'Allow', NotPrincipal: { AWS: `${A}:root` }, Action: 'sts:AssumeRole' }), ctx)).toHaveLength(1);
    expect(publicTrust.run(trustInv({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { ArnLike: { 'aws:PrincipalArn': `${A}:role/ci-*` } } }), ctx)).toHaveLength(0);
    expect(publicTrust.run(trustInv({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { StringLike: { 'aws:PrincipalOrgID': '*' } } }), ctx)).toHaveLength(1);
    expect(publicTrust.run(trustInv({ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' }), ctx)).toHaveLength(0);
  });

  it('cross-account trust: bare account ids and role ARNs; a wildcard external id does not count', () => {
    expect(crossAccount.run(trustInv({ Effect: 'Allow', Principal: { AWS: ['999988887777', `${A}:root`] }, Action: 'sts:AssumeRole' }), ctx)[0].evidence).toMatchObject({ accounts: ['999988887777'] });
    expect(crossAccount.run(trustInv({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:role/x' }, Action: 'sts:AssumeRole', Condition: { StringLike: { 'sts:ExternalId': '*' } } }), ctx)).toHaveLength(1);
    expect(crossAccount.run(trustInv({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:role/x' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'k3y' } } }), ctx)).toHaveLength(0);
    expect(crossAccount.run(trustInv({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:role/x' }, Action: 'sts:AssumeRoleWithWebIdentity' }), ctx)).toHaveLength(0);
  });
});

describe('key verdicts: one finding per key, most useful fix first', () => {
  const cred = (c: Partial<AwsCredential>): AwsInventory => ({ credentials: [{ user: 'u', arn: `${A}:user/u`, created: '2020-01-01T00:00:00Z', passwordEnabled: false, mfaActive: false, ...c }] });

  it('an unused old key is reported as unused, not as old', () => {
    const inv = cred({ keys: [{ slot: 1, active: true, lastRotated: '2024-01-01T00:00:00Z', lastUsed: '2025-06-01T00:00:00Z' }, { slot: 2, active: true, lastRotated: '2025-12-01T00:00:00Z', lastUsed: '2025-12-31T00:00:00Z' }] });
    expect(unusedKey.run(inv, ctx)).toHaveLength(1);
    expect(keyAge.run(inv, ctx)).toHaveLength(0);
    expect(inactive.run(inv, ctx)).toHaveLength(0);
  });

  it('an idle user is reported once, as a user, not per key', () => {
    const inv = cred({ keys: [{ slot: 1, active: true, lastRotated: '2024-01-01T00:00:00Z', lastUsed: '2025-06-01T00:00:00Z' }] });
    expect(inactive.run(inv, ctx)).toHaveLength(1);
    expect(unusedKey.run(inv, ctx)).toHaveLength(0);
    expect(keyAge.run(inv, ctx)).toHaveLength(0);
  });

  it('thresholds come from the context', () => {
    const inv = cred({ keys: [{ slot: 1, active: true, lastRotated: '2025-06-01T00:00:00Z', lastUsed: '2025-12-31T00:00:00Z' }] });
    expect(keyAge.run(inv, ctx)).toHaveLength(1);
    expect(keyAge.run(inv, { ...ctx, thresholds: { maxKeyAgeDays: 365, maxUnusedDays: 90 } })).toHaveLength(0);
  });
});

describe('conditions that can never be true', () => {
  const never = (Condition: unknown, now?: Date) => statements(doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition }), now)[0].never;

  it.each([
    [{ Bool: { 'aws:SecureTransport': 'maybe' } }],
    [{ StringEquals: { 'aws:RequestedRegion': [] } }],
    [{ 'ForAnyValue:StringEquals': { 'aws:TagKeys': [] } }],
    [{ NumericLessThan: { 'aws:MultiFactorAuthAge': '-1' } }],
    [{ NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '-5' } }],
    [{ NumericEquals: { 's3:max-keys': 'ten' } }],
    [{ DateLessThan: { 'aws:CurrentTime': '1970-01-01T00:00:00Z' } }],
    [{ Null: { 'aws:PrincipalTag/team': 'true' }, StringEquals: { 'aws:PrincipalTag/team': 'x' } }],
    [{ Null: { 'aws:PrincipalArn': 'true' } }],
    [{ StringEquals: { 'aws:PrincipalTag/team': ['a', 'b'] }, StringNotEquals: { 'aws:PrincipalTag/team': ['b', 'a'] } }],
    [{ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' }, StringLike: { 'aws:RequestedRegion': 'us-*' } }],
    [{ StringEquals: { 'aws:PrincipalTag/team': 'Ops' }, StringNotEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'ops' } }],
  ])('never: %j', (cond) => {
    expect(never(cond)).toBeTypeOf('string');
  });

  it.each([
    [{ Bool: { 'aws:MultiFactorAuthPresent': ['true'] } }],
    [{ BoolIfExists: { 'aws:SecureTransport': 'maybe' } }],
    [{ StringEqualsIfExists: { 'aws:RequestedRegion': [] } }],
    [{ StringNotEquals: { 'aws:RequestedRegion': [] } }],
    [{ 'ForAllValues:StringEquals': { 'aws:TagKeys': [] } }],
    [{ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }],
    [{ NumericLessThan: { 'custom:Counter': '-1' } }],
    [{ DateGreaterThan: { 'aws:CurrentTime': '1970-01-01T00:00:00Z' } }],
    [{ DateLessThan: { 'aws:CurrentTime': 'not a date' } }],
    [{ Null: { 'aws:PrincipalTag/team': 'false' }, StringEquals: { 'aws:PrincipalTag/team': 'x' } }],
    [{ Null: { 'aws:PrincipalTag/team': 'true' }, StringEqualsIfExists: { 'aws:PrincipalTag/team': 'x' } }],
    [{ Null: { 'aws:PrincipalTag/team': 'true' }, StringNotEquals: { 'aws:PrincipalTag/team': 'x' } }],
    [{ StringEquals: { 'aws:PrincipalTag/team': ['a', 'b'] }, StringNotEquals: { 'aws:PrincipalTag/team': 'a' } }],
    [{ StringEquals: { 'aws:PrincipalTag/team': '${aws:username}' }, StringNotEquals: { 'aws:PrincipalTag/team': 'x' } }],
    [{ StringEquals: { 'aws:TagKeys': 'a' }, StringNotEquals: { 'aws:TagKeys': 'a' } }],
    [{ StringEquals: { 'ec2:InstanceType': 'a' }, StringNotEquals: { 'ec2:InstanceType': 'a' } }],
    [{ 'SomeFutureOperator': { 'aws:RequestedRegion': [] } }],
  ])('satisfiable: %j', (cond) => {
    expect(never(cond)).toBeUndefined();
  });

  it('a "before" date that the audit clock has passed is never true; one still ahead is', () => {
    const c = { DateLessThan: { 'aws:CurrentTime': '2025-06-30T00:00:00Z' } };
    expect(never(c, new Date('2026-01-01T00:00:00Z'))).toMatch(/in the past/);
    expect(never(c, new Date('2025-01-01T00:00:00Z'))).toBeUndefined();
    expect(never({ NumericLessThan: { 'aws:EpochTime': '1700000000' } }, new Date('2026-01-01T00:00:00Z'))).toMatch(/in the past/);
  });

  it('such a statement grants nothing, and is listed as ignored', () => {
    const p = perms(doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'maybe' } } }));
    expect(p.allowsEverything()).toBeUndefined();
    expect(p.allows('iam:PassRole')).toBeUndefined();
    expect(p.ignored).toHaveLength(1);
    const inv = roleInv({ inlinePolicies: [{ name: 'p', document: doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': [] } } }) }] });
    expect(admin.run(inv, ctx)).toEqual([]);
    expect(privesc.run(inv, ctx)).toEqual([]);
    expect(publicTrust.run(trustInv({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { Null: { 'aws:PrincipalArn': 'true' } } }), ctx)).toEqual([]);
  });
});

describe('grants on one resource', () => {
  it('resolves ${aws:username}, honours Deny, NotResource and the boundary', () => {
    const me = `${A}:user/alice`;
    const vars = { 'aws:username': 'alice' };
    const own = perms(doc({ Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: `${A}:user/\${aws:username}` }));
    expect(own.allowsOn('iam:PutUserPolicy', me, vars)).toBeDefined();
    expect(own.allowsOn('iam:PutUserPolicy', `${A}:user/bob`, vars)).toBeUndefined();
    expect(own.allowsOn('iam:PutUserPolicy', me, {})).toBeDefined(); // unknown variable: an Allow may match
    const denied = perms(doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:PutUserPolicy', Resource: `${A}:user/\${aws:username}` }));
    expect(denied.allowsOn('iam:PutUserPolicy', me, vars)).toBeUndefined();
    expect(denied.allowsOn('iam:PutUserPolicy', me, {})).toBeDefined(); // unknown variable: a Deny may not
    const notRes = perms(doc({ Effect: 'Allow', Action: 'iam:PutUserPolicy', NotResource: `${A}:user/admin-*` }));
    expect(notRes.allowsOn('iam:PutUserPolicy', me, vars)).toBeDefined();
    expect(notRes.allowsOn('iam:PutUserPolicy', `${A}:user/admin-x`, vars)).toBeUndefined();
    const literal = perms(doc({ Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: `${A}:user/a\${*}` }));
    expect(literal.allowsOn('iam:PutUserPolicy', `${A}:user/a*`, vars)).toBeDefined();
    expect(literal.allowsOn('iam:PutUserPolicy', `${A}:user/ab`, vars)).toBeUndefined();
  });
});

describe('escalation methods are data', () => {
  it('every method has an id, a title and a source, and none is implied by a simpler one', async () => {
    const { escalationMethods } = await import('../src/checks/aws/lib/escalation.js');
    const ms = escalationMethods();
    expect(ms.length).toBeGreaterThanOrEqual(70);
    const broad = ms.filter((m) => !m.on);
    const reqs = (m: (typeof ms)[number]) => new Map([...m.one.map((a) => [a.toLowerCase(), 'one'] as const), ...m.every.map((a) => [a.toLowerCase(), 'every'] as const)]);
    for (const a of broad)
      for (const b of broad) {
        if (a === b) continue;
        const ra = reqs(a);
        const rb = reqs(b);
        // a implies b when each of a's needs is among b's, on no fewer resources.
        const implies = [...ra].every(([k, s]) => rb.has(k) && (s === 'one' || rb.get(k) === 'every'));
        expect(implies, `${a.id} makes ${b.id} redundant`).toBe(false);
      }
  });
});
