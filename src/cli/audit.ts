import type { Command } from 'commander';
import type { Source } from '../model/artifact.js';
import { setQuiet, warn } from '../util/log.js';
import { nowOf } from './aws.js';
import { writeInventory } from '../report/inventory-file.js';
import { addOutputOptions, checkGateOptions, configFor, finishRunReport, repeatable, type OutputOptions } from './common.js';
import { UsageError } from './errors.js';
import { addScanOptions, codeSources, pipelineOptions, runWithProgress, type ScanCliOptions } from './scan.js';

/**
 * `nhi-audit audit`: code, GitHub, AWS and MCP in one run and one report. It only picks sources;
 * the pipeline correlates what they saw (one credential one finding, leaked-and-live, workflow ↔
 * role, the agent story), scores once, and lists every identity.
 */
export interface AuditCliOptions extends ScanCliOptions, OutputOptions {
  githubOrg: string[];
  githubUser: string[];
  githubRepo: string[];
  apiUrl?: string;
  tokenEnv?: string;
  aws?: boolean;
  profile?: string;
  region?: string;
  endpointUrl?: string;
  authorizationDetails?: string;
  credentialReport?: string;
  accessKeys?: string;
  mcp: string[];
  mcpDiscover?: boolean;
  mcpConfig: string[];
  mcpTimeout: string;
  now?: string;
  interactive?: boolean;
}

export function registerAudit(program: Command): void {
  const cmd = program
    .command('audit')
    .description('audit code, GitHub, AWS IAM and MCP together: one report, correlated across sources, scored against the OWASP NHI Top 10, with the inventory of every identity seen');
  addScanOptions(cmd, null); // no default: without PATHs, the config's targets (or `.`) apply
  cmd
    .option('--github-org <org>', 'a GitHub organisation to crawl (repeatable)', repeatable, [])
    .option('--github-user <user>', 'a GitHub user\'s repositories (repeatable)', repeatable, [])
    .option('--github-repo <owner/name>', 'one GitHub repository (repeatable)', repeatable, [])
    .option('--api-url <url>', 'GitHub API URL (GitHub Enterprise Server: https://HOST/api/v3)')
    .option('--token-env <var>', 'environment variable holding the GitHub token (default GITHUB_TOKEN, then GH_TOKEN)')
    .option('--aws', 'audit the AWS account of the default credential chain (live, read-only)')
    .option('--profile <name>', 'AWS profile (implies --aws)')
    .option('--region <region>', 'AWS region for the API endpoints')
    .option('--endpoint-url <url>', 'send IAM and STS calls to this endpoint (implies --aws)')
    .option('--authorization-details <file>', 'AWS offline: JSON from `aws iam get-account-authorization-details`')
    .option('--credential-report <file>', 'AWS offline: the credential report CSV')
    .option('--access-keys <file>', 'AWS offline: JSON from `aws iam list-access-keys`, to match leaked key ids')
    .option('--mcp <url>', 'an MCP endpoint to probe (repeatable)', repeatable, [])
    .option('--mcp-discover', 'read the MCP client configs of this user and machine')
    .option('--mcp-config <file>', 'an MCP client config file (repeatable)', repeatable, [])
    .option('--mcp-timeout <ms>', 'timeout per MCP HTTP request', '5000')
    .option('--now <date>', 'evaluate ages and inactivity as of this date (reproducible reports)')
    .option('-i, --interactive', 'after the run, open the dashboard (needs a terminal)');
  addOutputOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ nhi-audit audit . --aws --mcp-discover                   this repository, the AWS account, this machine's MCP configs
  $ nhi-audit audit ~/src/api --authorization-details auth.json --credential-report report.csv --access-keys keys.json
  $ nhi-audit audit --github-org acme --aws -f sarif -o audit.sarif
  $ nhi-audit audit . --mcp https://mcp.example.com/mcp -f html -o audit.html
  $ nhi-audit audit                                          the targets: section of .nhi-audit.yaml

A leaked AWS key id that the audited account shows active is raised to critical with its user; the same
credential found by several rules or in several places is one finding; every identity seen is listed
(--inventory FILE writes them as JSON or CSV).`,
  );
  cmd.option('--inventory <file>', 'write the inventory (every identity and credential seen) to FILE: .json or .csv');
  cmd.action(async (paths: string[], o: AuditCliOptions & { inventory?: string }) => {
    setQuiet(o.quiet === true);
    const cfg = configFor(o, paths);
    checkGateOptions(o, cfg);
    const now = nowOf(o.now);
    const t = cfg.targets;
    const explicitPaths = (paths ?? []).length > 0;
    const gh = { orgs: [...o.githubOrg, ...(t?.github?.orgs ?? [])], users: [...o.githubUser, ...(t?.github?.users ?? [])], repos: [...o.githubRepo, ...(t?.github?.repos ?? [])], apiUrl: o.apiUrl ?? t?.github?.apiUrl };
    const awsFiles = { authorizationDetails: o.authorizationDetails ?? t?.aws?.authorizationDetails, credentialReport: o.credentialReport ?? t?.aws?.credentialReport, accessKeys: o.accessKeys ?? t?.aws?.accessKeys };
    const awsOffline = Object.values(awsFiles).some((v) => v !== undefined);
    const awsLive = !awsOffline && (o.aws === true || o.profile !== undefined || o.endpointUrl !== undefined || t?.aws?.live === true);
    const mcp = { urls: [...o.mcp, ...(t?.mcp?.urls ?? [])], discover: o.mcpDiscover === true || t?.mcp?.discover === true, configs: [...o.mcpConfig, ...(t?.mcp?.configs ?? [])] };
    const hasOther = gh.orgs.length + gh.users.length + gh.repos.length > 0 || awsOffline || awsLive || mcp.urls.length + mcp.configs.length > 0 || mcp.discover;
    const codePaths = explicitPaths ? paths : t?.paths.length ? t.paths : hasOther ? [] : ['.'];
    if (awsOffline && (o.aws || o.profile || o.endpointUrl)) throw new UsageError('--aws, --profile and --endpoint-url are for a live account; drop them or the offline files');

    const sources: Source[] = codeSources(codePaths, o, cfg);
    if (gh.orgs.length + gh.users.length + gh.repos.length > 0) {
      const { auditGithubSources } = await import('./github.js');
      sources.push(...(await auditGithubSources({ ...gh, tokenEnv: o.tokenEnv, history: o.history, maxFileSize: o.maxFileSize, now })));
    }
    if (awsOffline || awsLive) {
      const { AwsSource } = await import('../sources/aws/index.js');
      sources.push(
        new AwsSource(
          awsOffline
            ? { files: awsFiles }
            : { live: { profile: o.profile ?? t?.aws?.profile, region: o.region ?? t?.aws?.region, endpointUrl: o.endpointUrl ?? t?.aws?.endpointUrl, keyIds: true } },
        ),
      );
      if (awsOffline && !awsFiles.accessKeys) warn('AWS offline without --access-keys: leaked key ids found in code cannot be matched with the account\'s keys');
    }
    if (mcp.urls.length + mcp.configs.length > 0 || mcp.discover) {
      const timeoutMs = Number(o.mcpTimeout);
      if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 600000) throw new UsageError(`--mcp-timeout expects a whole number from 100 to 600000, got '${o.mcpTimeout}'`);
      for (const u of mcp.urls) if (!/^https?:\/\//i.test(u)) throw new UsageError(`--mcp expects an http(s) URL, got '${u.slice(0, 80)}'`);
      const { McpSource } = await import('../sources/mcp/source.js');
      sources.push(new McpSource({ urls: mcp.urls, configs: mcp.configs, discover: mcp.discover, probe: mcp.discover || mcp.configs.length > 0, local: false, timeoutMs, concurrency: 4, callTools: false }));
    }
    const opts = pipelineOptions(o, cfg, now);
    const run = await runWithProgress(sources, opts, o);
    const { code, report } = finishRunReport(run, o, cfg);
    if (o.inventory) writeInventory(o.inventory, report.inventory ?? []);
    process.exitCode = code;
  });
}
