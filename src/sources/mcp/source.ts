import { readFileSync, realpathSync, statSync } from 'node:fs';
import type { Artifact, Source, SourceContext, TargetRef } from '../../model/artifact.js';
import { info } from '../../util/log.js';
import { parseMcpConfig } from './analyze.js';
import { clientFileForPath, genericClientFile, type ClientFile } from './clients.js';
import { currentEnv, discoverConfigs, type DiscoveryEnv } from './discover.js';
import { allInterfaceListeners, processOfInode } from './local.js';
import { probeEndpoint } from './probe/endpoint.js';
import { openSession } from './probe/session.js';
import { safeUrl } from '../../util/url.js';
import { mcpConfigIdentities, mcpEndpointIdentity } from './identities.js';
import { comparePins, loadPins, recordPins, savePins } from './pins.js';
import type { McpConfigFile, McpEndpointObservation } from '../../model/mcp.js';


/**
 * `nhi-audit mcp`'s targets as artifacts: client configs (named, or discovered for this user and
 * machine) and endpoints (named, declared in those configs with --probe, or listening on all
 * interfaces with --local). Each config is text for the detector, a parsed `mcp-config`
 * observation for the checks, and its servers as identities; each endpoint is what the probe
 * observed (`mcp-endpoint`) and an identity.
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



const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

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


export class McpSource implements Source {
  readonly id = 'mcp';

  constructor(readonly o: McpScanOptions) {}

  async *open(ctx: SourceContext): AsyncIterable<Artifact> {
    const o = this.o;
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
    const add = (path: string, spec?: ClientFile) => {
      if (seen.has(key(path))) return;
      seen.add(key(path));
      list.push({ path, spec });
    };
    for (const path of o.configs) add(path);
    if (o.discover) {
      const env = o.discoveryEnv ?? currentEnv();
      const found = discoverConfigs(env);
      info(`found ${found.length} MCP client config${found.length === 1 ? '' : 's'}`);
      for (const c of found) add(c.path, c.spec);
    }
    const files: McpConfigFile[] = [];
    for (const { path, spec } of list) {
      const target: TargetRef = { kind: 'mcp-config', path };
      ctx.progress?.update({ target: path, phase: 'reading config' });
      let bytes: Buffer;
      try {
        const st = statSync(path);
        if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
        if (st.size > MAX_CONFIG_BYTES) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
        bytes = readFileSync(path);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EFBIG' ? `larger than ${MAX_CONFIG_BYTES} bytes` : code === 'EISDIR' ? 'not a file' : (code ?? 'cannot read');
        yield { kind: 'coverage', target, gap: { reason: `${path}: ${why}`, fatal: true } };
        continue;
      }
      const text = bytes.toString('utf8');
      const parsed = parseMcpConfig(path, text, spec ?? clientFileForPath(path) ?? genericClientFile(path));
      if (!parsed.file) {
        yield { kind: 'coverage', target, gap: { reason: parsed.error ?? `${path}: not a config`, fatal: true } };
        continue;
      }
      files.push(parsed.file);
      yield { kind: 'stats', target, stats: { servers: parsed.file.servers.length, approvals: parsed.file.approvals.length, bytes: bytes.length } };
      for (const w of parsed.warnings) yield { kind: 'coverage', target, gap: { reason: w } };
      // The detector reads the config too, so a literal token is the same finding as in `scan`.
      yield { kind: 'text', target, where: { source: 'mcp-config', path }, content: { bytes: new Uint8Array(bytes) } };
      for (const record of mcpConfigIdentities(parsed.file)) yield { kind: 'inventory', target, record };
      yield { kind: 'observation', target, type: 'mcp-config', data: parsed.file };
    }

    // 2. Endpoints.
    const jobs: EndpointJob[] = [];
    for (const u of o.urls) jobs.push({ url: u });
    if (o.probe) {
      const d = declaredEndpoints(files);
      jobs.push(...d.jobs);
      for (const n of d.skipped) {
        const f = files.find((x) => n.startsWith(x.path));
        if (f) yield { kind: 'coverage', target: { kind: 'mcp-config', path: f.path }, gap: { reason: n } };
      }
    }
    if (o.local) {
      const l = await localEndpoints(o);
      jobs.push(...l.jobs);
      const n = l.jobs.length + l.notMcp;
      info(`--local: ${n} socket${n === 1 ? '' : 's'} listening on all interfaces, ${l.jobs.length} speak${l.jobs.length === 1 ? 's' : ''} MCP`);
    }
    // One probe per endpoint, whoever declares it.
    const unique = new Map<string, EndpointJob>();
    for (const j of jobs) {
      const k = safeUrl(j.url).url;
      const prev = unique.get(k);
      if (!prev) unique.set(k, j);
      else if (!prev.listen && j.listen) prev.listen = j.listen;
    }
    const endpointJobs = [...unique.values()];
    if (endpointJobs.length === 0) return;
    info(`probing ${endpointJobs.length} MCP endpoint${endpointJobs.length === 1 ? '' : 's'} (concurrency ${o.concurrency}, timeout ${o.timeoutMs} ms)`);
    ctx.progress?.update({ phase: 'probing MCP endpoints' });
    const results = await mapLimit(endpointJobs, o.concurrency, (j) => probeEndpoint(j.url, { timeoutMs: o.timeoutMs, callTools: o.callTools, userToken: o.userToken, declaredIn: j.declaredIn, listen: j.listen }));
    const pins = o.pinFile ? loadPins(o.pinFile) : undefined;
    for (const r of results) {
      const obs = r.observation;
      const target: TargetRef = { kind: 'mcp-endpoint', path: obs.url };
      const tools = obs.anonymous.tools ?? obs.invalidToken?.tools ?? obs.userToken?.tools;
      if (pins && tools) {
        obs.pins = { file: o.pinFile!, ...comparePins(pins, obs.url, tools) };
        recordPins(pins, obs.url, tools);
      }
      yield { kind: 'stats', target, stats: { ...r.stats, ...(tools ? { tools: tools.length } : {}) } };
      if (obs.error) yield { kind: 'coverage', target, gap: { reason: `${obs.url}: ${obs.error}`, fatal: true } };
      for (const w of r.warnings) yield { kind: 'coverage', target, gap: { reason: w } };
      if (!obs.error) yield { kind: 'inventory', target, record: mcpEndpointIdentity(obs) };
      // Checks see unreachable endpoints too (plain http, a token in the URL are facts without an answer).
      yield { kind: 'observation', target, type: 'mcp-endpoint', data: obs };
    }
    if (pins && o.pinFile) savePins(o.pinFile, pins);
  }
}
