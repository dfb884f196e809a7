import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTH_FILE, REPORT_FILE } from './fixtures/aws/account.js';
import { TempRepo } from './helpers/git-repo.js';
import { runJson } from './helpers/report.js';

describe('trust: AWS offline inputs', { timeout: 120_000 }, () => {
  it('a credential report row with missing columns is a warning naming the row, and the target is partial', async () => {
    const dir = new TempRepo({ init: false });
    try {
      const lines = readFileSync(REPORT_FILE, 'utf8').trim().split('\n');
      lines[1] = lines[1].split(',').slice(0, 9).join(','); // the root row, cut before its key columns
      const f = dir.write('short.csv', `${lines.join('\n')}\n`);
      const r = await runJson(['aws', '--credential-report', f, '--authorization-details', AUTH_FILE, '--now', '2026-01-01']);
      expect(r.code).toBe(2);
      expect(r.report.targets[0].status).toBe('partial');
      expect(r.report.targets[0].warnings!.join('\n')).toMatch(/row 2 \(<root_account>\): 13 of 22 columns missing/);
    } finally {
      dir.remove();
    }
  });

  it('authorization-details entries of the wrong type are warnings naming the key, and the target is partial', async () => {
    const dir = new TempRepo({ init: false });
    try {
      const doc = JSON.parse(readFileSync(AUTH_FILE, 'utf8'));
      doc.UserDetailList.push('not-a-user', { UserName: 'no-arn' });
      doc.RoleDetailList[0].RolePolicyList = 'oops';
      const f = dir.write('auth.json', JSON.stringify(doc));
      const r = await runJson(['aws', '--authorization-details', f, '--credential-report', REPORT_FILE, '--now', '2026-01-01']);
      expect(r.code).toBe(2);
      const w = r.report.targets[0].warnings!.join('\n');
      expect(w).toMatch(/UserDetailList\[\d+\] is not an object/);
      expect(w).toMatch(/UserDetailList\[\d+\]: no Arn or UserName/);
      expect(w).toMatch(/RolePolicyList is not a list/);
    } finally {
      dir.remove();
    }
  });

  it('without --now, ages are measured from when the export was made, or a warning suggests --now', async () => {
    const dir = new TempRepo({ init: false });
    try {
      const csv = readFileSync(REPORT_FILE, 'utf8');
      const json = dir.write('report.json', JSON.stringify({ Content: Buffer.from(csv).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2026-01-01T00:00:00+00:00' }));
      const fromExport = await runJson(['aws', '--credential-report', json, '--authorization-details', AUTH_FILE]);
      const pinned = await runJson(['aws', '--credential-report', json, '--authorization-details', AUTH_FILE, '--now', '2026-01-01']);
      expect(fromExport.report.findings.map((f) => f.id).sort()).toEqual(pinned.report.findings.map((f) => f.id).sort());
      expect(fromExport.stderr).toContain('when the credential report was generated');
      const csvOnly = await runJson(['aws', '--credential-report', REPORT_FILE, '--authorization-details', AUTH_FILE]);
      expect(csvOnly.stderr).toMatch(/newest date in the exported files is 20\d\d-\d\d-\d\d.*pass --now/);
    } finally {
      dir.remove();
    }
  });
});
void join;
