import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_AWS_ENV } from './fixtures/aws/account.js';
import { runCli } from './helpers/cli.js';
import { serve, type HostileServer } from './helpers/hostile-server.js';
import { runJson } from './helpers/report.js';

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

describe('trust: an AWS endpoint that misbehaves never passes the gate and never hangs', { timeout: 120_000 }, () => {
  let server: HostileServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('an endpoint answering HTML is a failed target, exit 2', async () => {
    server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><html><head><title>Welcome</title></head><body><p>It works!</p></body></html>');
    });
    const r = await runJson(['aws', '--endpoint-url', server.url], { env: FAKE_AWS_ENV });
    expect(r.code).toBe(2);
    expect(r.report.targets[0].status).toBe('error');
    expect(r.report.targets[0].error).toMatch(/does not answer in the AWS IAM\/STS protocol/);
  });

  it('an endpoint answering JSON 200 to everything is a failed target too', async () => {
    server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    const r = await runJson(['aws', '--endpoint-url', server.url], { env: FAKE_AWS_ENV });
    expect(r.code).toBe(2);
    expect(r.report.targets[0].status).toBe('error');
  });

  it('a call that never answers ends at --timeout as a failed target (no hang)', async () => {
    server = await serve(() => {
      // accept, read the request, never answer
    });
    const t0 = Date.now();
    const r = await runJson(['aws', '--endpoint-url', server.url, '--timeout', '2'], { env: FAKE_AWS_ENV });
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(r.code).toBe(2);
    expect(r.report.targets[0].error).toMatch(/within 2s/);
  });

  it('IAM calls that never answer become coverage gaps; the whole run ends at --max-time', async () => {
    server = await serve((_req, res, body) => {
      if (!body.includes('Action=GetCallerIdentity')) {
        // trickle a byte a second: an idle timeout would never fire
        res.writeHead(200, { 'content-type': 'text/xml' });
        const t = setInterval(() => res.write(' '), 1000);
        res.on('close', () => clearInterval(t));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(`<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/a</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
    });
    const t0 = Date.now();
    const r = await runJson(['aws', '--endpoint-url', server.url, '--timeout', '30', '--max-time', '3'], { env: FAKE_AWS_ENV });
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(r.code).toBe(2);
    expect(JSON.stringify(r.report.targets[0])).toMatch(/overall time limit/);
  });

  it('a session token echoed in an AWS error is redacted before it reaches the report', async () => {
    const token = `FwoGZXIvYXdzEJr//////////wEaDM${'Q'.repeat(20)}a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ`;
    server = await serve((_req, res, body) => {
      const ns = body.includes('Action=GetCallerIdentity') ? STS_NS : IAM_NS;
      if (ns === STS_NS) {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(`<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/a</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
        return;
      }
      res.writeHead(403, { 'content-type': 'text/xml' });
      res.end(`<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>denied for request with X-Amz-Security-Token=${token}&amp;X-Amz-Date=20260101</Message></Error><RequestId>2</RequestId></ErrorResponse>`);
    });
    const r = await runCli(['aws', '--endpoint-url', server.url, '-f', 'json'], { env: FAKE_AWS_ENV });
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(r.stdout + r.stderr).not.toContain(token.slice(10, 40));
    expect(r.stdout).toContain('X-Amz-Security-Token=');
  });
});
