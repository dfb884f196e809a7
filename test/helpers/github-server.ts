import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';

/**
 * A local stand-in for the GitHub REST API (the subset the GitHub source reads), on 127.0.0.1.
 *
 * - Lists are paginated with Link headers (`rel="next"`/`"last"`), at most `pageSize` items a page
 *   whatever per_page asks, so pagination is exercised with small fixtures.
 * - Every response carries x-ratelimit-limit/-remaining/-reset/-used.
 * - `faults` make chosen paths misbehave: `secondary` answers the first request with a
 *   secondary-rate-limit 403 and `retry-after: 1`; `primary` with the primary limit exhausted
 *   (403, `x-ratelimit-remaining: 0`, reset in 1 second); `502` answers the first request with a 502;
 *   `403`/`404` always answer so (a token without the permission); `{ status, message }` always
 *   answers that status with that message (an error text that echoes what it should not).
 * - `requests` records every request (method, path, whether an Authorization header came and
 *   whether it carried the expected token), for assertions.
 */
export type Json = Record<string, unknown>;

export interface GithubFixture {
  /** Organisation logins. */
  orgs: string[];
  /** Route (path without query) → body. Arrays are paginated; `{ key: [...] }` lists under a key are too. */
  routes: Record<string, unknown>;
  /** Path → fault. */
  faults?: Record<string, 'secondary' | 'primary' | '502' | '403' | '404' | { status: number; message: string }>;
  pageSize?: number;
  /** The token the server expects (requests without it are still answered; `requests` says which had it). */
  token?: string;
  /**
   * Serve bare repositories under this directory at `/git/<path>` through `git http-backend`
   * (smart HTTP), answering 401 unless the request carries `Authorization: Basic x-access-token:<token>`.
   */
  gitRoot?: string;
  /** Every `/git/` request is refused with this message in an ERR packet (git prints `remote error: …`). */
  gitError?: string;
}

export interface SeenRequest {
  method: string;
  path: string;
  status: number;
  auth: 'none' | 'expected' | 'other';
}

export class FakeGithub {
  readonly requests: SeenRequest[] = [];
  private server!: Server;
  private remaining = 5000;
  private readonly faulted = new Set<string>();
  url = '';

  constructor(readonly fixture: GithubFixture) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  /** Requests to a path (without query). */
  count(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  private git(req: IncomingMessage, res: ServerResponse, u: URL, seen: SeenRequest): void {
    gitBackend.call(this, req, res, u, seen);
  }

  private send(res: ServerResponse, seen: SeenRequest, status: number, body: unknown, headers: Record<string, string> = {}): void {
    seen.status = status;
    this.remaining = Math.max(0, this.remaining - 1);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(this.remaining),
      'x-ratelimit-used': String(5000 - this.remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      ...headers,
    });
    res.end(JSON.stringify(body));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', this.url);
    const path = u.pathname.replace(/\/+$/, '');
    const auth = req.headers.authorization;
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      path,
      status: 0,
      auth: !auth ? 'none' : this.fixture.token && auth.replace(/^(token|bearer)\s+/i, '') === this.fixture.token ? 'expected' : 'other',
    };
    this.requests.push(seen);
    if (path.startsWith('/git/') && this.fixture.gitError !== undefined) return gitRefusal(res, seen, this.fixture.gitError);
    if (path.startsWith('/git/') && this.fixture.gitRoot) return this.git(req, res, u, seen);
    if (req.method !== 'GET') return this.send(res, seen, 405, { message: 'read-only fake' });
    const fault = this.fixture.faults?.[path];
    if (typeof fault === 'object') return this.send(res, seen, fault.status, { message: fault.message, documentation_url: 'https://docs.github.com/rest' });
    if (fault === '403') return this.send(res, seen, 403, { message: 'Resource not accessible by personal access token', documentation_url: 'https://docs.github.com/rest' });
    if (fault === '404') return this.send(res, seen, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    if ((fault === 'secondary' || fault === 'primary' || fault === '502') && !this.faulted.has(path)) {
      this.faulted.add(path);
      if (fault === 'primary') {
        seen.status = 403;
        res.writeHead(403, { 'content-type': 'application/json', 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '5000', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1) });
        res.end(JSON.stringify({ message: 'API rate limit exceeded for user ID 1.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' }));
        return;
      }
      if (fault === '502') {
        seen.status = 502;
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><body>502 Bad Gateway</body></html>');
        return;
      }
      return this.send(res, seen, 403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits' }, { 'retry-after': '1' });
    }
    if (!(path in this.fixture.routes)) return this.send(res, seen, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    const body = this.fixture.routes[path];
    const listKey = Array.isArray(body) ? undefined : body && typeof body === 'object' ? Object.keys(body as Json).find((k) => Array.isArray((body as Json)[k]) && k !== 'events') : undefined;
    const items = Array.isArray(body) ? body : listKey ? ((body as Json)[listKey] as unknown[]) : undefined;
    if (!items || !isListRoute(path)) return this.send(res, seen, 200, body);
    const size = Math.min(this.fixture.pageSize ?? 2, Number(u.searchParams.get('per_page') ?? 30) || 30);
    const page = Math.max(1, Number(u.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / size));
    const slice = items.slice((page - 1) * size, page * size);
    const link = (p: number): string => {
      const q = new URL(u.toString());
      q.searchParams.set('page', String(p));
      q.searchParams.set('per_page', String(size));
      return q.toString();
    };
    const links: string[] = [];
    if (page < last) links.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
    if (page > 1) links.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
    const out = Array.isArray(body) ? slice : { ...(body as Json), total_count: items.length, [listKey!]: slice };
    this.send(res, seen, 200, out, links.length ? { link: links.join(', ') } : {});
  }
}

/** A smart-HTTP ref advertisement that is only an ERR packet: git stops with `fatal: remote error: <message>`. */
function gitRefusal(res: ServerResponse, seen: SeenRequest, message: string): void {
  const pkt = (line: string): string => `${(Buffer.byteLength(line) + 4).toString(16).padStart(4, '0')}${line}`;
  seen.status = 200;
  res.writeHead(200, { 'content-type': 'application/x-git-upload-pack-advertisement', 'cache-control': 'no-cache' });
  res.end(`${pkt('# service=git-upload-pack\n')}0000${pkt(`ERR ${message}\n`)}`);
}

/** Smart HTTP through git http-backend (CGI), for clones that must carry the token. */
function gitBackend(this: FakeGithub, req: IncomingMessage, res: ServerResponse, u: URL, seen: SeenRequest): void {
  const want = `Basic ${Buffer.from(`x-access-token:${this.fixture.token}`).toString('base64')}`;
  if (req.headers.authorization !== want) {
    seen.status = 401;
    res.writeHead(401, { 'www-authenticate': 'Basic realm="fake"' });
    res.end();
    return;
  }
  seen.auth = 'expected';
  const p = spawn('git', ['http-backend'], {
    env: {
      ...process.env,
      GIT_PROJECT_ROOT: this.fixture.gitRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: u.pathname.slice('/git'.length),
      QUERY_STRING: u.search.replace(/^\?/, ''),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
      HTTP_GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      REMOTE_ADDR: '127.0.0.1',
    },
  });
  req.pipe(p.stdin);
  const chunks: Buffer[] = [];
  p.stdout.on('data', (d: Buffer) => chunks.push(d));
  p.on('close', () => {
    const all = Buffer.concat(chunks);
    const end = all.indexOf('\r\n\r\n');
    const head = all.subarray(0, end).toString('latin1');
    const headers: Record<string, string> = {};
    let status = 200;
    for (const line of head.split('\r\n')) {
      const i = line.indexOf(':');
      const k = line.slice(0, i).trim();
      const v = line.slice(i + 1).trim();
      if (k.toLowerCase() === 'status') status = Number(v.split(' ')[0]);
      else headers[k] = v;
    }
    seen.status = status;
    res.writeHead(status, headers);
    res.end(all.subarray(end + 4));
  });
}

/** Routes whose response is a list GitHub paginates (everything but single objects). */
function isListRoute(path: string): boolean {
  return /\/(repos|keys|hooks|secrets|environments|installations|personal-access-tokens|credential-authorizations)$/.test(path);
}
