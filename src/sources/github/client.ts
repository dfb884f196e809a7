import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { remoteLine } from '../../util/redact.js';

/**
 * The GitHub REST client: @octokit/rest with the throttling and retry plugins, plus what the
 * plugins do not do — a timeout per request, a deadline for the whole crawl, a cap on response
 * sizes, waiting for the rate-limit window when `x-ratelimit-remaining` runs out, and counters.
 *
 * The token lives in this object only: never logged, never in an error message (RequestError
 * messages carry the URL and GitHub's message, and Octokit redacts the authorization header).
 */

export interface ClientOptions {
  token?: string;
  /** API root: https://api.github.com, https://ghe.example.com/api/v3, or a test server. */
  apiUrl: string;
  /** Per-request timeout (ms). */
  requestTimeoutMs: number;
  /** The whole crawl stops making requests after this time (epoch ms). */
  deadline?: number;
  /** Largest response body accepted (bytes). */
  maxResponseBytes: number;
  /** Retries on 5xx/resets and on rate limits. */
  retries: number;
  signal?: AbortSignal;
}

export interface ClientStats {
  apiRequests: number;
  /** Responses that were 5xx, 429, a rate-limit 403, or no response at all (retried when retries remain). */
  apiErrors: number;
  /** Rate-limit responses the throttling plugin waited on and retried. */
  apiRetries: number;
  rateLimitWaits: number;
}

export class ResponseTooLarge extends Error {}

const MyOctokit = Octokit.plugin(throttling, retry);
export type GithubOctokit = InstanceType<typeof MyOctokit>;

export interface GithubClient {
  octokit: GithubOctokit;
  stats: ClientStats;
  /** The web/API host the token may be sent to (for git's http.extraHeader). */
  apiOrigin: string;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** Read a body up to `max` bytes; longer is an error (a misbehaving server or proxy). */
async function limitedBody(res: Response, max: number): Promise<Uint8Array> {
  const len = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(len) && len > max) throw new ResponseTooLarge(`response of ${len} bytes exceeds the ${max}-byte limit`);
  if (!res.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let n = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.byteLength;
    if (n > max) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLarge(`response exceeds the ${max}-byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export function createClient(o: ClientOptions): GithubClient {
  const stats: ClientStats = { apiRequests: 0, apiErrors: 0, apiRetries: 0, rateLimitWaits: 0 };
  // When the primary limit is about to run out, requests wait for its reset (within the deadline).
  let resetAt = 0;
  let remaining = Infinity;
  const fetchImpl = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (remaining <= 1 && resetAt > Date.now()) {
      const wait = resetAt - Date.now() + 1000;
      if (o.deadline === undefined || Date.now() + wait < o.deadline) {
        stats.rateLimitWaits++;
        await sleep(wait, o.signal);
      }
      remaining = Infinity;
    }
    if (o.deadline !== undefined && Date.now() > o.deadline) throw new Error('the crawl deadline (--timeout) has passed');
    stats.apiRequests++;
    const signals = [AbortSignal.timeout(o.requestTimeoutMs)];
    if (init?.signal) signals.push(init.signal);
    if (o.signal) signals.push(o.signal);
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.any(signals) });
    } catch (e) {
      stats.apiErrors++;
      throw e;
    }
    if (res.status >= 500 || res.status === 429 || (res.status === 403 && (res.headers.has('retry-after') || res.headers.get('x-ratelimit-remaining') === '0'))) stats.apiErrors++;
    const rem = res.headers.get('x-ratelimit-remaining');
    const reset = res.headers.get('x-ratelimit-reset');
    if (rem !== null && Number.isFinite(Number(rem))) remaining = Number(rem);
    if (reset !== null && Number.isFinite(Number(reset))) resetAt = Number(reset) * 1000;
    const body = await limitedBody(res, o.maxResponseBytes);
    const out = new Response(res.status === 204 || res.status === 304 ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
    // Octokit reads response.url (pagination); a constructed Response has none.
    Object.defineProperty(out, 'url', { value: res.url });
    return out;
  };
  const octokit = new MyOctokit({
    auth: o.token,
    baseUrl: o.apiUrl.replace(/\/+$/, ''),
    userAgent: 'nhi-audit',
    request: { fetch: fetchImpl, retries: o.retries },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    retry: { retries: o.retries },
    throttle: {
      onRateLimit: (_after: number, _opts: unknown, _o: unknown, count: number) => {
        stats.apiRetries++;
        return count < o.retries;
      },
      onSecondaryRateLimit: (after: number, _opts: unknown, _o: unknown, count: number) => {
        stats.apiRetries++;
        // Honour retry-after, but never wait past the deadline.
        if (o.deadline !== undefined && Date.now() + after * 1000 > o.deadline) return false;
        return count < o.retries;
      },
    },
  });
  return { octokit, stats, apiOrigin: new URL(o.apiUrl).origin };
}

/** The HTTP status of an Octokit error, when it has one. */
export function statusOf(e: unknown): number | undefined {
  const s = (e as { status?: unknown }).status;
  return typeof s === 'number' ? s : undefined;
}

/**
 * One line about a failed request: status and GitHub's message, never headers or the token. The
 * message is the server's text (or a proxy's), which may echo a credential: it is redacted.
 */
export function describeError(e: unknown, known: Array<string | undefined> = []): string {
  const status = statusOf(e);
  let msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
  // GitHub messages come as "Not Found - https://docs.github.com/…"; keep the first part.
  msg = remoteLine(msg.replace(/ - https?:\/\/\S+$/, ''), known, 300) || 'request failed';
  if (e instanceof ResponseTooLarge || (e as { cause?: unknown }).cause instanceof ResponseTooLarge) return msg;
  return status !== undefined && status !== 500 ? `HTTP ${status}: ${msg}` : msg;
}
