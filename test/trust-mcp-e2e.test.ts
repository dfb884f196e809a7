import { afterEach, describe, expect, it } from 'vitest';
import { serve, type HostileServer } from './helpers/hostile-server.js';
import { runJson } from './helpers/report.js';

describe('trust: an MCP server that trickles, floods or says 501 never hangs the probe', { timeout: 120_000 }, () => {
  let server: HostileServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const trickle = (type: string, head: string, tick: string) => async () => {
    server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': type });
      res.write(head);
      const t = setInterval(() => res.write(tick), 300);
      res.on('close', () => clearInterval(t));
    });
    const t0 = Date.now();
    const r = await runJson(['mcp', `${server.url}/mcp`, '--timeout', '1000']);
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeLessThan(45_000);
    expect(r.code).toBe(2);
    expect(r.report.targets[0].status).not.toBe('ok');
  };

  it('a JSON answer trickled a byte at a time ends at --timeout', trickle('application/json', '{"jsonrpc":"2.0",', ' '));
  it('an event stream of `: ping` comments ends at --timeout', trickle('text/event-stream', ': hello\n\n', ': ping\n\n'));

  it('a flood (an endless body) is cut at the size limit, not read into memory', async () => {
    const chunk = Buffer.alloc(1 << 20, 0x20);
    server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"jsonrpc":"2.0","id":0,"result":{"x":"');
      const pump = (): void => {
        while (res.write(chunk)) if (res.destroyed) return;
        res.once('drain', pump);
      };
      pump();
    });
    const t0 = Date.now();
    const r = await runJson(['mcp', `${server.url}/mcp`, '--timeout', '3000']);
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(r.code).toBe(2);
  });

  it('501 Not Implemented is not retried', async () => {
    let posts = 0;
    server = await serve((req, res) => {
      if (req.method === 'POST') posts++;
      res.writeHead(501, { 'content-type': 'text/plain' });
      res.end('not implemented');
    });
    const r = await runJson(['mcp', `${server.url}/mcp`, '--timeout', '2000']);
    expect(r.code).toBe(2);
    expect(r.report.targets[0].stats.retries ?? 0).toBe(0);
    expect(posts).toBeLessThanOrEqual(3);
  });
});
