import type { Command } from 'commander';
import type { CheckContext } from '../checks/types.js';
import { leakedKeyIds } from '../pipeline/leaked-keys.js';
import type { AwsSourceOptions } from '../sources/aws/index.js';
import { isoDate } from '../util/dates.js';
import { error as logError, setQuiet, warn } from '../util/log.js';
import { addOutputOptions, checkGateOptions, configFor, finishRun, repeatable, type OutputOptions } from './common.js';
import { readReportFile } from './merge.js';
import { pipelineOptions, runWithProgress } from './scan.js';
import { UsageError } from './errors.js';

export interface AwsCliOptions extends OutputOptions {
  profile?: string;
  region?: string;
  endpointUrl?: string;
  keyIds?: boolean;
  authorizationDetails?: string;
  credentialReport?: string;
  accessKeys?: string;
  leakedFrom?: string[];
  now?: string;
  maxKeyAgeDays?: string;
  maxUnusedDays?: string;
  timeout?: string;
  maxTime?: string;
}

function seconds(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 86400) throw new UsageError(`${flag} expects a number of seconds above 0, got '${v}'`);
  return Math.round(n * 1000);
}

function days(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 36500) throw new UsageError(`${flag} expects a whole number of days from 1 to 36500, got '${v}'`);
  return n;
}

export function nowOf(v: string | undefined): Date {
  if (v === undefined) return new Date();
  const iso = isoDate(v);
  if (!iso) throw new UsageError(`--now expects a date such as 2026-01-01 or 2026-01-01T00:00:00Z, got '${v}'`);
  return new Date(iso);
}

function endpointOf(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  try {
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new UsageError(`--endpoint-url expects an http(s) URL, got '${v}'`);
  }
  return v;
}

export function registerAws(program: Command): void {
  const cmd = program
    .command('aws')
    .description('audit an AWS account\'s IAM users, roles, access keys and trust policies (read-only), live or from exported files')
    .option('--profile <name>', 'AWS profile for credentials (default: the SDK chain — env, ~/.aws, SSO, instance role)')
    .option('--region <region>', 'region for the API endpoints; cn-north-1 or us-gov-west-1 select the China or GovCloud partition (default: AWS_REGION, else us-east-1)')
    .option('--endpoint-url <url>', 'send IAM and STS calls to this endpoint instead (a proxy, a partition endpoint, a test server)')
    .option('--key-ids', 'also list access key ids (one ListAccessKeys call per user with keys) to match leaked key ids found by `scan`')
    .option('--authorization-details <file>', 'offline: JSON from `aws iam get-account-authorization-details`')
    .option('--credential-report <file>', 'offline: the credential report CSV (or the JSON of `aws iam get-credential-report`)')
    .option('--access-keys <file>', 'offline: JSON from `aws iam list-access-keys` (one user or a list of them), for key ids')
    .option('--leaked-from <report>', 'a JSON report of `nhi-audit scan` (repeatable): report which AWS key ids found in code are keys of this account (needs --key-ids or --access-keys)', repeatable)
    .option('--now <date>', 'evaluate ages and inactivity as of this date (reproducible reports)')
    .option('--max-key-age-days <n>', 'report active access keys older than N days (default: config thresholds.max-key-age-days, else 90)')
    .option('--timeout <seconds>', 'live: total deadline of each API call, retries included; a call past it is a coverage gap', '60')
    .option('--max-time <seconds>', 'live: total deadline of the whole account read', '900')
    .option('--max-unused-days <n>', 'report keys, users and roles unused for more than N days (default: config thresholds.max-unused-days, else 90)');
  addOutputOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ nhi-audit aws                                        the account of the default credentials
  $ nhi-audit aws --profile prod -f sarif -o aws.sarif
  $ nhi-audit aws --profile prod --key-ids -f json -o aws.json
  $ aws iam get-account-authorization-details > auth.json
  $ aws iam generate-credential-report; aws iam get-credential-report --query Content --output text | base64 -d > report.csv
  $ nhi-audit aws --authorization-details auth.json --credential-report report.csv --now 2026-01-01
  $ nhi-audit aws --credential-report report.csv --max-key-age-days 180 --fail-on critical
  $ nhi-audit scan . -f json -o code.json; nhi-audit aws --key-ids --leaked-from code.json

Read-only: the scanner calls GetAccountAuthorizationDetails, GenerateCredentialReport, GetCredentialReport,
ListOpenIDConnectProviders and sts:GetCallerIdentity (plus ListAccessKeys/GetAccessKeyLastUsed with --key-ids).
A call that is denied is reported as a coverage gap (status "partial"), not a failure.`,
  );
  cmd.action(async (o: AwsCliOptions) => {
    const startedAt = new Date();
    setQuiet(o.quiet === true);
    const offline = o.authorizationDetails !== undefined || o.credentialReport !== undefined || o.accessKeys !== undefined;
    if (offline) {
      const live = [o.profile && '--profile', o.endpointUrl && '--endpoint-url', o.keyIds && '--key-ids', o.region && '--region'].filter(Boolean);
      if (live.length) throw new UsageError(`${live.join(', ')} appl${live.length > 1 ? 'y' : 'ies'} to live scans; drop ${live.length > 1 ? 'them' : 'it'} or the offline files`);
      if (o.accessKeys !== undefined && o.authorizationDetails === undefined && o.credentialReport === undefined) {
        warn('--access-keys alone gives key ids but no checks; add --credential-report or --authorization-details');
      }
    }
    const cfg = configFor(o);
    checkGateOptions(o, cfg);
    const ctx: CheckContext = {
      now: nowOf(o.now),
      thresholds: {
        maxKeyAgeDays: days(o.maxKeyAgeDays, '--max-key-age-days') ?? cfg.thresholds.maxKeyAgeDays,
        maxUnusedDays: days(o.maxUnusedDays, '--max-unused-days') ?? cfg.thresholds.maxUnusedDays,
      },
    };
    const scan: AwsSourceOptions = offline
      ? { files: { authorizationDetails: o.authorizationDetails, credentialReport: o.credentialReport, accessKeys: o.accessKeys }, nowFromData: o.now === undefined, now: ctx.now }
      : { live: { profile: o.profile, region: o.region, endpointUrl: endpointOf(o.endpointUrl), keyIds: o.keyIds === true, callTimeoutMs: seconds(o.timeout, '--timeout'), totalTimeoutMs: seconds(o.maxTime, '--max-time') } };
    if (o.leakedFrom && !o.keyIds && o.accessKeys === undefined) warn('--leaked-from needs the account\'s key ids: add --key-ids (live) or --access-keys FILE (offline)');
    if (o.leakedFrom) scan.leaked = leakedKeyIds(o.leakedFrom.map(readReportFile).flatMap((r) => r.findings));
    // Loaded here, not at start-up: the AWS SDK is heavy and only this command needs it.
    const { AwsInputError, AwsSource } = await import('../sources/aws/index.js');
    let run;
    try {
      run = await runWithProgress([new AwsSource(scan)], { ...pipelineOptions({ maxFileSize: '10MB' }, cfg, ctx.now), check: ctx }, o);
    } catch (e) {
      if (e instanceof AwsInputError) throw new UsageError(e.message);
      throw e;
    }
    for (const w of run.targets[0]?.warnings ?? []) if (w.includes('--now')) warn(w); // which "now" ages are measured from
    process.exitCode = finishRun(run, o, cfg);
  });
}
