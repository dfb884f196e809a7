import { describe, expect, it } from 'vitest';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { toolExposure } from '../src/checks/mcp/lib/exposure.js';
import type { McpToolInfo } from '../src/model/mcp.js';
import { saidInBody, saidInError } from '../src/sources/mcp/probe/said.js';
import { safeToCall } from '../src/sources/mcp/probe/session.js';
import { redactText, remoteLine, secretRulesIn } from '../src/util/redact.js';
import { fake, rand62 } from './helpers/tokens.js';

const tool = (name: string, description?: string, params?: Array<[string, string?]>): McpToolInfo => ({
  name,
  ...(description !== undefined ? { description } : {}),
  ...(params ? { params: params.map(([n, d]) => (d === undefined ? { name: n } : { name: n, description: d })) } : {}),
});

describe('which MCP tools expose the server environment, a shell or its files', () => {
  it('environment readers, by name, description or parameter', () => {
    const cases: Array<[McpToolInfo, string]> = [
      [tool('get_env'), 'name'],
      [tool('printenv'), 'name'],
      [tool('getEnvVars'), 'name'],
      [tool('env'), 'name'],
      [tool('list_environment_variables'), 'name'],
      [tool('read_dotenv'), 'name'],
      [tool('config', 'Returns the value of an environment variable.'), 'description'],
      [tool('diagnostics', 'Dumps the process environment for debugging.'), 'description'],
      [tool('debug_info', 'Prints os.environ and the Python version.'), 'description'],
      [tool('lookup', 'Looks a setting up.', [['name', 'Name of the environment variable']]), 'parameter name'],
      [tool('lookup', 'Looks a setting up.', [['env_var']]), 'parameter env_var'],
    ];
    for (const [t, signal] of cases) expect(toolExposure(t), t.name).toEqual({ kind: 'environment', signal });
  });

  it('shells, by name, description or parameter', () => {
    for (const t of [tool('exec'), tool('run_command'), tool('shell'), tool('bash'), tool('executeScript'), tool('spawn_process')]) expect(toolExposure(t), t.name).toEqual({ kind: 'shell', signal: 'name' });
    expect(toolExposure(tool('ops', 'Executes shell commands on the host.'))).toEqual({ kind: 'shell', signal: 'description' });
    expect(toolExposure(tool('do', 'Runs arbitrary code.'))).toEqual({ kind: 'shell', signal: 'description' });
    expect(toolExposure(tool('task', 'A task.', [['command', 'Command line passed to bash']]))).toEqual({ kind: 'shell', signal: 'parameter command' });
  });

  it('file readers with a free path and no limit', () => {
    expect(toolExposure(tool('read_file', 'Reads a file.', [['path']]))).toEqual({ kind: 'file-read', signal: 'name' });
    expect(toolExposure(tool('readFile'))).toEqual({ kind: 'file-read', signal: 'name' });
    expect(toolExposure(tool('cat', undefined, [['file']]))).toEqual({ kind: 'file-read', signal: 'name' });
    expect(toolExposure(tool('fetch_doc', 'Returns any file on disk.', [['path']]))).toEqual({ kind: 'file-read', signal: 'parameter path' });
  });

  it('no false alarm on deployment environments, weather, SQL, confined or remote files', () => {
    const quiet = [
      tool('list_environments', 'Lists the deployment environments (staging, production).'),
      tool('set_environment', 'Selects the deployment environment.'),
      tool('get_environment', 'Returns the current deployment environment.'),
      tool('set_env_var', 'Sets an environment variable.', [['name', 'Name of the environment variable']]),
      tool('get_weather', 'Weather for a city.'),
      tool('deploy', 'Deploys the app. Reads the API key from an environment variable.'),
      tool('execute_sql', 'Runs a read-only SQL query.', [['query']]),
      tool('run_tests', 'Runs the test suite.'),
      tool('redis', 'Executes arbitrary Redis commands.'),
      tool('read_file', 'Read a file. Only works within allowed directories.', [['path']]),
      tool('read_file', 'Reads a file relative to the workspace root.', [['path']]),
      tool('get_file_contents', 'Get the contents of a file from a GitHub repository.', [['owner'], ['repo'], ['path']]),
      tool('read_file', 'Reads the server log file.', []),
      tool('list_files', 'Lists files.', [['path']]),
      tool('get_variable', 'Reads a Terraform variable.', [['variable']]),
    ];
    for (const t of quiet) expect(toolExposure(t), `${t.name}: ${t.description}`).toBeUndefined();
  });
});

describe('--call-tools reads optional parameters too', () => {
  it('a read-only tool whose optional parameter names an environment variable or a file is not called', () => {
    expect(safeToCall({ ...tool('lookup', 'Looks a setting up.', [['name', 'Name of the environment variable']]), readOnlyHint: true })).toBe(false);
    expect(safeToCall({ ...tool('preview', 'A preview.', [['path']]), readOnlyHint: true })).toBe(false);
    expect(safeToCall({ ...tool('get_weather', 'Weather.', [['city', 'City name']]), readOnlyHint: true })).toBe(true);
  });
});

describe('remote text is redacted before any report, log or error', () => {
  it('the token this run sent is removed in any form the server echoes it', () => {
    const sent = `opaque-${rand62(30)}`;
    const out = redactText(`invalid token "${sent}" (was ${sent})`, [sent]);
    expect(out).not.toContain(sent);
    expect(out).toContain('invalid token');
  });

  it('Bearer / Basic credentials without a header name, but not challenge parameters or prose', () => {
    const b = `eyJ${rand62(40)}`;
    expect(redactText(`rejected Bearer ${b}`)).not.toContain(b);
    const basic = Buffer.from(`x-access-token:${rand62(20)}`).toString('base64');
    expect(redactText(`got Basic ${basic}`)).not.toContain(basic);
    const challenge = 'Bearer resource_metadata="http://127.0.0.1:1/.well-known/oauth-protected-resource/mcp", scope="tools:read"';
    expect(redactText(challenge)).toBe(challenge);
    expect(redactText('Bearer realm="mcp", error="invalid_token"')).toBe('Bearer realm="mcp", error="invalid_token"');
    expect(redactText('use Bearer authentication')).toBe('use Bearer authentication');
  });

  it('a query parameter and a token a rule knows', () => {
    const q = rand62(24);
    const pat = fake.githubPat();
    const out = redactText(`GET /orgs/acme/repos?access_token=${q}&page=2 failed: Bad credentials ${pat}`);
    expect(out).not.toContain(q);
    expect(out).not.toContain(pat);
    expect(out).toContain('access_token=');
    expect(out).toContain('Bad credentials');
  });

  it("a URL's userinfo password (git: unable to access 'https://user:…@host/')", () => {
    const pw = rand62(20);
    const out = redactText(`unable to access 'https://x-access-token:${pw}@github.example/acme/app.git/': 401`);
    expect(out).not.toContain(pw);
    expect(out).toMatch(/^unable to access 'https:\/\/x-access-token:\w{3}….*': 401$/);
    const other = redactText(`fatal: unable to access 'https://deploy:${pw}@git.example/x.git/'`);
    expect(other).toMatch(/^fatal: unable to access 'https:\/\/deploy:\w{3}…\w{3}@git\.example\/x\.git\/'$/);
  });

  it('remoteLine: the first line, no control characters, redacted before it is cut', () => {
    const pat = fake.githubPat();
    const line = remoteLine(`\n\u001b[31m${'x'.repeat(190)} ${pat}\nsecond line`, [], 200);
    expect(line).not.toContain(pat);
    expect(line).not.toContain(pat.slice(0, 10));
    expect(line).not.toContain('\u001b');
    expect(line).not.toContain('second line');
    expect(line.length).toBeLessThanOrEqual(201);
  });

  it('secretRulesIn names rules, never values', () => {
    const pat = fake.githubPat();
    const rules = secretRulesIn(`{"token":"${pat}"}`);
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.join(' ')).not.toContain(pat);
    expect(secretRulesIn('the time is 12:00')).toEqual([]);
  });

  it('what an MCP server said: JSON-RPC errors, OAuth errors and plain text, redacted; HTML is not quoted', () => {
    const pat = fake.githubPat();
    expect(saidInBody(JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32603, message: `boom with ${pat}` } }), 'application/json', [])).toMatch(/^-32603: boom with ghp_…/);
    expect(saidInBody(JSON.stringify({ error: 'invalid_token', error_description: `token ${pat} expired` }), 'application/json', [])).toMatch(/^invalid_token: token ghp_…\S+ expired$/);
    const bearer = rand62(32);
    const said = saidInBody(`upstream failed; request had Authorization: Bearer ${bearer}`, 'text/plain', []);
    expect(said).toContain('Authorization: Bearer');
    expect(said).not.toContain(bearer);
    expect(saidInBody('<html><body>token ' + pat + '</body></html>', 'text/html', [])).toBeUndefined();
    expect(saidInError(new McpError(-32000, `denied for ${pat}`), [])).toMatch(/^-32000: denied for ghp_…/);
    expect(saidInError(new Error(`Streamable HTTP error: Error POSTing to endpoint: {"error":"${pat}"}`), [])).not.toContain(pat);
  });
});
