import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListOpenIDConnectProvidersCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  type GetCredentialReportCommandOutput,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mapAccessKeys, mergeAccessKeys } from './access-keys.js';
import { mapAuthorizationDetails, type AuthorizationPage } from './authorization-details.js';
import { credentialReportText, parseCredentialReport } from './credential-report.js';
import { isoDate } from '../../util/dates.js';
import { redactText } from '../../util/redact.js';
import { inferAccount, type AwsAccessKey, type AwsInventory } from '../../model/aws.js';

/**
 * Reads one AWS account through the IAM and STS APIs, strictly read-only, in a number of calls
 * that grows with pages, not principals: GetAccountAuthorizationDetails (all users, groups,
 * roles, policies and trust policies, 1,000 items a page), the credential report (every user's
 * password, MFA and key dates in one CSV), ListOpenIDConnectProviders and GetCallerIdentity.
 * Key ids need one ListAccessKeys call per user with keys, so they are opt-in (`keyIds`).
 *
 * A call that fails (AccessDenied, throttled beyond the retries, a 5xx) becomes a gap: the parts
 * it would have filled stay undefined and the checks that need them are reported as skipped.
 * Only when the account cannot be reached at all (no credentials, rejected credentials, endpoint
 * unreachable) is the result fatal.
 */

export interface LiveOptions {
  profile?: string;
  region?: string;
  endpointUrl?: string;
  /** List access key ids (one ListAccessKeys call per user with keys). */
  keyIds?: boolean;
  /** SDK attempts per call, including the first (retries 5xx, throttling and timeouts with backoff). */
  maxAttempts?: number;
  requestTimeoutMs?: number;
  /** Total deadline of one API call, retries included (ms); a call past it becomes a coverage gap. */
  callTimeoutMs?: number;
  /** Total deadline of the whole account read (ms): calls still running then end as gaps. */
  totalTimeoutMs?: number;
  /** Polling of GenerateCredentialReport until the report is COMPLETE. */
  reportPoll?: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  /** The real clock (not --now): decides whether an existing credential report is fresh enough to reuse. */
  clock?: () => Date;
}

/** Part of the account that could not be read, and the permission that would have read it. */
export interface Gap {
  part: 'authorization-details' | 'credential-report' | 'oidc-providers' | 'caller-identity' | 'access-keys';
  permission: string;
  reason: string;
}

export interface LiveResult {
  inventory: AwsInventory;
  gaps: Gap[];
  warnings: string[];
  /** API operations called (retries of one call count once). */
  apiCalls: number;
  calls: Record<string, number>;
  authorizationPages: number;
  /** Set when nothing could be read: one line saying why. */
  fatal?: string;
}

const REPORT_REUSE_MS = 4 * 3600_000;
const PAGE_SIZE = 1000;
const KEY_LIST_CONCURRENCY = 4;

const AUTH_FAILURES = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'AuthFailure',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);
const NETWORK_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'TimeoutError', 'RequestTimeout', 'EPIPE']);

interface ErrorInfo {
  code: string;
  line: string;
  fatal: boolean;
  denied: boolean;
}

/** The endpoint answered, but not in the IAM/STS protocol (an HTML page, a proxy's error page …). */
export class NotAwsProtocolError extends Error {
  override name = 'NotAwsProtocol';
}

/** A call that ran past its deadline (per call, or the whole run's). */
export class DeadlineError extends Error {
  override name = 'Deadline';
}

export function describeAwsError(e: unknown, endpoint: string): ErrorInfo {
  const err = e as { name?: string; Code?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const code = err.Code ?? err.code ?? err.name ?? 'Error';
  const msg = redactText((err.message ?? String(e)).split('\n')[0]).slice(0, 300);
  if (e instanceof NotAwsProtocolError) return { code: 'NotAwsProtocol', line: `${endpoint} does not answer in the AWS IAM/STS protocol: ${msg}`, fatal: true, denied: false };
  if (e instanceof DeadlineError) return { code: 'Deadline', line: msg, fatal: false, denied: false };
  // The SDK's own XML parser fails on a body that is not XML (an HTML page behind a 200 or 5xx).
  if (/char '<' is not expected|Unclosed tag|Unexpected close tag|Deserialization error|non-whitespace before first tag|Invalid character/i.test(msg) && !/AccessDenied/.test(code)) {
    return { code: 'NotAwsProtocol', line: `${endpoint} does not answer in the AWS IAM/STS protocol (${code}: ${msg})`, fatal: true, denied: false };
  }
  if (err.name === 'CredentialsProviderError' || /could not load credentials/i.test(msg)) {
    return { code: 'NoCredentials', line: 'no AWS credentials found (use --profile, AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)', fatal: true, denied: false };
  }
  if (AUTH_FAILURES.has(code)) return { code, line: `AWS rejected the credentials (${code}): ${msg}`, fatal: true, denied: false };
  if (NETWORK_FAILURES.has(code) || NETWORK_FAILURES.has(err.name ?? '') || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|socket hang up/.test(msg)) {
    return { code, line: `cannot reach ${endpoint} (${code}): ${msg}`, fatal: true, denied: false };
  }
  const denied = /AccessDenied|Unauthorized|NotAuthorized/i.test(code) || err.$metadata?.httpStatusCode === 403;
  return { code, line: `${code}: ${msg}`, fatal: false, denied };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Run `fn` over `items` with at most `n` in flight. */
async function mapLimit<T, R>(items: T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

class AbortListing extends Error {}

export async function fetchAccount(opts: LiveOptions = {}): Promise<LiveResult> {
  // nhi-audit supports Node 20 (package.json engines); the SDK's multi-line notice about a future
  // Node 22 requirement would break the one-line stderr contract on every run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const region = opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const config = {
    region,
    maxAttempts: opts.maxAttempts ?? 5,
    // Adaptive retries back off on 5xx and throttling and rate-limit the client after a 429.
    retryMode: 'adaptive',
    requestHandler: { requestTimeout: opts.requestTimeoutMs ?? 30_000, connectionTimeout: 5_000 },
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}),
  };
  const iam = new IAMClient(config);
  const sts = new STSClient(config);
  const endpoint = opts.endpointUrl ?? `the AWS API (${region})`;
  const clock = opts.clock ?? (() => new Date());
  const poll = opts.reportPoll ?? { attempts: 12, baseDelayMs: 1000, maxDelayMs: 10_000 };

  const calls: Record<string, number> = {};
  const gaps: Gap[] = [];
  const warnings: string[] = [];
  const inventory: AwsInventory = {};
  let pages = 0;
  let protocolFatal: string | undefined;

  // Every call has a total deadline (retries included), and the whole read has one too: a server
  // that accepts the connection and never answers, or trickles, ends as a coverage gap.
  const callMs = opts.callTimeoutMs ?? 60_000;
  const runDeadline = new AbortController();
  const runTimer = setTimeout(() => runDeadline.abort(), opts.totalTimeoutMs ?? 15 * 60_000);
  runTimer.unref();
  const send = async <T>(client: IAMClient | STSClient, cmd: unknown, name: string): Promise<T> => {
    calls[name] = (calls[name] ?? 0) + 1;
    if (runDeadline.signal.aborted) throw new DeadlineError(`${name}: not called, the AWS read reached its overall time limit (${Math.round((opts.totalTimeoutMs ?? 900_000) / 1000)}s)`);
    const call = new AbortController();
    const timer = setTimeout(() => call.abort(), callMs);
    const onRun = (): void => call.abort();
    runDeadline.signal.addEventListener('abort', onRun, { once: true });
    try {
      return (await (client as IAMClient).send(cmd as never, { abortSignal: call.signal })) as T;
    } catch (e) {
      if (call.signal.aborted) {
        throw new DeadlineError(
          runDeadline.signal.aborted
            ? `${name}: no answer before the AWS read's overall time limit (${Math.round((opts.totalTimeoutMs ?? 900_000) / 1000)}s)`
            : `${name}: no answer from ${endpoint} within ${Math.round(callMs / 1000)}s`,
        );
      }
      throw e;
    } finally {
      clearTimeout(timer);
      runDeadline.signal.removeEventListener('abort', onRun);
    }
  };
  const gap = (part: Gap['part'], permission: string, e: unknown): ErrorInfo => {
    const info = describeAwsError(e, endpoint);
    gaps.push({ part, permission, reason: info.line });
    return info;
  };

  try {
    // Who we are: the account id, and the first proof that credentials and endpoint work.
    try {
      const id = await send<{ Account?: string; Arn?: string }>(sts, new GetCallerIdentityCommand({}), 'GetCallerIdentity');
      // A 200 with no account id is not STS: an HTML page, a captive portal, the wrong service.
      if (!id.Account || !/^\d{12}$/.test(id.Account)) throw new NotAwsProtocolError('GetCallerIdentity returned no account id');
      inventory.accountId = id.Account;
      const part = id.Arn?.split(':')[1];
      if (part) inventory.partition = part;
    } catch (e) {
      const info = describeAwsError(e, endpoint);
      if (info.fatal) return { inventory, gaps, warnings, apiCalls: total(calls), calls, authorizationPages: 0, fatal: info.line };
      if (info.code === 'Deadline' && !runDeadline.signal.aborted) {
        // An endpoint that does not answer its first call will not answer the others either.
        return { inventory, gaps, warnings, apiCalls: total(calls), calls, authorizationPages: 0, fatal: info.line };
      }
      gaps.push({ part: 'caller-identity', permission: 'sts:GetCallerIdentity', reason: info.line });
    }

    const authorization = async (): Promise<void> => {
      const got: AuthorizationPage[] = [];
      const seen = new Set<string>();
      let marker: string | undefined;
      try {
        do {
          const r = await send<GetAccountAuthorizationDetailsCommandOutput>(iam, new GetAccountAuthorizationDetailsCommand({ MaxItems: PAGE_SIZE, Marker: marker }), 'GetAccountAuthorizationDetails');
          if (r.IsTruncated === undefined && !r.UserDetailList && !r.RoleDetailList && !r.GroupDetailList && !r.Policies) {
            throw new NotAwsProtocolError('GetAccountAuthorizationDetails returned none of its fields');
          }
          pages++;
          got.push(r as AuthorizationPage);
          marker = r.IsTruncated ? r.Marker : undefined;
          if (marker !== undefined && seen.has(marker)) {
            warnings.push('GetAccountAuthorizationDetails returned the same Marker twice; stopped paging (the inventory may be incomplete)');
            break;
          }
          if (marker !== undefined) seen.add(marker);
        } while (marker !== undefined);
      } catch (e) {
        if (gap('authorization-details', 'iam:GetAccountAuthorizationDetails', e).fatal) protocolFatal ??= describeAwsError(e, endpoint).line;
        return;
      }
      const m = mapAuthorizationDetails(got);
      inventory.authorization = m.authorization;
      warnings.push(...m.warnings);
      if (m.incomplete) gaps.push({ part: 'authorization-details', permission: 'iam:GetAccountAuthorizationDetails', reason: `${m.incomplete} entr${m.incomplete === 1 ? 'y' : 'ies'} of the wrong type were not read` });
    };

    const credentialReport = async (): Promise<void> => {
      const get = (): Promise<GetCredentialReportCommandOutput> => send(iam, new GetCredentialReportCommand({}), 'GetCredentialReport');
      const absent = (e: unknown): boolean => /ReportNotPresent|ReportExpired|ReportInProgress|CredentialReportNotPresent|CredentialReportExpired|CredentialReportNotReady/.test(describeAwsError(e, endpoint).code);
      let existing: GetCredentialReportCommandOutput | undefined;
      try {
        existing = await get();
      } catch (e) {
        if (!absent(e)) {
          gap('credential-report', 'iam:GetCredentialReport', e);
          return;
        }
      }
      // IAM regenerates a report at most every 4 hours: a recent one is as fresh as it gets.
      const generated = existing?.GeneratedTime ? existing.GeneratedTime.getTime() : 0;
      let report = existing;
      if (!existing || clock().getTime() - generated > REPORT_REUSE_MS) {
        try {
          await generateReport(() => send<{ State?: string }>(iam, new GenerateCredentialReportCommand({}), 'GenerateCredentialReport'), poll);
          report = await get();
        } catch (e) {
          if (!existing) {
            gap('credential-report', 'iam:GenerateCredentialReport', e);
            return;
          }
          warnings.push(`could not generate a fresh credential report (${describeAwsError(e, endpoint).code}); using the one generated ${existing.GeneratedTime?.toISOString() ?? 'earlier'}`);
        }
      }
      if (!report?.Content) {
        gaps.push({ part: 'credential-report', permission: 'iam:GetCredentialReport', reason: 'GetCredentialReport returned no content' });
        return;
      }
      try {
        const problems: string[] = [];
        inventory.credentials = parseCredentialReport(credentialReportText(report.Content), problems);
        warnings.push(...problems);
        if (problems.length) gaps.push({ part: 'credential-report', permission: 'iam:GetCredentialReport', reason: `${problems.length} row${problems.length === 1 ? '' : 's'} with missing columns` });
        const when = isoDate(report.GeneratedTime);
        if (when) inventory.credentialReportGenerated = when;
      } catch (e) {
        gaps.push({ part: 'credential-report', permission: 'iam:GetCredentialReport', reason: `credential report could not be read: ${(e as Error).message}` });
      }
    };

    const oidcProviders = async (): Promise<void> => {
      try {
        const r = await send<{ OpenIDConnectProviderList?: Array<{ Arn?: string }> }>(iam, new ListOpenIDConnectProvidersCommand({}), 'ListOpenIDConnectProviders');
        inventory.oidcProviders = (r.OpenIDConnectProviderList ?? []).map((p) => p.Arn).filter((a): a is string => typeof a === 'string');
      } catch (e) {
        gap('oidc-providers', 'iam:ListOpenIDConnectProviders', e);
      }
    };

    await Promise.all([authorization(), credentialReport(), oidcProviders()]);

    if (opts.keyIds) await listKeys();

    inferAccount(inventory);

    const fatal = protocolFatal ?? (!inventory.authorization && !inventory.credentials ? `nothing could be read from the account: ${gaps.map((g) => g.reason).join('; ')}` : undefined);
    return { inventory, gaps, warnings, apiCalls: total(calls), calls, authorizationPages: pages, ...(fatal ? { fatal } : {}) };
  } finally {
    clearTimeout(runTimer);
    iam.destroy();
    sts.destroy();
  }

  /** ListAccessKeys for each user that has keys, then last use for keys the report does not cover. */
  async function listKeys(): Promise<void> {
    const arnOf = new Map<string, string>();
    for (const u of inventory.authorization?.users ?? []) arnOf.set(u.name, u.arn);
    for (const c of inventory.credentials ?? []) if (!c.root) arnOf.set(c.user, c.arn);
    // With a report, only users it shows with a key; without one, every known user.
    const users = inventory.credentials ? inventory.credentials.filter((c) => !c.root && (c.keys?.length ?? 0) > 0).map((c) => c.user) : [...arnOf.keys()];
    let denied = false;
    const lists = await mapLimit(users, KEY_LIST_CONCURRENCY, async (userName) => {
      const items: unknown[] = [];
      let marker: string | undefined;
      try {
        do {
          if (denied) throw new AbortListing();
          const r = await send<{ AccessKeyMetadata?: unknown[]; IsTruncated?: boolean; Marker?: string }>(iam, new ListAccessKeysCommand({ UserName: userName, Marker: marker }), 'ListAccessKeys');
          items.push(...(r.AccessKeyMetadata ?? []));
          marker = r.IsTruncated ? r.Marker : undefined;
        } while (marker !== undefined);
      } catch (e) {
        if (e instanceof AbortListing) return [];
        const info = describeAwsError(e, endpoint);
        if (!denied) {
          denied = true;
          gaps.push({ part: 'access-keys', permission: 'iam:ListAccessKeys', reason: info.line });
        }
      }
      return items;
    });
    if (denied) return;
    const keys: AwsAccessKey[] = mapAccessKeys(lists.flat(), (n) => arnOf.get(n));
    inventory.accessKeys = keys;
    if (!inventory.credentials) return;
    const unknown = mergeAccessKeys(inventory.credentials, keys);
    let lastUsedDenied = false;
    await mapLimit(unknown, KEY_LIST_CONCURRENCY, async (k) => {
      if (lastUsedDenied || !k.id) return;
      try {
        const r = await send<{ AccessKeyLastUsed?: { LastUsedDate?: Date; ServiceName?: string; Region?: string } }>(iam, new GetAccessKeyLastUsedCommand({ AccessKeyId: k.id }), 'GetAccessKeyLastUsed');
        const u = r.AccessKeyLastUsed;
        const d = isoDate(u?.LastUsedDate);
        if (d) k.lastUsed = d;
        if (u?.ServiceName && u.ServiceName !== 'N/A') k.lastUsedService = u.ServiceName;
        if (u?.Region && u.Region !== 'N/A') k.lastUsedRegion = u.Region;
      } catch (e) {
        if (!lastUsedDenied) {
          lastUsedDenied = true;
          gaps.push({ part: 'access-keys', permission: 'iam:GetAccessKeyLastUsed', reason: describeAwsError(e, endpoint).line });
        }
      }
    });
  }
}

function total(calls: Record<string, number>): number {
  return Object.values(calls).reduce((a, b) => a + b, 0);
}

/** GenerateCredentialReport until COMPLETE, with bounded exponential backoff. */
async function generateReport(generate: () => Promise<{ State?: string }>, poll: NonNullable<LiveOptions['reportPoll']>): Promise<void> {
  let waited = 0;
  for (let i = 0; i < poll.attempts; i++) {
    const r = await generate();
    if (r.State === 'COMPLETE') return;
    const delay = Math.min(poll.baseDelayMs * 2 ** i, poll.maxDelayMs);
    waited += delay;
    await sleep(delay);
  }
  throw Object.assign(new Error(`credential report still not complete after ${poll.attempts} attempts (${Math.round(waited / 1000)}s)`), { name: 'ReportNotReady' });
}
