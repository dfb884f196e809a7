import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the IAM and STS Query APIs, good enough for the real @aws-sdk/client-iam
 * and client-sts to talk to over HTTP on 127.0.0.1: form-encoded POST bodies (`Action=…`), XML
 * responses in the services' namespaces, Marker/IsTruncated pagination, URL-encoded policy
 * documents (as the real API returns them), base64 credential report content, error documents
 * (`AccessDenied` on demand per action, transient 503s for retry tests), and a count of calls.
 * Signatures are not checked. The account is given in the AWS CLI's JSON shapes, so the same
 * data can be written to files for the offline tests.
 */

export interface FakeAccessKey {
  UserName: string;
  AccessKeyId: string;
  Status: 'Active' | 'Inactive';
  CreateDate: string;
  LastUsed?: { LastUsedDate?: string; ServiceName: string; Region: string };
}

export interface FakeAccount {
  accountId: string;
  /** `aws iam get-account-authorization-details` output (documents as objects). */
  authorizationDetails: { UserDetailList: unknown[]; GroupDetailList: unknown[]; RoleDetailList: unknown[]; Policies: unknown[] };
  credentialReportCsv: string;
  oidcProviders: string[];
  accessKeys: FakeAccessKey[];
}

export interface IamServerOptions {
  /** Most items one GetAccountAuthorizationDetails / ListAccessKeys page returns (AWS may return fewer than MaxItems). */
  pageSize?: number;
  /** Actions answered with 403 AccessDenied. */
  deny?: Iterable<string>;
  /** Actions answered with 503 ServiceUnavailable this many times before succeeding. */
  transient?: Record<string, number>;
  /** GenerateCredentialReport answers STARTED/INPROGRESS this many times before COMPLETE. */
  reportPolls?: number;
  /** A credential report already exists, generated this long ago (ms); default: none exists. */
  existingReportAgeMs?: number;
  /** Answer every call with 403 InvalidClientTokenId, as AWS does for an unknown access key. */
  rejectCredentials?: boolean;
}

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const DOCUMENT_KEYS = new Set(['PolicyDocument', 'AssumeRolePolicyDocument', 'Document']);

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** AWS Query XML: objects become elements, lists become <member> items, documents are URL-encoded. */
export function toXml(name: string, v: unknown): string {
  if (v === undefined || v === null) return '';
  if (DOCUMENT_KEYS.has(name) && typeof v === 'object') return `<${name}>${esc(encodeURIComponent(JSON.stringify(v)))}</${name}>`;
  if (Array.isArray(v)) return `<${name}>${v.map((x) => toXml('member', x)).join('')}</${name}>`;
  if (v instanceof Date) return `<${name}>${v.toISOString()}</${name}>`;
  if (typeof v === 'object') return `<${name}>${Object.entries(v as Record<string, unknown>).map(([k, x]) => toXml(k, x)).join('')}</${name}>`;
  return `<${name}>${esc(String(v))}</${name}>`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let b = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (b += d));
    req.on('end', () => resolve(b));
    req.on('error', reject);
  });
}

export class IamServer {
  /** HTTP requests per action (retries included). */
  readonly calls: Record<string, number> = {};
  readonly deny: Set<string>;
  private readonly transient: Record<string, number>;
  private reportPollsLeft: number;
  private reportGeneratedAt?: Date;
  url = '';
  private server?: Server;

  constructor(
    readonly account: FakeAccount,
    private readonly opts: IamServerOptions = {},
  ) {
    this.deny = new Set(opts.deny ?? []);
    this.transient = { ...(opts.transient ?? {}) };
    this.reportPollsLeft = opts.reportPolls ?? 1;
    if (opts.existingReportAgeMs !== undefined) this.reportGeneratedAt = new Date(Date.now() - opts.existingReportAgeMs);
  }

  get totalCalls(): number {
    return Object.values(this.calls).reduce((a, b) => a + b, 0);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: Error) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(e.message);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((r) => {
      if (!this.server) return r();
      this.server.closeAllConnections();
      this.server.close(() => r());
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = new URLSearchParams(await readBody(req));
    const action = params.get('Action') ?? '';
    this.calls[action] = (this.calls[action] ?? 0) + 1;
    const ns = action === 'GetCallerIdentity' ? STS_NS : IAM_NS;
    if (this.opts.rejectCredentials) return this.error(res, ns, 403, 'Sender', 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    if (this.deny.has(action)) {
      const svc = ns === STS_NS ? 'sts' : 'iam';
      return this.error(res, ns, 403, 'Sender', 'AccessDenied', `User: arn:aws:iam::${this.account.accountId}:user/auditor is not authorized to perform: ${svc}:${action} on resource: *`);
    }
    if ((this.transient[action] ?? 0) > 0) {
      this.transient[action]--;
      return this.error(res, ns, 503, 'Receiver', 'ServiceUnavailable', 'Service is unavailable, try again');
    }
    switch (action) {
      case 'GetCallerIdentity':
        return this.ok(res, ns, action, { Arn: `arn:aws:iam::${this.account.accountId}:user/auditor`, UserId: 'AIDAAUDITOR000000001', Account: this.account.accountId });
      case 'GetAccountAuthorizationDetails':
        return this.ok(res, ns, action, this.authorizationPage(params));
      case 'GenerateCredentialReport': {
        if (this.reportGeneratedAt && Date.now() - this.reportGeneratedAt.getTime() < 4 * 3600_000) return this.ok(res, ns, action, { State: 'COMPLETE' });
        if (this.reportPollsLeft > 0) {
          this.reportPollsLeft--;
          return this.ok(res, ns, action, { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' });
        }
        this.reportGeneratedAt = new Date();
        return this.ok(res, ns, action, { State: 'COMPLETE' });
      }
      case 'GetCredentialReport':
        if (!this.reportGeneratedAt) return this.error(res, ns, 410, 'Sender', 'ReportNotPresent', 'Credential report not present.');
        return this.ok(res, ns, action, { Content: Buffer.from(this.account.credentialReportCsv).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: this.reportGeneratedAt });
      case 'ListOpenIDConnectProviders':
        return this.ok(res, ns, action, { OpenIDConnectProviderList: this.account.oidcProviders.map((Arn) => ({ Arn })) });
      case 'ListAccessKeys': {
        const user = params.get('UserName');
        const all = this.account.accessKeys.filter((k) => k.UserName === user).map(({ LastUsed: _l, ...k }) => k);
        return this.ok(res, ns, action, this.page(all, params, (items) => ({ AccessKeyMetadata: items })));
      }
      case 'GetAccessKeyLastUsed': {
        const k = this.account.accessKeys.find((x) => x.AccessKeyId === params.get('AccessKeyId'));
        if (!k) return this.error(res, ns, 404, 'Sender', 'NoSuchEntity', 'The Access Key with id was not found.');
        return this.ok(res, ns, action, { UserName: k.UserName, AccessKeyLastUsed: k.LastUsed ?? { ServiceName: 'N/A', Region: 'N/A' } });
      }
      default:
        return this.error(res, ns, 400, 'Sender', 'InvalidAction', `Could not find operation ${action}`);
    }
  }

  private page<T>(all: T[], params: URLSearchParams, wrap: (items: T[]) => Record<string, unknown>): Record<string, unknown> {
    const start = params.get('Marker') ? Number(Buffer.from(params.get('Marker')!, 'base64').toString()) : 0;
    const size = Math.min(Number(params.get('MaxItems') ?? 100), this.opts.pageSize ?? 100);
    const items = all.slice(start, start + size);
    const truncated = start + size < all.length;
    return { ...wrap(items), IsTruncated: truncated, ...(truncated ? { Marker: Buffer.from(String(start + size)).toString('base64') } : {}) };
  }

  /** Pages run over users, then groups, then roles, then policies, as one sequence. */
  private authorizationPage(params: URLSearchParams): Record<string, unknown> {
    const d = this.account.authorizationDetails;
    const all: Array<[string, unknown]> = [
      ...d.UserDetailList.map((x): [string, unknown] => ['UserDetailList', x]),
      ...d.GroupDetailList.map((x): [string, unknown] => ['GroupDetailList', x]),
      ...d.RoleDetailList.map((x): [string, unknown] => ['RoleDetailList', x]),
      ...d.Policies.map((x): [string, unknown] => ['Policies', x]),
    ];
    return this.page(all, params, (items) => {
      const out: Record<string, unknown[]> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
      for (const [k, v] of items) out[k].push(v);
      return out;
    });
  }

  private ok(res: ServerResponse, ns: string, action: string, result: Record<string, unknown>): void {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${ns}">${toXml(`${action}Result`, result)}<ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
    res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': crypto.randomUUID() });
    res.end(body);
  }

  private error(res: ServerResponse, ns: string, status: number, type: string, code: string, message: string): void {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`;
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(body);
  }
}

export function startIamServer(account: FakeAccount, opts: IamServerOptions = {}): Promise<IamServer> {
  return new IamServer(account, opts).start();
}
