import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable, Transform } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * HTTP for the prober, on node:http so every request has a timeout, headers are sent exactly as
 * given (a foreign Host header for the DNS-rebinding test), redirects are not followed, and 5xx and
 * 429 answers are retried with backoff (honouring Retry-After). Errors are one-line reasons.
 */

export type NetErrorKind = 'timeout' | 'reset' | 'refused' | 'dns' | 'tls' | 'network' | 'aborted' | 'too-large';

export class NetError extends Error {
  constructor(
    readonly kind: NetErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface ProbeStats {
  requests: number;
  retries: number;
}

export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Retries for 5xx and 429 (default 2). */
  retries?: number;
  /** Largest body read (default 1 MiB); larger bodies are cut and flagged. */
  maxBytes?: number;
  stats?: ProbeStats;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  body: string;
}

const MAX_RETRY_AFTER_MS = 5000;

function classify(e: NodeJS.ErrnoException, timeoutMs: number): NetError {
  if (e instanceof NetError) return e;
  const code = e.code ?? '';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') return new NetError('timeout', `timed out after ${timeoutMs} ms`);
  if (code === 'ECONNRESET' || code === 'EPIPE') return new NetError('reset', e.message === 'socket hang up' ? 'connection closed without a response' : 'connection reset by peer');
  if (code === 'ECONNREFUSED') return new NetError('refused', 'connection refused');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return new NetError('dns', 'host not found');
  if (/CERT|TLS|SSL|DEPTH_ZERO|SELF_SIGNED/i.test(code) || /certificate|ssl|tls/i.test(e.message)) return new NetError('tls', `TLS error (${code || 'handshake failed'})`);
  if (code === 'ABORT_ERR' || e.name === 'AbortError') return new NetError('aborted', 'aborted');
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new NetError('network', 'host unreachable');
  return new NetError('network', code ? `network error (${code})` : 'network error');
}

function headersOf(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Start one request; resolves when the response headers arrive (within timeoutMs). */
function open(url: string, o: HttpRequestOptions): Promise<{ res: IncomingMessage; abort: () => void }> {
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      reject(new NetError('network', 'invalid URL'));
      return;
    }
    const mod = u.protocol === 'https:' ? httpsRequest : u.protocol === 'http:' ? httpRequest : undefined;
    if (!mod) {
      reject(new NetError('network', `unsupported scheme ${u.protocol}`));
      return;
    }
    if (o.stats) o.stats.requests++;
    const headers: Record<string, string> = { 'user-agent': 'nhi-audit (MCP probe)', ...o.headers };
    if (o.body !== undefined) headers['content-length'] = String(Buffer.byteLength(o.body));
    const req = mod(u, { method: o.method ?? 'GET', headers, agent: false });
    let settled = false;
    const timer = setTimeout(() => {
      const err = Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' });
      req.destroy(err);
    }, o.timeoutMs);
    const onAbort = () => req.destroy(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }));
    if (o.signal) {
      if (o.signal.aborted) onAbort();
      else o.signal.addEventListener('abort', onAbort, { once: true });
    }
    req.on('response', (res) => {
      clearTimeout(timer);
      settled = true;
      resolve({
        res,
        abort: () => {
          res.destroy();
          req.destroy();
        },
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (!settled) reject(classify(e, o.timeoutMs));
    });
    req.end(o.body);
  });
}

function retryDelay(res: { status: number; headers: Record<string, string> }, attempt: number): number {
  const ra = res.headers['retry-after'];
  if (ra !== undefined) {
    const s = Number(ra);
    if (Number.isFinite(s)) return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, s * 1000));
    const d = Date.parse(ra);
    if (Number.isFinite(d)) return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, d - Date.now()));
  }
  return 250 * 2 ** attempt;
}

/** 5xx and 429 are worth another try; 501 Not Implemented will say the same again. */
const retryable = (status: number) => status === 429 || (status >= 500 && status !== 501);

/** Largest response body the SDK transports may read (JSON-RPC answers, an event stream). */
const MAX_STREAM_BYTES = 16 << 20;

/**
 * Read a whole (bounded) body within a total deadline of timeoutMs from now: a server that
 * trickles a byte a second (or `: ping` events) ends there, not never.
 */
function readBody(res: IncomingMessage, o: HttpRequestOptions): Promise<string> {
  const max = o.maxBytes ?? 1 << 20;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    const deadline = setTimeout(() => res.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), o.timeoutMs);
    res.once('close', () => clearTimeout(deadline));
    res.setTimeout(o.timeoutMs, () => res.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    res.on('data', (c: Buffer) => {
      n += c.length;
      if (n > max) {
        res.destroy();
        resolve(Buffer.concat(chunks).toString('utf8'));
        return;
      }
      chunks.push(c);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', (e: NodeJS.ErrnoException) => reject(classify(e, o.timeoutMs)));
    res.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** One request with a fully read body; 5xx/429 retried with backoff. */
export async function fetchText(url: string, o: HttpRequestOptions): Promise<HttpResponse> {
  const retries = o.retries ?? 2;
  for (let attempt = 0; ; attempt++) {
    const { res } = await open(url, o);
    const head = { status: res.statusCode ?? 0, headers: headersOf(res) };
    if (retryable(head.status) && attempt < retries) {
      res.resume();
      if (o.stats) o.stats.retries++;
      await sleep(retryDelay(head, attempt), undefined, { signal: o.signal }).catch(() => undefined);
      continue;
    }
    // An event stream (an SSE endpoint, a streamed JSON-RPC answer) is read only until the timeout.
    const body = await readBody(res, o).catch((e: NetError) => {
      if (e.kind === 'timeout' && /event-stream/.test(head.headers['content-type'] ?? '')) return '';
      throw e;
    });
    return { ...head, body };
  }
}

/**
 * Open a request and hand back the live response (SSE streams): timeout until the headers only.
 * The caller must call abort() when done.
 */
export async function openStream(url: string, o: HttpRequestOptions): Promise<{ status: number; headers: Record<string, string>; res: IncomingMessage; abort: () => void }> {
  const { res, abort } = await open(url, o);
  return { status: res.statusCode ?? 0, headers: headersOf(res), res, abort };
}

export interface RecordedResponse {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string>;
}

/** The fetch signature the MCP SDK transports accept. */
export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

function initHeaders(h: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  new Headers(h as ConstructorParameters<typeof Headers>[0]).forEach((v, k) => (out[k] = v));
  return out;
}

/**
 * A fetch for the SDK's Client transports over this module: per-request timeout (until headers;
 * JSON bodies also time out between chunks), retries for 5xx/429, extra headers (a test token),
 * and a record of every response's status and headers for the checks.
 */
export function probeFetch(o: { timeoutMs: number; headers?: Record<string, string>; stats?: ProbeStats; record?: (r: RecordedResponse) => void; onError?: (e: NetError) => void }): FetchLike {
  return async (input, init = {}) => {
    const url = String(input);
    const method = (init.method ?? 'GET').toUpperCase();
    const body = typeof init.body === 'string' ? init.body : init.body == null ? undefined : String(init.body);
    const headers = { ...initHeaders(init.headers), ...o.headers };
    const retries = body?.includes('"tools/call"') ? 0 : 2; // never repeat a tool call
    for (let attempt = 0; ; attempt++) {
      let opened;
      try {
        opened = await openStream(url, { method, headers, body, timeoutMs: o.timeoutMs, signal: init.signal ?? undefined, stats: o.stats });
      } catch (e) {
        if (e instanceof NetError) o.onError?.(e);
        throw e;
      }
      const { status, res } = opened;
      const h = opened.headers;
      if (retryable(status) && attempt < retries) {
        res.resume();
        if (o.stats) o.stats.retries++;
        await sleep(retryDelay({ status, headers: h }, attempt));
        continue;
      }
      o.record?.({ method, url, status, headers: h });
      if (!/event-stream/.test(h['content-type'] ?? '')) {
        // A JSON answer has a total deadline, not only an idle one (a trickling server).
        res.setTimeout(o.timeoutMs, () => res.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
        const deadline = setTimeout(() => res.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), o.timeoutMs);
        res.once('close', () => clearTimeout(deadline));
      }
      const nullBody = status === 204 || status === 205 || status === 304 || method === 'HEAD';
      if (nullBody) res.resume();
      const responseHeaders = new Headers();
      for (const [k, v] of Object.entries(h)) responseHeaders.set(k, v);
      return new Response(nullBody ? null : (Readable.toWeb(limited(res, MAX_STREAM_BYTES)) as ReadableStream<Uint8Array>), { status: status < 200 || status > 599 ? 502 : status, headers: responseHeaders });
    }
  };
}

/** The response body cut off with an error after `max` bytes: no answer is read into memory whole. */
function limited(res: IncomingMessage, max: number): Readable {
  let n = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      if (n > max) {
        res.destroy();
        cb(new NetError('too-large', `response larger than ${max >> 20} MiB, not read`));
        return;
      }
      cb(null, chunk);
    },
  });
  res.on('error', (e) => t.destroy(e));
  return res.pipe(t);
}
