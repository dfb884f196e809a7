import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { canRunDashboard } from '../src/report/dashboard/index.js';
import { BIN } from './helpers/cli.js';
import { TempRepo } from './helpers/git-repo.js';
import { HAVE_TMUX, Tmux } from './helpers/tmux.js';
import { fake } from './helpers/tokens.js';
import { readFileSync } from 'node:fs';

/**
 * The dashboard in a real terminal. Until `nhi-audit audit -i` exists it is started through a
 * test-only entry (test/helpers/dashboard-entry.mjs) that calls the built runDashboard() on a saved
 * report, exactly what `audit -i` does after its run.
 */
const ENTRY = fileURLToPath(new URL('./helpers/dashboard-entry.mjs', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/reports/audit.json', import.meta.url));

describe('dashboard: where it runs', () => {
  it('needs a terminal on stdin and stderr, with a size', () => {
    expect(canRunDashboard({ isTTY: true }, { isTTY: true, columns: 120, rows: 40 })).toBe(true);
    expect(canRunDashboard({ isTTY: false }, { isTTY: true, columns: 120, rows: 40 })).toBe(false);
    expect(canRunDashboard({ isTTY: true }, { isTTY: false })).toBe(false);
    expect(canRunDashboard({ isTTY: true }, { isTTY: true, columns: 0, rows: 0 })).toBe(false);
  });
});

describe.skipIf(!HAVE_TMUX)('dashboard in tmux (120x40), driven with send-keys', { timeout: 120_000 }, () => {
  let tmux: Tmux;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nhi-dash-'));
  });
  beforeEach(() => {
    tmux = new Tmux(120, 40); // a fresh terminal per test: one left waiting cannot eat the next one's keys
  });
  afterEach(() => tmux?.kill());
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('OWASP table, inventory, top risks; arrows, Enter, Esc, / filter, Tab to categories, q quits', async () => {
    tmux.run(`clear; node ${ENTRY} ${FIXTURE}; echo DASH-EXIT=$?`);
    let { screen } = await tmux.waitFor((s) => s.includes('Top risks · 12 findings'), 60_000);
    const lines = screen.split('\n');
    expect(lines[0]).toBe('nhi-audit · posture 34/100 grade E · 12 findings · 15 identities · 5 targets');
    expect(screen).toMatch(/NHI2 {2}Secret Leakage +5 +9\.8 +3 AWS users \(3 with findings\)/);
    expect(screen).toMatch(/NHI10 Human Use of NHI +1 +5\.5/);
    expect(screen).toMatch(/^› CRIT 9\.8 AWS access key with its secret +acme\/payments-api\/scripts\/sync\.sh:3 \+2$/m);
    expect(lines.length).toBeLessThanOrEqual(41);
    await tmux.waitFor((s) => s.includes('q quit')); // the key help shows once ink has stdin in raw mode

    // ↓ moves the selection; Enter opens the finding with its places and full remediation
    tmux.keys('Down');
    ({ screen } = await tmux.waitFor((s) => /^› CRIT 9\.1 MCP server accepts requests without authentication/m.test(s)));
    tmux.keys('Up');
    await tmux.waitFor((s) => /^› CRIT 9\.8 AWS access key/m.test(s));
    tmux.keys('Enter');
    ({ screen } = await tmux.waitFor((s) => s.includes('Remediation:')));
    expect(screen).toContain('CRITICAL 9.8  AWS access key with its secret');
    expect(screen).toContain('3 places:');
    expect(screen).toContain('acme/payments-api/deploy/.env:3 @ 6158eff4a1 (2024-03-14)  [git-history]');
    expect(screen).toContain('aws iam delete-access-key --user-name ci-deployer');
    tmux.keys('Escape');
    await tmux.waitFor((s) => s.includes('Top risks · 12 findings'));

    // / filters by text (each key waits for its screen: keys sent together may reach ink as one chunk)
    tmux.keys('/');
    await tmux.waitFor((s) => s.includes('filter: ▏'));
    tmux.keys('-l', 'slack');
    await tmux.waitFor((s) => s.includes('filter: slack▏'));
    tmux.keys('Enter');
    ({ screen } = await tmux.waitFor((s) => /Top risks · 1 of 12 findings · filter: slack$/m.test(s)));
    expect(screen).toMatch(/^› HIGH 7\.2 Slack bot token/m);
    expect(screen).not.toContain('AWS access key with its secret');
    tmux.keys('Escape');
    await tmux.waitFor((s) => s.includes('Top risks · 12 findings'));

    // Tab to the OWASP table, ↓ to NHI6, Enter filters the findings by that category
    tmux.keys('Tab');
    await tmux.waitFor((s) => /^› NHI1 /m.test(s));
    for (let i = 2; i <= 6; i++) {
      tmux.keys('Down');
      await tmux.waitFor((s) => new RegExp(`^› NHI${i} `, 'm').test(s));
    }
    tmux.keys('Enter');
    ({ screen } = await tmux.waitFor((s) => s.includes('Top risks · 1 of 12 findings · NHI6')));
    expect(screen).toMatch(/^› HIGH 8\.1 OIDC trust without a subject restriction/m);

    tmux.keys('q');
    ({ screen } = await tmux.waitFor((s) => s.includes('DASH-EXIT=')));
    expect(screen).toContain('DASHBOARD-CLOSED');
    expect(screen).toContain('DASH-EXIT=0');
  });

  it('a clean run: categories not assessed, no inventory, no findings', async () => {
    const r = JSON.parse(readFileSync(new URL('./fixtures/reports/clean-mcp.json', import.meta.url), 'utf8')) as Report;
    const file = join(dir, 'clean.json');
    writeFileSync(file, JSON.stringify(r));
    tmux.run(`clear; node ${ENTRY} ${file}; echo DASH2-EXIT=$?`);
    const { screen } = await tmux.waitFor((s) => s.includes('No findings.'), 60_000);
    expect(screen).toMatch(/NHI1 {2}Improper Offboarding +not assessed +no inventory in this report/);
    expect(screen).toMatch(/NHI4 {2}Insecure Authentication +0 +–/);
    await tmux.waitFor((s) => s.includes('q quit'));
    tmux.keys('q');
    await tmux.waitFor((s) => s.includes('DASH2-EXIT=0'));
  });

  it('`nhi-audit audit -i` opens it after the run, the report written first; q quits with the gate\'s exit code', async () => {
    const repo = new TempRepo();
    try {
      repo.commit('leak', { 'config/app.env': `GITHUB_TOKEN=${fake.githubPat()}\n` });
      const out = join(dir, 'audit.json');
      tmux.run(`clear; node ${BIN} audit ${repo.dir} -i -f json -o ${out}; echo AUDIT-EXIT=$?`);
      let { screen } = await tmux.waitFor((s) => s.includes('Top risks · 1 finding'), 90_000);
      expect(screen).toMatch(/^nhi-audit: read .* from 1 target in \d+\.\d s: 1 finding$/m); // the live view's line stays above
      expect(screen).toMatch(/NHI2 {2}Secret Leakage +1 /);
      expect(JSON.parse(readFileSync(out, 'utf8')).summary.total).toBe(1);
      await tmux.waitFor((s) => s.includes('q quit'));
      tmux.keys('Enter');
      ({ screen } = await tmux.waitFor((s) => s.includes('Remediation:')));
      expect(screen).toContain('config/app.env:1');
      tmux.keys('q');
      ({ screen } = await tmux.waitFor((s) => s.includes('AUDIT-EXIT=')));
      expect(screen).toContain('AUDIT-EXIT=1');
    } finally {
      repo.remove();
    }
  });
});
