import { SourceInputError } from '../../model/artifact.js';
import { jsonErrorReason, readRegularText } from '../../util/safe-read.js';
import { accessKeyItems, mapAccessKeys, mergeAccessKeys } from './access-keys.js';
import { isAuthorizationPage, mapAuthorizationDetails, type AuthorizationPage } from './authorization-details.js';
import { credentialReportGeneratedTime, credentialReportText, parseCredentialReport } from './credential-report.js';
import { inferAccount, type AwsInventory } from '../../model/aws.js';

/**
 * The inventory from exported files: `aws iam get-account-authorization-details` (JSON),
 * the credential report (CSV, or the CLI's JSON with base64 Content), and optionally
 * `aws iam list-access-keys` output for key ids. Any one of them is enough to run the checks
 * that need only it.
 */

export interface OfflineFiles {
  authorizationDetails?: string;
  credentialReport?: string;
  accessKeys?: string;
}

/** A file that cannot be used: the message is one line and names the file. */
export class AwsInputError extends SourceInputError {}

function read(path: string): string {
  try {
    return readRegularText(path, 512 << 20);
  } catch (e) {
    throw new AwsInputError(`${path}: cannot read (${(e as Error).message})`);
  }
}

function json(path: string, text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new AwsInputError(`${path}: not valid JSON (${jsonErrorReason(e)})`);
  }
}

/** The newest date the exported files mention (creation, last use, password use): how recent the export is. */
export function newestDate(inv: AwsInventory): string | undefined {
  const dates: string[] = [];
  const add = (d: string | undefined): void => {
    if (d) dates.push(d);
  };
  for (const c of inv.credentials ?? []) {
    add(c.created);
    add(c.passwordLastUsed);
    add(c.passwordLastChanged);
    for (const k of c.keys ?? []) {
      add(k.lastRotated);
      add(k.lastUsed);
    }
  }
  const a = inv.authorization;
  for (const u of a?.users ?? []) add(u.created);
  for (const r of a?.roles ?? []) {
    add(r.created);
    add(r.lastUsed);
  }
  let best: string | undefined;
  for (const d of dates) if (!Number.isNaN(Date.parse(d)) && (best === undefined || Date.parse(d) > Date.parse(best))) best = d;
  return best;
}

export function loadOffline(files: OfflineFiles): { inventory: AwsInventory; warnings: string[]; incomplete: number } {
  const inventory: AwsInventory = {};
  const warnings: string[] = [];
  let incomplete = 0;
  if (files.authorizationDetails) {
    const path = files.authorizationDetails;
    const doc = json(path, read(path));
    // The CLI merges pages into one object; a saved list of raw pages works too.
    const pages = Array.isArray(doc) && doc.every(isAuthorizationPage) ? (doc as AuthorizationPage[]) : isAuthorizationPage(doc) ? [doc] : undefined;
    if (!pages) throw new AwsInputError(`${path}: not the output of 'aws iam get-account-authorization-details' (no UserDetailList, RoleDetailList, GroupDetailList or Policies)`);
    const m = mapAuthorizationDetails(pages);
    inventory.authorization = m.authorization;
    warnings.push(...m.warnings.map((w) => `${path}: ${w}`));
    incomplete += m.incomplete;
  }
  if (files.credentialReport) {
    const path = files.credentialReport;
    try {
      const problems: string[] = [];
      const text = read(path);
      inventory.credentials = parseCredentialReport(credentialReportText(text), problems);
      const generated = credentialReportGeneratedTime(text);
      if (generated) inventory.credentialReportGenerated = generated;
      warnings.push(...problems.map((w) => `${path}: ${w}`));
      incomplete += problems.length;
    } catch (e) {
      if (e instanceof AwsInputError) throw e;
      throw new AwsInputError(`${path}: ${(e as Error).message}`);
    }
  }
  if (files.accessKeys) {
    const path = files.accessKeys;
    const items = accessKeyItems(json(path, read(path)));
    if (!items) throw new AwsInputError(`${path}: not the output of 'aws iam list-access-keys' (no AccessKeyMetadata)`);
    const arnOf = new Map<string, string>([...(inventory.authorization?.users ?? []).map((u) => [u.name, u.arn] as [string, string]), ...(inventory.credentials ?? []).map((c) => [c.user, c.arn] as [string, string])]);
    inventory.accessKeys = mapAccessKeys(items, (n) => arnOf.get(n));
    if (inventory.credentials) mergeAccessKeys(inventory.credentials, inventory.accessKeys);
  }
  inferAccount(inventory);
  return { inventory, warnings, incomplete };
}
