import type { Artifact, CoverageGap, Source, SourceContext, TargetRef } from '../../model/artifact.js';
import { identifierFingerprint, redact } from '../../model/fingerprint.js';
import type { IdentityRecord } from '../../model/identity.js';
import type { AwsInventory, LeakedKeyId } from '../../model/aws.js';
import { fetchAccount, type LiveOptions } from './fetch.js';
import { loadOffline, newestDate, type OfflineFiles } from './offline.js';

/**
 * One AWS account: its IAM data (live, or from exported files) as one `aws-account` observation
 * for the checks, every user, role and access key as an identity, and each part that could not be
 * read as a coverage gap naming the permission (or the file) that would provide it.
 */
export interface AwsSourceOptions {
  /** Offline when any file is given; otherwise live. */
  files?: OfflineFiles;
  live?: LiveOptions;
  /** Key ids leaked in code, from earlier JSON reports (`aws --leaked-from`). */
  leaked?: LeakedKeyId[];
  /** Offline without --now: measure ages from when the export was made (or warn that `now` is used). */
  nowFromData?: boolean;
  /** The run's clock (for the warning above). */
  now?: Date;
}

/** The IAM permissions (and the offline flag) that provide each part of the account's data. */
export const DATA_PARTS: Record<string, { permissions: string[]; flag: string }> = {
  'authorization-details': { permissions: ['iam:GetAccountAuthorizationDetails'], flag: '--authorization-details' },
  'credential-report': { permissions: ['iam:GenerateCredentialReport', 'iam:GetCredentialReport'], flag: '--credential-report' },
};

function offline(files: OfflineFiles | undefined): files is OfflineFiles {
  return !!files && Object.values(files).some((v) => v !== undefined);
}

const OWNER_TAGS = ['owner', 'Owner', 'team', 'Team', 'created-by', 'CreatedBy'];

function ownerOf(tags: Record<string, string> | undefined): string | undefined {
  for (const k of OWNER_TAGS) if (tags?.[k]) return tags[k];
  return undefined;
}

/** Every principal and key of the account as identity records (no secret: key ids are fingerprinted). */
export function awsIdentities(inv: AwsInventory): IdentityRecord[] {
  const scope = inv.accountId ? `aws:${inv.accountId}` : undefined;
  const out: IdentityRecord[] = [];
  const creds = new Map((inv.credentials ?? []).map((c) => [c.arn, c]));
  const keyIds = new Map<string, string[]>();
  for (const k of inv.accessKeys ?? []) keyIds.set(k.userName, [...(keyIds.get(k.userName) ?? []), k.id]);
  for (const u of inv.authorization?.users ?? []) {
    const c = creds.get(u.arn);
    const perms = [...(u.managedPolicies ?? []).map((p) => p.name), ...(u.inlinePolicies ?? []).map((p) => `inline:${p.name}`), ...(u.groups ?? []).map((g) => `group:${g}`)];
    const lastUsed = [c?.passwordLastUsed, ...(c?.keys ?? []).map((k) => k.lastUsed)].filter((d): d is string => !!d).sort().pop();
    out.push({ id: u.arn, kind: 'aws-user', name: u.name, provider: 'aws', owner: ownerOf(u.tags), created: u.created, lastUsed, status: 'active', permissions: perms, where: [u.arn], ...(scope ? { scope } : {}) });
  }
  for (const r of inv.authorization?.roles ?? []) {
    const perms = [...(r.managedPolicies ?? []).map((p) => p.name), ...(r.inlinePolicies ?? []).map((p) => `inline:${p.name}`)];
    out.push({ id: r.arn, kind: 'aws-role', name: r.name, provider: 'aws', owner: ownerOf(r.tags), created: r.created, lastUsed: r.lastUsed, status: 'active', permissions: perms, where: [r.arn], ...(scope ? { scope } : {}) });
  }
  for (const c of inv.credentials ?? []) {
    if (c.root) out.push({ id: c.arn, kind: 'aws-root', name: 'root', provider: 'aws', created: c.created, lastUsed: c.passwordLastUsed, status: 'active', privilege: 'admin', where: [c.arn], ...(scope ? { scope } : {}) });
    else if (!inv.authorization) out.push({ id: c.arn, kind: 'aws-user', name: c.user, provider: 'aws', created: c.created, lastUsed: c.passwordLastUsed, status: 'active', where: [c.arn], ...(scope ? { scope } : {}) });
    for (const k of c.keys ?? []) {
      const id = k.id ?? (inv.accessKeys ?? []).find((x) => x.userName === c.user && (!k.lastRotated || x.created === k.lastRotated))?.id;
      const fp = id ? identifierFingerprint(id) : undefined;
      out.push({
        id: fp ? `aws-access-key:${fp}` : `aws-access-key:${c.arn}:${k.slot ?? 0}`,
        kind: 'aws-access-key',
        name: id ? redact(id) : `${c.user} key ${k.slot ?? ''}`.trim(),
        provider: 'aws',
        owner: c.user,
        created: k.lastRotated,
        lastRotated: k.lastRotated,
        lastUsed: k.lastUsed,
        status: k.active ? 'active' : 'inactive',
        where: [c.arn],
        keys: fp ? [fp] : [],
        ...(scope ? { scope } : {}),
      });
    }
  }
  // Keys only the key listing knows (no credential report).
  if (!inv.credentials)
    for (const k of inv.accessKeys ?? []) {
      const fp = identifierFingerprint(k.id);
      out.push({ id: `aws-access-key:${fp}`, kind: 'aws-access-key', name: redact(k.id), provider: 'aws', owner: k.userName, created: k.created, status: k.status === 'Active' ? 'active' : 'inactive', where: k.userArn ? [k.userArn] : [], keys: [fp], ...(scope ? { scope } : {}) });
    }
  return out;
}

export class AwsSource implements Source {
  readonly id = 'aws';

  constructor(readonly opts: AwsSourceOptions) {}

  async *open(ctx: SourceContext): AsyncIterable<Artifact> {
    const o = this.opts;
    let inventory: AwsInventory;
    const warnings: string[] = [];
    const gaps: string[] = [];
    const partGaps: CoverageGap[] = [];
    const stats: Record<string, number> = {};
    let label = '';
    let asOf: string | undefined;
    if (offline(o.files)) {
      ctx.progress?.update({ target: 'aws (files)', phase: 'reading exports' });
      const r = loadOffline(o.files);
      inventory = r.inventory;
      // Rows or entries that could not be read are said one by one and make the target partial.
      (r.incomplete > 0 ? gaps : warnings).push(...r.warnings);
      if (o.nowFromData) {
        const generated = inventory.credentialReportGenerated;
        const newest = newestDate(inventory);
        if (generated) {
          asOf = generated;
          warnings.push(`ages are measured from ${generated}, when the credential report was generated (--now overrides)`);
        } else if (newest && (o.now ?? new Date()).getTime() - Date.parse(newest) > 30 * 86_400_000) {
          warnings.push(`the newest date in the exported files is ${newest.slice(0, 10)}, but ages are measured from today: pass --now ${newest.slice(0, 10)} to measure them from the export`);
        }
      }
      label = o.files.authorizationDetails ?? o.files.credentialReport ?? o.files.accessKeys ?? '';
      // Offline, a part is missing because its file was not given: say so only if a check needed it.
      for (const [part, d] of Object.entries(DATA_PARTS)) {
        const given = part === 'credential-report' ? o.files.credentialReport : o.files.authorizationDetails;
        if (given === undefined) partGaps.push({ reason: `no ${d.flag} file`, part, onlyIfNeeded: true });
      }
    } else {
      ctx.progress?.update({ target: `aws:${o.live?.profile ?? 'default'}`, phase: 'reading IAM' });
      const r = await fetchAccount(o.live);
      inventory = r.inventory;
      stats.apiCalls = r.apiCalls;
      stats.authorizationPages = r.authorizationPages;
      for (const [k, v] of Object.entries(r.calls)) stats[`calls.${k}`] = v;
      warnings.push(...r.warnings);
      const target: TargetRef = { kind: 'aws', path: inventory.accountId ? `aws:${inventory.accountId}` : `aws:${o.live?.profile ?? 'default'}` };
      if (r.fatal) {
        for (const w of warnings) yield { kind: 'coverage', target, gap: { reason: w, informational: true } };
        yield { kind: 'stats', target, stats };
        yield { kind: 'coverage', target, gap: { reason: r.fatal, fatal: true } };
        return;
      }
      for (const g of r.gaps) {
        const part = DATA_PARTS[g.part];
        if (part) partGaps.push({ reason: `${g.part} not readable (${g.reason})`, part: g.part, fix: `needs ${part.permissions.join(' and ')}` });
        else gaps.push(`${g.part} not readable (${g.reason}); needs ${g.permission}`);
      }
    }
    const target: TargetRef = { kind: 'aws', path: inventory.accountId ? `aws:${inventory.accountId}` : label || 'aws:unknown' };
    if (o.leaked) {
      inventory.leakedKeyIds = o.leaked;
      stats.leakedKeyIds = o.leaked.length;
      if (!inventory.accessKeys) gaps.push(`no access key ids to match the ${o.leaked.length} leaked key id(s) against: add --key-ids (live, needs iam:ListAccessKeys) or --access-keys FILE (offline)`);
    }
    const auth = inventory.authorization;
    Object.assign(stats, {
      users: auth?.users.length ?? inventory.credentials?.filter((c) => !c.root).length ?? 0,
      roles: auth?.roles.length ?? 0,
      groups: auth?.groups.length ?? 0,
      policies: auth?.policies.length ?? 0,
      activeAccessKeys: (inventory.credentials ?? []).reduce((n, c) => n + (c.keys ?? []).filter((k) => k.active).length, 0),
      oidcProviders: inventory.oidcProviders?.length ?? 0,
    });
    if (inventory.accessKeys) stats.listedAccessKeys = inventory.accessKeys.length;
    yield { kind: 'stats', target, stats };
    for (const g of partGaps) yield { kind: 'coverage', target, gap: g };
    for (const g of gaps) yield { kind: 'coverage', target, gap: { reason: g } };
    for (const w of warnings) yield { kind: 'coverage', target, gap: { reason: w, informational: true } };
    for (const record of awsIdentities(inventory)) yield { kind: 'inventory', target, record };
    yield { kind: 'observation', target, type: 'aws-account', data: inventory, ...(asOf ? { asOf } : {}) };
  }
}
