import { isoDate } from '../../util/dates.js';
import type { AwsCredential, AwsKeyState } from '../../model/aws.js';

/**
 * The IAM credential report: a CSV with one row per user plus `<root_account>`, 22 standard
 * columns. Cells hold `true`/`false`, ISO dates, or `N/A` (not applicable), `no_information`
 * (never used / not recorded) and `not_supported` (root's password columns).
 */

export class CredentialReportError extends Error {}

const REQUIRED = ['user', 'arn', 'user_creation_time', 'password_enabled', 'mfa_active', 'access_key_1_active', 'access_key_1_last_rotated'];

/** RFC 4180 CSV (AWS does not quote, but a re-saved file may). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      if (row.some((x) => x !== '')) rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  row.push(cell);
  if (row.some((x) => x !== '')) rows.push(row);
  return rows;
}

function bool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const s = v.trim().toLowerCase();
  return s === 'true' ? true : s === 'false' ? false : undefined;
}

function text(v: string | undefined): string | undefined {
  const s = v?.trim();
  return s && !/^(N\/A|no_information|not_supported)$/i.test(s) ? s : undefined;
}

function key(get: (c: string) => string | undefined, slot: 1 | 2): AwsKeyState | undefined {
  const p = `access_key_${slot}_`;
  const active = bool(get(`${p}active`));
  const lastRotated = isoDate(get(`${p}last_rotated`));
  // A slot that never held a key: inactive with no rotation date.
  if (!active && !lastRotated) return undefined;
  const k: AwsKeyState = { slot, active: active === true };
  if (lastRotated) k.lastRotated = lastRotated;
  const used = isoDate(get(`${p}last_used_date`));
  if (used) k.lastUsed = used;
  const region = text(get(`${p}last_used_region`));
  if (region) k.lastUsedRegion = region;
  const service = text(get(`${p}last_used_service`));
  if (service) k.lastUsedService = service;
  return k;
}

/** Parse the report's CSV text. Throws CredentialReportError (one line) when it is not one. */
export function parseCredentialReport(csv: string, problems?: string[]): AwsCredential[] {
  const rows = parseCsv(csv.replace(/^\uFEFF/, ''));
  if (rows.length === 0) throw new CredentialReportError('empty credential report');
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) throw new CredentialReportError(`not an IAM credential report (missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')})`);
  const col = new Map(header.map((h, i) => [h, i]));
  const out: AwsCredential[] = [];
  for (const [n, row] of rows.slice(1).entries()) {
    const get = (c: string): string | undefined => {
      const i = col.get(c);
      return i === undefined ? undefined : row[i];
    };
    const user = get('user')?.trim();
    const arn = get('arn')?.trim();
    if (!user || !arn) throw new CredentialReportError(`row ${n + 2}: user and arn are required`);
    // A short row loses its last columns (the access keys, the certificates): said, never silent.
    if (row.length < header.length) {
      const lost = header.slice(row.length);
      const msg = `credential report row ${n + 2} (${user}): ${lost.length} of ${header.length} columns missing (${lost.slice(0, 3).join(', ')}${lost.length > 3 ? ', …' : ''}); those fields are unknown`;
      if (problems) problems.push(msg);
      else throw new CredentialReportError(msg);
    }
    const root = user === '<root_account>';
    const c: AwsCredential = { user, arn, keys: [] };
    if (root) c.root = true;
    const created = isoDate(get('user_creation_time'));
    if (created) c.created = created;
    const pw = bool(get('password_enabled'));
    if (pw !== undefined) c.passwordEnabled = pw;
    const pwUsed = isoDate(get('password_last_used'));
    if (pwUsed) c.passwordLastUsed = pwUsed;
    const pwChanged = isoDate(get('password_last_changed'));
    if (pwChanged) c.passwordLastChanged = pwChanged;
    const mfa = bool(get('mfa_active'));
    if (mfa !== undefined) c.mfaActive = mfa;
    for (const slot of [1, 2] as const) {
      const k = key(get, slot);
      if (k) c.keys!.push(k);
    }
    out.push(c);
  }
  return out;
}

/**
 * The report's content as text: the CSV itself, raw bytes (the SDK), base64 (the API's XML and
 * `aws iam get-credential-report --query Content --output text`), or the CLI's whole JSON output.
 */
/** GeneratedTime of `aws iam get-credential-report` JSON output (ISO), when the file is that JSON. */
export function credentialReportGeneratedTime(content: string): string | undefined {
  const t = content.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const g = (JSON.parse(t) as { GeneratedTime?: unknown }).GeneratedTime;
    return typeof g === 'string' && !Number.isNaN(Date.parse(g)) ? new Date(g).toISOString() : undefined;
  } catch {
    return undefined;
  }
}

export function credentialReportText(content: string | Uint8Array): string {
  let s = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
  const t = s.trim();
  if (t.startsWith('{')) {
    try {
      const j = JSON.parse(t) as { Content?: unknown };
      if (typeof j.Content === 'string') s = j.Content;
    } catch {
      // not JSON: treat as CSV below
    }
  }
  const u = s.trim();
  if (!u.includes(',') && /^[A-Za-z0-9+/=\s]+$/.test(u)) return Buffer.from(u, 'base64').toString('utf8');
  return s;
}
