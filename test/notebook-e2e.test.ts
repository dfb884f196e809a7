import { afterAll, describe, expect, it } from 'vitest';
import { TempRepo } from './helpers/git-repo.js';
import { runJson } from './helpers/report.js';
import { fake, rand62 } from './helpers/tokens.js';

// Jupyter notebooks keep sources and outputs as JSON strings: a secret printed by a cell, or shown
// in a traceback between ANSI colour codes, is as leaked as one typed into a cell.

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('Jupyter notebooks', () => {
  it('finds secrets in sources and in every kind of output, at their lines, in the tree and in history', async () => {
    const ghTraceback = fake.githubPat();
    const ghStream = fake.githubPat();
    const stripe = fake.stripeLive();
    const pgPassword = `Pg${rand62(14)}`;
    const assigned = `Zq8#${rand62(12)}`;
    const notebook = {
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# Sync job\n', 'Reads the warehouse and posts to Stripe.\n'] },
        {
          cell_type: 'code',
          execution_count: 1,
          metadata: {},
          source: ['import stripe, psycopg\n', `db_password = "${assigned}"\n`, `stripe.api_key = "${stripe}"\n`],
          outputs: [
            // A single string holding several lines: the token follows an escaped newline.
            { output_type: 'stream', name: 'stdout', text: `connected\nusing ${ghStream}\ndone\n` },
            { output_type: 'execute_result', execution_count: 1, metadata: {}, data: { 'text/plain': [`'postgresql://etl:${pgPassword}@warehouse.internal:5432/dw'`] } },
            {
              output_type: 'error',
              ename: 'HTTPError',
              evalue: '401 Client Error',
              traceback: ['\u001b[0;31m---------------------------------------------------------------------------\u001b[0m', `\u001b[0;31mHTTPError\u001b[0m: token \u001b[1;32m${ghTraceback}\u001b[0m was rejected`],
            },
            { output_type: 'display_data', metadata: {}, data: { 'image/png': Buffer.alloc(3000, 7).toString('base64') } },
          ],
        },
      ],
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    const text = JSON.stringify(notebook, null, 1);
    const repo = new TempRepo();
    repos.push(repo);
    repo.commit('notebook', { 'analysis/sync.ipynb': text });
    // A second notebook only in history: committed, then deleted.
    const historyOnly = fake.githubPat();
    repo.commit('scratch', { 'scratch.ipynb': JSON.stringify({ cells: [{ cell_type: 'code', source: [], outputs: [{ output_type: 'error', traceback: [`\u001b[0;31m${historyOnly}\u001b[0m`] }] }], nbformat: 4, nbformat_minor: 5 }, null, 1) });
    repo.git('rm', '-q', 'scratch.ipynb');
    repo.commit('drop scratch');

    const { code, report, stderr } = await runJson(['scan', repo.dir, '-f', 'json']);
    expect(code, stderr).toBe(1);
    const at = (needle: string) => ({ path: 'analysis/sync.ipynb', line: lineOf(text, needle) });
    const find = (ruleId: string) => report.findings.filter((f) => f.ruleId === ruleId);

    // The traceback token between colour codes and the stream token after "\n" are both found, each at its own line.
    const gh = find('github-classic-pat').flatMap((f) => f.occurrences.filter((o) => o.source === 'file').map((o) => ({ path: o.path, line: o.line })));
    expect(gh).toEqual(expect.arrayContaining([at(ghTraceback), at(ghStream)]));
    expect(find('stripe-live-secret-key')).toHaveLength(1);
    expect(report.findings.some((f) => f.occurrences.some((o) => o.path === 'analysis/sync.ipynb' && o.line === lineOf(text, pgPassword)))).toBe(true);
    expect(report.findings.some((f) => f.occurrences.some((o) => o.path === 'analysis/sync.ipynb' && o.line === lineOf(text, assigned)))).toBe(true);
    // The history-only notebook's traceback token, from its commit.
    expect(report.findings.some((f) => f.ruleId === 'github-classic-pat' && f.occurrences.some((o) => o.path === 'scratch.ipynb' && o.source !== 'file'))).toBe(true);
    // One finding per secret, not one per way of reading it; nothing from the image; no value in the report.
    const ids = report.findings.filter((f) => f.occurrences.some((o) => o.path === 'analysis/sync.ipynb')).map((f) => f.ruleId);
    expect(ids.length).toBeLessThanOrEqual(6);
    const out = JSON.stringify(report);
    for (const v of [ghTraceback, ghStream, stripe, pgPassword, assigned, historyOnly]) expect(out).not.toContain(v);
  });

  it('a notebook without secrets, with escapes, colour codes and images, has no findings', async () => {
    const repo = new TempRepo();
    repos.push(repo);
    const nb = {
      cells: [
        { cell_type: 'code', source: ['print("token: <your token here>")\n', 'password = os.environ["DB_PASSWORD"]\n'], outputs: [{ output_type: 'stream', name: 'stdout', text: ['token: <your token here>\n'] }, { output_type: 'error', traceback: ['\u001b[0;31mKeyError\u001b[0m: \'DB_PASSWORD\''] }, { output_type: 'display_data', data: { 'image/png': Buffer.alloc(5000, 3).toString('base64') } }] },
      ],
      nbformat: 4,
      nbformat_minor: 5,
    };
    repo.commit('clean notebook', { 'clean.ipynb': JSON.stringify(nb, null, 1) });
    const { code, report, stderr } = await runJson(['scan', repo.dir, '-f', 'json']);
    expect(code, stderr).toBe(0);
    expect(report.findings).toEqual([]);
  });
});
