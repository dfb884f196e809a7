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
  /** Entries or lists of the wrong type: their data is missing from the inventory (the target is partial). */
  incomplete = 0;

  /** A list field that is present but not a list, or holds entries that are not objects: said. */
  checkList(v: unknown, where: string, entries: 'object' | 'string' = 'object'): void {
    if (v === undefined || v === null) return;
    if (!Array.isArray(v)) {
      this.incomplete++;
      this.warnings.push(`${where} is not a list (got ${typeof v}); its entries were not read`);
      return;
    }
    v.forEach((x, i) => {
      const ok = entries === 'string' ? typeof x === 'string' : !!x && typeof x === 'object' && !Array.isArray(x);
      if (!ok) {
        this.incomplete++;
        this.warnings.push(`${where}[${i}] is not ${entries === 'string' ? 'a string' : 'an object'} (got ${Array.isArray(x) ? 'array' : x === null ? 'null' : typeof x}); skipped`);
      }
    });
  }

  /** An entry without its ARN or name cannot be an identity: said, not silently dropped. */
  missing(where: string, what: string): undefined {
    this.incomplete++;
    this.warnings.push(`${where}: no ${what}; the entry was skipped`);
    return undefined;
  }

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

  user(u: Raw, where = 'UserDetailList'): AwsUser | undefined {
    const arn = str(u.Arn);
    const name = str(u.UserName);
    if (!arn || !name) return Object.keys(u).length ? this.missing(where, 'Arn or UserName') : undefined;
    for (const k of ['UserPolicyList', 'AttachedManagedPolicies']) this.checkList(u[k], `${arn} ${k}`);
    this.checkList(u.GroupList, `${arn} GroupList`, 'string');
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

  role(r: Raw, where = 'RoleDetailList'): AwsRole | undefined {
    const arn = str(r.Arn);
    const name = str(r.RoleName);
    if (!arn || !name) return Object.keys(r).length ? this.missing(where, 'Arn or RoleName') : undefined;
    for (const k of ['RolePolicyList', 'AttachedManagedPolicies', 'InstanceProfileList']) this.checkList(r[k], `${arn} ${k}`);
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

  group(g: Raw, where = 'GroupDetailList'): AwsGroup | undefined {
    const arn = str(g.Arn);
    const name = str(g.GroupName);
    if (!arn || !name) return Object.keys(g).length ? this.missing(where, 'Arn or GroupName') : undefined;
    for (const k of ['GroupPolicyList', 'AttachedManagedPolicies']) this.checkList(g[k], `${arn} ${k}`);
    return { name, arn, inlinePolicies: this.inline(g.GroupPolicyList, arn), managedPolicies: this.attached(g.AttachedManagedPolicies) };
  }

  policy(p: Raw, where = 'Policies'): AwsManagedPolicy | undefined {
    const arn = str(p.Arn);
    if (!arn) return Object.keys(p).length ? this.missing(where, 'Arn') : undefined;
    this.checkList(p.PolicyVersionList, `${arn} PolicyVersionList`);
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
export function mapAuthorizationDetails(pages: AuthorizationPage[]): { authorization: AwsAuthorization; warnings: string[]; incomplete: number } {
  const m = new Mapper();
  const authorization: AwsAuthorization = { users: [], roles: [], groups: [], policies: [] };
  for (const page of pages) {
    for (const k of PAGE_LISTS) m.checkList((page as Record<string, unknown>)[k], k);
    list(page.UserDetailList).forEach((u, i) => pushDefined(authorization.users, m.user(u, `UserDetailList[${i}]`)));
    list(page.RoleDetailList).forEach((r, i) => pushDefined(authorization.roles, m.role(r, `RoleDetailList[${i}]`)));
    list(page.GroupDetailList).forEach((g, i) => pushDefined(authorization.groups, m.group(g, `GroupDetailList[${i}]`)));
    list(page.Policies).forEach((p, i) => pushDefined(authorization.policies, m.policy(p, `Policies[${i}]`)));
  }
  return { authorization, warnings: m.warnings, incomplete: m.incomplete };
}

function pushDefined<T>(into: T[], v: T | undefined): void {
  if (v !== undefined) into.push(v);
}

/** True when a parsed JSON value looks like (pages of) GetAccountAuthorizationDetails output. */
export function isAuthorizationPage(v: unknown): v is AuthorizationPage {
  const o = obj(v);
  return PAGE_LISTS.some((k) => Array.isArray(o[k]));
}
