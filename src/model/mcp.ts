/**
 * The MCP inventory: plain JSON data (no Dates, no classes) so checks can be run on examples
 * written in YAML. Config checks get parsed client configs; endpoint checks get what the prober
 * observed. Probing gathers facts; checks judge them.
 */

/** MCP clients whose config formats nhi-audit reads. */
export type McpClientId =
  | 'claude-desktop'
  | 'claude-code'
  | 'cursor'
  | 'vscode'
  | 'windsurf'
  | 'cline'
  | 'roo-code'
  | 'continue'
  | 'zed'
  | 'gemini'
  | 'codex'
  | 'amazon-q'
  | 'generic';

export type ConfigFormat = 'json' | 'jsonc' | 'yaml' | 'toml';

/** One string a server is configured with, where it sits and the line it is written on. */
export interface McpSetting {
  /** env: environment variable; header: HTTP header; arg: command-line argument; url: server URL; field: other key (bearer_token …). */
  kind: 'env' | 'header' | 'arg' | 'url' | 'field';
  /** Variable, header or field name; for args, the flag before the value when there is one. */
  key?: string;
  /** The value exactly as written (references such as ${VAR} unexpanded). */
  value: string;
  line?: number;
}

export interface McpServerConfig {
  name: string;
  /** Line the server's entry starts on. */
  line?: number;
  /** Claude Code's per-project entries in ~/.claude.json: the project path. */
  scope?: string;
  transport: 'stdio' | 'http' | 'sse' | 'unknown';
  command?: string;
  args: string[];
  url?: string;
  settings: McpSetting[];
  disabled?: boolean;
}

/** A client setting that lets a server's tools run without asking the user. */
export interface McpApproval {
  /** Server name, or '*' for every server of the client. */
  server: string;
  /** Every tool of the server (or of every server) is approved. */
  all: boolean;
  /** Tool names approved one by one (when not all). */
  tools: string[];
  /** The setting that does it, e.g. `trust: true`, `autoApprove`, `permissions.allow`. */
  via: string;
  line?: number;
}

/** A VS Code `inputs` entry: `${input:id}` prompts for it; `password: true` masks and stores it securely. */
export interface McpInput {
  id: string;
  password: boolean;
  line?: number;
}

export interface McpConfigFile {
  /** As shown in reports: repository-relative for `scan`, as given or absolute for `mcp`. */
  path: string;
  client: McpClientId;
  format: ConfigFormat;
  servers: McpServerConfig[];
  inputs: McpInput[];
  approvals: McpApproval[];
  /** Index of this file's TargetResult in the report. */
  target?: number;
}

export interface McpConfigInventory {
  files: McpConfigFile[];
}

/** A tool an endpoint lists (tools/list). Descriptions are the server's, not secrets. */
export interface McpToolInfo {
  name: string;
  description?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  /** Input parameters the tool requires. */
  required?: string[];
  /** Input parameters of its schema (name and description), to judge what the tool reaches. */
  params?: Array<{ name: string; description?: string }>;
}

export type McpTransport = 'stateless-2026' | 'streamable-http' | 'sse';

/** One attempt to talk MCP to an endpoint with a given credential (none, a garbage token …). */
export interface McpSessionFacts {
  /** The handshake completed: server/discover (2026-07-28), initialize (Streamable HTTP) or the SSE endpoint event. */
  ok: boolean;
  transport?: McpTransport;
  protocolVersion?: string;
  serverName?: string;
  /** HTTP status of the handshake when it did not complete. */
  status?: number;
  toolsListed?: boolean;
  tools?: McpToolInfo[];
  /** One-line reason when the attempt failed for another reason than an HTTP status. */
  error?: string;
}

/** A parsed `WWW-Authenticate` challenge. */
export interface McpChallenge {
  scheme: string;
  resourceMetadata?: string;
  scope?: string;
  error?: string;
}

export interface McpFetchAttempt {
  url: string;
  status?: number;
  error?: string;
}

/** RFC 9728 Protected Resource Metadata, as found (or not). */
export interface McpResourceMetadataFacts {
  found: boolean;
  /** Where it was found. */
  url?: string;
  /** The URL the challenge advertised (resource_metadata), if any. */
  advertisedUrl?: string;
  tried: McpFetchAttempt[];
  resource?: string;
  authorizationServers?: string[];
  scopesSupported?: string[];
  /** The document was there but was not a JSON object. */
  invalid?: boolean;
}

/** RFC 8414 / OpenID Connect discovery metadata of the authorization server. */
export interface McpAuthServerFacts {
  /** The authorization server URL (from the resource metadata, or the endpoint's origin for 2025-03-26 servers). */
  issuer: string;
  /** true when the issuer was not advertised but derived from the endpoint (2025-03-26 fallback). */
  derived?: boolean;
  found: boolean;
  url?: string;
  tried: McpFetchAttempt[];
  issuerInDocument?: string;
  codeChallengeMethods?: string[];
  /** authorization_endpoint, token_endpoint, registration_endpoint, jwks_uri … as advertised. */
  endpoints: Record<string, string>;
  registrationEndpoint?: boolean;
  clientIdMetadataDocumentSupported?: boolean;
  scopesSupported?: string[];
  grantTypes?: string[];
}

export interface McpTokenTest extends McpSessionFacts {
  /** Which token was sent: a garbage one we made up, or the user's (--token-env). */
  token: 'garbage' | 'user';
}

export interface McpUserTokenTest extends McpSessionFacts {
  format: 'jwt' | 'opaque';
  /** The JWT's aud claim (never the token). */
  audience?: string[];
  /** The JWT's aud names this endpoint: not a test of audience validation. */
  audienceIsThisEndpoint?: boolean;
}

export interface McpHeaderTest {
  status?: number;
  accepted: boolean;
  error?: string;
}

export interface McpEndpointObservation {
  /** The endpoint, with any credential in the URL removed. */
  url: string;
  scheme: 'http' | 'https';
  /** Where the host resolves: this machine, a private network, or the internet. */
  hostClass: 'loopback' | 'private' | 'public';
  /** The client config that declares it (with --probe). */
  declaredIn?: { path: string; line?: number; client: McpClientId; server: string };
  /** Index of this endpoint's TargetResult in the report. */
  target?: number;
  /** For --local: the socket the server listens on. */
  listen?: { address: string; port: number; process?: string };
  reachable: boolean;
  error?: string;
  /** Without any credential. */
  anonymous: McpSessionFacts & { wwwAuthenticate?: string; challenge?: McpChallenge };
  /**
   * With --call-tools: read-only tools without required input that were called, whether they
   * answered, and the ids of the secret rules that matched in the answer (never the answer).
   */
  calledTools?: Array<{ name: string; ok: boolean; secretRules?: string[] }>;
  resourceMetadata?: McpResourceMetadataFacts;
  authServer?: McpAuthServerFacts;
  invalidToken?: McpTokenTest;
  queryToken?: McpTokenTest;
  userToken?: McpUserTokenTest;
  /** DNS rebinding / cross-site requests to an endpoint that answers without a token. */
  rebinding?: { foreignOrigin: McpHeaderTest; foreignHost: McpHeaderTest };
  /** CORS headers of an endpoint that requires a token. */
  cors?: { allowOrigin?: string; allowHeaders?: string; via: 'preflight' | 'response' };
  /** With --pin FILE: tools whose description or schema changed since the pinned run. */
  pins?: { file: string; changed: string[]; added: string[]; removed: string[]; firstRun: boolean };
}

export interface McpEndpointInventory {
  endpoints: McpEndpointObservation[];
}

/** Display names of the MCP clients. */
export const CLIENT_NAMES: Record<McpClientId, string> = {
  'claude-desktop': 'Claude Desktop',
  'claude-code': 'Claude Code',
  cursor: 'Cursor',
  vscode: 'VS Code',
  windsurf: 'Windsurf',
  cline: 'Cline',
  'roo-code': 'Roo Code',
  continue: 'Continue',
  zed: 'Zed',
  gemini: 'Gemini CLI',
  codex: 'Codex',
  'amazon-q': 'Amazon Q Developer',
  generic: 'MCP client',
};
