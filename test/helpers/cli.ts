import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/nhi-audit.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built CLI as a child process (end-to-end tests; `npm test` builds first). */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const base: NodeJS.ProcessEnv = { ...process.env };
    delete base.FORCE_COLOR;
    const env: NodeJS.ProcessEnv = { ...base, NO_COLOR: '1', CI: 'true', ...opts.env };
    for (const [k, v] of Object.entries(opts.env ?? {})) if (v === undefined) delete env[k];
    const p = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    p.stdin.end(opts.input ?? '');
  });
}
