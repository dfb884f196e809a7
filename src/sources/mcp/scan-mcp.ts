import { readFileSync, realpathSync, statSync } from 'node:fs';
import { ENDPOINT_CHECKS } from '../../checks/mcp/lib/registry.js';
import type { Check } from '../../checks/types.js';
import type { Finding } from '../../model/finding.js';
import type { OwaspId } from '../../model/owasp.js';
import type { TargetResult } from '../../model/report.js';
import { info } from '../../util/log.js';
import { configCheckContext, parseMcpConfig, runConfigChecks } from './analyze.js';
import { clientFileForPath, genericClientFile, type ClientFile } from './clients.js';
import { currentEnv, discoverConfigs, type DiscoveryEnv } from './discover.js';
import { allInterfaceListeners, processOfInode } from './local.js';
import { probeEndpoint, type EndpointProbeResult } from './probe/endpoint.js';
import { openSession } from './probe/session.js';
import { safeUrl } from '../../util/url.js';
import { CONFIG_ASSESSED, owaspOf } from './assessed.js';
import { comparePins, loadPins, recordPins, savePins } from './pins.js';
import type { McpConfigFile, McpEndpointObservation } from '../../model/mcp.js';

/**
 * `nhi-audit mcp`: client configs (named, or discovered for this user and machine) and endpoints
 * (named, declared in those configs with --probe, or listening on all interfaces with --local),
 * each one report target. Configs are parsed, endpoints probed; then the checks judge.
 */

export interface McpScanOptions {
  urls: string[];
  configs: string[];
  discover: boolean;
  probe: boolean;
  local: boolean;
  timeoutMs: number;
  concurrency: number;
  callTools: boolean;
  userToken?: string;
  pinFile?: string;
  /** For tests: where discovery and --local look. */
  discoveryEnv?: DiscoveryEnv;
  procRoot?: string;
}

export class McpInputError extends Error {}

const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

/** Endpoint checks that need facts only some runs gather: without them their categories are not assessed. */
const NEEDS: Record<string, (o: McpEndpointObservation) => boolean> = {
  'mcp-endpoint-listens-on-all-interfaces': (o) => o.listen !== undefined,
  'mcp-endpoint-audience-not-validated': (o) => o.userToken !== undefined,
  'mcp-endpoint-tool-changed': (o) => o.pins !== undefined,
};

/** The OWASP categories an endpoint's probe could assess, given what it gathered. */
export function endpointAssessed(o: McpEndpointObservation): OwaspId[] {
  return owaspOf(ENDPOINT_CHECKS.filter((c) => NEEDS[c.id]?.(o) ?? true) as Check<unknown>[]);
}

/** Run fn over items, at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return out;
}

interface ConfigRun {
  targets: TargetResult[];
  files: McpConfigFile[];
}

function readConfigs(list: Array<{ path: string; spec?: ClientFile }>, firstTarget: number): ConfigRun {
  const targets: TargetResult[] = [];
  const files: McpConfigFile[] = [];
  const assessed = CONFIG_ASSESSED();
  for (const { path, spec } of list) {
    const t: TargetResult = { kind: 'mcp-config', path, status: 'ok', stats: {}, assessed };
    targets.push(t);
    let text: string;
    try {
      const st = statSync(path);
      if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      if (st.size > MAX_CONFIG_BYTES) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
      text = readFileSync(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      t.status = 'error';
      t.error = `${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EFBIG' ? `larger than ${MAX_CONFIG_BYTES} bytes` : code === 'EISDIR' ? 'not a file' : (code ?? 'cannot read')}`;
      continue;
    }
    const parsed = parseMcpConfig(path, text, spec ?? clientFileForPath(path) ?? genericClientFile(path));
    if (!parsed.file) {
      t.status = 'error';
      t.error = parsed.error;
      continue;
    }
    parsed.file.target = firstTarget + targets.length - 1;
    files.push(parsed.file);
    t.stats = { servers: parsed.file.servers.length, approvals: parsed.file.approvals.length, bytes: Buffer.byteLength(text) };
    if (parsed.warnings.length) {
      t.warnings = parsed.warnings;
      t.status = 'partial';
    }
  }
  return { targets, files };
}

interface EndpointJob {
  url: string;
  declaredIn?: McpEndpointObservation['declaredIn'];
  listen?: McpEndpointObservation['listen'];
}

/** Remote servers declared in configs: http(s) URLs without unresolved references. */
function declaredEndpoints(files: McpConfigFile[]): { jobs: EndpointJob[]; skipped: string[] } {
  const jobs: EndpointJob[] = [];
  const skipped: string[] = [];
  for (const f of files)
    for (const s of f.servers) {
      if (!s.url || s.disabled) continue;
      const line = s.settings.find((x) => x.kind === 'url')?.line ?? s.line;
      if (/\$\{|\$[A-Za-z_]|\{\{/.test(s.url)) {
        skipped.push(`${f.path}${line ? `:${line}` : ''}: server '${s.name}' URL has unresolved references; not probed`);
        continue;
      }
      if (!/^https?:\/\//i.test(s.url.trim())) continue;
      jobs.push({ url: s.url.trim(), declaredIn: { path: f.path, line, client: f.client, server: s.name } });
    }
  return { jobs, skipped };
}

/** --local: listeners on all interfaces that speak MCP, at /mcp, /sse or /. */
async function localEndpoints(o: McpScanOptions): Promise<{ jobs: EndpointJob[]; notMcp: number }> {
  const listeners = allInterfaceListeners(o.procRoot);
  const sniffTimeout = Math.min(o.timeoutMs, 2000);
  const jobs: EndpointJob[] = [];
  let notMcp = 0;
  await mapLimit(listeners, o.concurrency, async (l) => {
    const hosts = l.family === 6 ? ['127.0.0.1', '[::1]'] : ['127.0.0.1'];
    for (const host of hosts)
      for (const path of ['/mcp', '/sse', '/']) {
        const url = `http://${host}:${l.port}${path}`;
        const s = await openSession(url, { timeoutMs: sniffTimeout, listTools: false, stats: { requests: 0, retries: 0 } });
        const speaks = s.ok || ((s.status === 401 || s.status === 403) && /resource_metadata/i.test(s.wwwAuthenticate ?? ''));
        if (speaks) {
          const process = processOfInode(l.inode, o.procRoot);
          jobs.push({ url, listen: { address: l.address, port: l.port, ...(process ? { process } : {}) } });
          return;
        }
        if (s.netError) break; // not HTTP at all on this address
      }
    notMcp++;
  });
  jobs.sort((a, b) => a.listen!.port - b.listen!.port);
  return { jobs, notMcp };
}

function endpointTarget(r: EndpointProbeResult): TargetResult {
  const o = r.observation;
  const t: TargetResult = { kind: 'mcp-endpoint', path: o.url, status: 'ok', stats: r.stats, assessed: endpointAssessed(o) };
  if (o.error) {
    t.status = 'error';
    t.error = `${o.url}: ${o.error}`;
  } else if (r.warnings.length) t.status = 'partial';
  if (r.warnings.length) t.warnings = r.warnings;
  return t;
}

export async function scanMcp(o: McpScanOptions): Promise<{ targets: TargetResult[]; findings: Finding[] }> {
  const targets: TargetResult[] = [];
  const findings: Finding[] = [];

  // 1. Client configs.
  const seen = new Set<string>();
  const list: Array<{ path: string; spec?: ClientFile }> = [];
  const key = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  for (const path of o.configs) {
    if (!seen.has(key(path))) {
      seen.add(key(path));
      list.push({ path });
    }
  }
  if (o.discover) {
    const found = discoverConfigs(o.discoveryEnv ?? currentEnv());
    info(`found ${found.length} MCP client config${found.length === 1 ? '' : 's'}`);
    for (const c of found) {
      if (!seen.has(key(c.path))) {
        seen.add(key(c.path));
        list.push({ path: c.path, spec: c.spec });
      }
    }
  }
  const configs = readConfigs(list, 0);
  targets.push(...configs.targets);
  findings.push(...runConfigChecks(configs.files, configCheckContext()));

  // 2. Endpoints.
  const jobs: EndpointJob[] = [];
  const skippedNotes: string[] = [];
  for (const u of o.urls) jobs.push({ url: u });
  if (o.probe) {
    const d = declaredEndpoints(configs.files);
    jobs.push(...d.jobs);
    skippedNotes.push(...d.skipped);
  }
  let localNote: string | undefined;
  if (o.local) {
    const l = await localEndpoints(o);
    jobs.push(...l.jobs);
    localNote = `${l.jobs.length + l.notMcp} socket${l.jobs.length + l.notMcp === 1 ? '' : 's'} listening on all interfaces, ${l.jobs.length} speak${l.jobs.length === 1 ? 's' : ''} MCP`;
    info(`--local: ${localNote}`);
  }
  // One probe per endpoint, whoever declares it.
  const unique = new Map<string, EndpointJob>();
  for (const j of jobs) {
    const k = safeUrl(j.url).url;
    const prev = unique.get(k);
    if (!prev) unique.set(k, j);
    else if (!prev.listen && j.listen) prev.listen = j.listen;
  }
  for (const n of skippedNotes) {
    const t = targets.find((x) => n.startsWith(x.path));
    if (t) {
      (t.warnings ??= []).push(n);
      if (t.status === 'ok') t.status = 'partial';
    }
  }
  const endpointJobs = [...unique.values()];
  if (endpointJobs.length) info(`probing ${endpointJobs.length} MCP endpoint${endpointJobs.length === 1 ? '' : 's'} (concurrency ${o.concurrency}, timeout ${o.timeoutMs} ms)`);
  const results = await mapLimit(endpointJobs, o.concurrency, (j) => probeEndpoint(j.url, { timeoutMs: o.timeoutMs, callTools: o.callTools, userToken: o.userToken, declaredIn: j.declaredIn, listen: j.listen }));
  const pins = o.pinFile ? loadPins(o.pinFile) : undefined;
  const observations: McpEndpointObservation[] = [];
  for (const r of results) {
    r.observation.target = targets.length;
    const tools = r.observation.anonymous.tools ?? r.observation.invalidToken?.tools ?? r.observation.userToken?.tools;
    if (pins && tools) {
      r.observation.pins = { file: o.pinFile!, ...comparePins(pins, r.observation.url, tools) };
      recordPins(pins, r.observation.url, tools);
    }
    targets.push(endpointTarget(r));
    observations.push(r.observation);
  }
  if (pins && o.pinFile) savePins(o.pinFile, pins);
  const ctx = configCheckContext();
  const inv = { endpoints: observations };
  findings.push(...ENDPOINT_CHECKS.flatMap((c) => c.run(inv, ctx)));
  return { targets, findings };
}
