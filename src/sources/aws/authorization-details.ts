import { isoDate } from '../../util/dates.js';
import { decodePolicyDocument } from './documents.js';
import type { AttachedPolicy, AwsAuthorization, AwsGroup, AwsManagedPolicy, AwsRole, AwsUser, InlinePolicy } from '../../model/aws.js';

/**
 * Maps `GetAccountAuthorizationDetails` output to the inventory. The SDK's response and the AWS
 * CLI's JSON export use the same PascalCase names; they differ only in documents (URL-encoded
 * strings vs objects) and dates (Date vs strings), which the helpers below accept in both forms.
 */

type Raw = Record<string, unknown>;

/** One page (or a whole export) of GetAccountAuthorizationDetails. */
export interface AuthorizationPage {
  UserDetailList?: unknown[];
  GroupDetailList?: unknown[];
  RoleDetailList?: unknown[];
  Policies?: unknown[];
}

export const PAGE_LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;

function obj(v: unknown): Raw {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {};
}

function list(v: unknown): Raw[] {
  return Array.isArray(v) ? v.map(obj) : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function tags(v: unknown): Record<string, string> | undefined {
  const t = list(v).filter((x) => typeof x.Key === 'string');
  return t.length ? Object.fromEntries(t.map((x) => [x.Key as string, String(x.Value ?? '')])) : undefined;
}

class Mapper {
  readonly warnings: string[] = [];

  doc(v: unknown, what: string): ReturnType<typeof decodePolicyDocument> {
    if (v === undefined || v === null) return undefined;
    const d = decodePolicyDocument(v);
    if (!d) this.warnings.push(`${what}: policy document could not be decoded; evaluated as unknown`);
    return d;
  }

  inline(v: unknown, owner: string): InlinePolicy[] {
    return list(v).map((p) => {
      const name = str(p.PolicyName) ?? '(unnamed)';
      const out: InlinePolicy = { name };
      const d = this.doc(p.PolicyDocument, `${owner} inline policy ${name}`);
      if (d) out.document = d;
      return out;
    });
  }

  attached(v: unknown): AttachedPolicy[] {
    return list(v)
      .filter((p) => str(p.PolicyArn))
      .map((p) => ({ name: str(p.PolicyName) ?? (p.PolicyArn as string).split('/').pop()!, arn: p.PolicyArn as string }));
  }

  user(u: Raw): AwsUser | undefined {
    const arn = str(u.Arn);
    const name = str(u.UserName);
    if (!arn || !name) return undefined;
    const out: AwsUser = {
      name,
      arn,
      inlinePolicies: this.inline(u.UserPolicyList, arn),
      managedPolicies: this.attached(u.AttachedManagedPolicies),
      groups: Array.isArray(u.GroupList) ? u.GroupList.filter((g): g is string => typeof g === 'string') : [],
    };
    setOpt(out, 'id', str(u.UserId));
    setOpt(out, 'path', str(u.Path));
    setOpt(out, 'created', isoDate(u.CreateDate));
    setOpt(out, 'permissionsBoundary', str(obj(u.PermissionsBoundary).PermissionsBoundaryArn));
    setOpt(out, 'tags', tags(u.Tags));
    return out;
  }

  role(r: Raw): AwsRole | undefined {
    const arn = str(r.Arn);
    const name = str(r.RoleName);
    if (!arn || !name) return undefined;
    const out: AwsRole = {
      name,
      arn,
      inlinePolicies: this.inline(r.RolePolicyList, arn),
      managedPolicies: this.attached(r.AttachedManagedPolicies),
      instanceProfiles: list(r.InstanceProfileList)
        .map((p) => str(p.Arn) ?? str(p.InstanceProfileName))
        .filter((x): x is string => x !== undefined),
    };
    setOpt(out, 'id', str(r.RoleId));
    setOpt(out, 'path', str(r.Path));
    setOpt(out, 'created', isoDate(r.CreateDate));
    setOpt(out, 'trustPolicy', this.doc(r.AssumeRolePolicyDocument, `${arn} trust policy`));
    setOpt(out, 'permissionsBoundary', str(obj(r.PermissionsBoundary).PermissionsBoundaryArn));
    const used = obj(r.RoleLastUsed);
    setOpt(out, 'lastUsed', isoDate(used.LastUsedDate));
    setOpt(out, 'lastUsedRegion', str(used.Region));
    setOpt(out, 'tags', tags(r.Tags));
    return out;
  }

  group(g: Raw): AwsGroup | undefined {
    const arn = str(g.Arn);
    const name = str(g.GroupName);
    if (!arn || !name) return undefined;
    return { name, arn, inlinePolicies: this.inline(g.GroupPolicyList, arn), managedPolicies: this.attached(g.AttachedManagedPolicies) };
  }

  policy(p: Raw): AwsManagedPolicy | undefined {
    const arn = str(p.Arn);
    if (!arn) return undefined;
    const out: AwsManagedPolicy = { name: str(p.PolicyName) ?? arn.split('/').pop()!, arn };
    const versions = list(p.PolicyVersionList);
    const def = versions.find((v) => v.IsDefaultVersion === true || v.IsDefaultVersion === 'true') ?? versions.find((v) => v.VersionId === p.DefaultVersionId);
    setOpt(out, 'document', def ? this.doc(def.Document, `managed policy ${arn}`) : undefined);
    if (typeof p.AttachmentCount === 'number') out.attachmentCount = p.AttachmentCount;
    return out;
  }
}

function setOpt<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v !== undefined) o[k] = v;
}

/** Turn one or more pages into the inventory's authorization part, plus one-line warnings. */
export function mapAuthorizationDetails(pages: AuthorizationPage[]): { authorization: AwsAuthorization; warnings: string[] } {
  const m = new Mapper();
  const authorization: AwsAuthorization = { users: [], roles: [], groups: [], policies: [] };
  for (const page of pages) {
    for (const u of list(page.UserDetailList)) pushDefined(authorization.users, m.user(u));
    for (const r of list(page.RoleDetailList)) pushDefined(authorization.roles, m.role(r));
    for (const g of list(page.GroupDetailList)) pushDefined(authorization.groups, m.group(g));
    for (const p of list(page.Policies)) pushDefined(authorization.policies, m.policy(p));
  }
  return { authorization, warnings: m.warnings };
}

function pushDefined<T>(into: T[], v: T | undefined): void {
  if (v !== undefined) into.push(v);
}

/** True when a parsed JSON value looks like (pages of) GetAccountAuthorizationDetails output. */
export function isAuthorizationPage(v: unknown): v is AuthorizationPage {
  const o = obj(v);
  return PAGE_LISTS.some((k) => Array.isArray(o[k]));
}
