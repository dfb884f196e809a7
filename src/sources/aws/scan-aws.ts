import { AWS_CHECKS, DATA_SOURCES } from '../../checks/aws/lib/registry.js';
import type { CheckContext } from '../../checks/types.js';
import type { Finding } from '../../model/finding.js';
import type { OwaspId } from '../../model/owasp.js';
import type { TargetResult } from '../../model/report.js';
import { checkMeta } from '../../rules/catalog.js';
import { fetchAccount, type Gap, type LiveOptions } from './fetch.js';
import { hasData, type AwsDataKind, type AwsInventory, type LeakedKeyId } from '../../model/aws.js';
import { loadOffline, newestDate, type OfflineFiles } from './offline.js';

/**
 * One AWS account as one report target: read the inventory (live or from files), run every check
 * whose data is there, and say plainly which checks could not run and what would let them.
 */

export interface AwsScanOptions {
  /** Offline when any file is given; otherwise live. */
  files?: OfflineFiles;
  live?: LiveOptions;
  ctx: CheckContext;
  /** Offline without --now: measure ages from when the export was made (or warn that today is used). */
  nowFromData?: boolean;
  /** Key ids leaked in code (from JSON reports), to match against the account's access keys. */
  leaked?: LeakedKeyId[];
  /** Index of this target in the report (set on findings' locations). */
  target?: number;
}

export interface AwsScanResult {
  target: TargetResult;
  findings: Finding[];
  inventory?: AwsInventory;
}

function offline(files: OfflineFiles | undefined): files is OfflineFiles {
  return !!files && Object.values(files).some((v) => v !== undefined);
}

/** Everything the AWS checks can assess when all their data is present. */
export function awsAssessable(): OwaspId[] {
  return owaspOf(AWS_CHECKS.map((e) => e.check.id));
}

function owaspOf(ids: string[]): OwaspId[] {
  const set = new Set<OwaspId>(ids.flatMap((id) => checkMeta(id).owasp));
  return [...set].sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
}

/** A missing part of the inventory as one line: why, which checks it costs, what would fix it. */
function skippedLine(kind: AwsDataKind, skipped: string[], gaps: Gap[] | undefined): string {
  const src = DATA_SOURCES[kind];
  if (gaps === undefined) return `no ${src.flag} file: skipped ${skipped.join(', ')}`;
  const why = gaps.filter((g) => g.part === kind).map((g) => g.reason)[0] ?? 'not available';
  return `${kind} not readable (${why}): skipped ${skipped.join(', ')}; needs ${src.permissions.join(' and ')}`;
}

const MAX_WARNINGS = 100;

function capped(warnings: string[]): string[] {
  return warnings.length <= MAX_WARNINGS ? warnings : [...warnings.slice(0, MAX_WARNINGS), `… ${warnings.length - MAX_WARNINGS} more warnings omitted`];
}

export async function scanAws(opts: AwsScanOptions): Promise<AwsScanResult> {
  const isOffline = offline(opts.files);
  // Coverage first (what could not be read or run), then details (documents that did not decode).
  const coverage: string[] = [];
  const warnings: string[] = [];
  const stats: Record<string, number> = {};
  let inventory: AwsInventory;
  let gaps: Gap[] | undefined;
  let fileLabel = '';
  let partialLeak = false;

  if (isOffline) {
    const files = opts.files!;
    const r = loadOffline(files);
    inventory = r.inventory;
    warnings.push(...r.warnings);
    if (r.incomplete > 0) partialLeak = true; // entries or rows that could not be read: partial
    if (opts.nowFromData) {
      const generated = inventory.credentialReportGenerated;
      const newest = newestDate(inventory);
      if (generated) {
        opts.ctx = { ...opts.ctx, now: new Date(generated) };
        warnings.push(`ages are measured from ${generated}, when the credential report was generated (--now overrides)`);
      } else if (newest && opts.ctx.now.getTime() - Date.parse(newest) > 30 * 86_400_000) {
        warnings.push(`the newest date in the exported files is ${newest.slice(0, 10)}, but ages are measured from today: pass --now ${newest.slice(0, 10)} to measure them from the export`);
      }
    }
    fileLabel = files.authorizationDetails ?? files.credentialReport ?? files.accessKeys ?? '';
  } else {
    const r = await fetchAccount(opts.live);
    inventory = r.inventory;
    gaps = r.gaps;
    stats.apiCalls = r.apiCalls;
    stats.authorizationPages = r.authorizationPages;
    for (const [k, v] of Object.entries(r.calls)) stats[`calls.${k}`] = v;
    warnings.push(...r.warnings);
    if (r.fatal) {
      return {
        target: { kind: 'aws', path: inventory.accountId ? `aws:${inventory.accountId}` : `aws:${opts.live?.profile ?? 'default'}`, status: 'error', error: r.fatal, ...(warnings.length ? { warnings } : {}), stats, assessed: [] },
        findings: [],
        inventory,
      };
    }
    for (const g of gaps) if (g.part !== 'authorization-details' && g.part !== 'credential-report') coverage.push(`${g.part} not readable (${g.reason}); needs ${g.permission}`);
  }

  if (opts.leaked) {
    inventory.leakedKeyIds = opts.leaked;
    stats.leakedKeyIds = opts.leaked.length;
    if (!inventory.accessKeys) {
      partialLeak = true;
      coverage.push(`no access key ids to match the ${opts.leaked.length} leaked key id(s) against: add --key-ids (live, needs iam:ListAccessKeys) or --access-keys FILE (offline)`);
    }
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

  const findings: Finding[] = [];
  const ran: string[] = [];
  const skipped = new Map<AwsDataKind, string[]>();
  let partial = partialLeak || (gaps !== undefined && gaps.length > 0);
  for (const { check, needs, optional } of AWS_CHECKS) {
    if (!hasData(inventory, needs)) {
      if (optional) continue;
      skipped.set(needs, [...(skipped.get(needs) ?? []), check.id]);
      continue;
    }
    try {
      findings.push(...check.run(inventory, opts.ctx));
      ran.push(check.id);
    } catch (e) {
      partial = true;
      coverage.push(`check ${check.id} failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  for (const [kind, ids] of skipped) {
    partial = true;
    coverage.push(skippedLine(kind, ids, gaps));
  }
  stats.checksRun = ran.length;
  stats.checksSkipped = AWS_CHECKS.filter((e) => !e.optional || hasData(inventory, e.needs)).length - ran.length;
  stats.findings = findings.length;

  if (opts.target !== undefined) {
    for (const f of findings) {
      f.location.target = opts.target;
      for (const o of f.occurrences) o.target = opts.target;
    }
  }

  const path = inventory.accountId ? `aws:${inventory.accountId}` : fileLabel || 'aws:unknown';
  const target: TargetResult = { kind: 'aws', path, status: partial ? 'partial' : 'ok', stats, assessed: owaspOf(ran) };
  const all = [...coverage, ...warnings];
  if (all.length) target.warnings = capped(all);
  return { target, findings, inventory };
}
