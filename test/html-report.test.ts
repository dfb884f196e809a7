import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { escapeHtml, renderHtml, scriptJson } from '../src/report/html.js';
import { runCli } from './helpers/cli.js';
import { TempRepo } from './helpers/git-repo.js';
import { fake } from './helpers/tokens.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const fixture = (): Report => JSON.parse(readFileSync(new URL('./fixtures/reports/audit.json', import.meta.url), 'utf8'));
const opts = { color: false, showSecrets: false };

/** Values a careless reporter could leak: planted as secret.value on findings (as a source with --show-secrets would). */
const PLANTED = ['AKIAQX4PLM2RBV7K7Q2M/wJalrXUtnFEMI-PLANTED-K7MDENG', 'ghp_PLANTEDr8mQ2vXk9LpZt4WcN7bYs1HdJf3Ga', 'xoxb-PLANTED-2048392019-Qw3rTy7UiOp9'];
function plantedReport(): Report {
  const r = fixture();
  r.findings.filter((f) => f.secret).forEach((f, i) => (f.secret!.value = PLANTED[i % PLANTED.length]));
  return r;
}

describe('html: escaping helpers', () => {
  it('embedded JSON cannot close its script element', () => {
    const s = scriptJson({ path: '</script><script>alert(1)</script><!--', sep: '\u2028' });
    expect(s).not.toMatch(/[<>]|\u2028/);
    expect(JSON.parse(s)).toEqual({ path: '</script><script>alert(1)</script><!--', sep: '\u2028' });
    expect(escapeHtml('<a href="x">&\'')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });
  it('no secret value in the page unless --show-secrets', () => {
    const html = renderHtml(plantedReport(), opts);
    for (const v of PLANTED) expect(html).not.toContain(v);
    expect(renderHtml(plantedReport(), { ...opts, showSecrets: true })).toContain(PLANTED[0].replace(/</g, '\\u003c'));
  });
  it('renders a report without posture or inventory', () => {
    const r = fixture();
    delete r.posture;
    delete r.inventory;
    expect(renderHtml(r, opts)).toContain('<script type="application/json" id="nhi-data">');
  });
});

interface Recorded {
  requests: string[];
  errors: string[];
  dialogs: string[];
}

async function open(browser: Browser, file: string): Promise<{ page: Page; rec: Recorded }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, offline: true });
  const page = await context.newPage();
  const rec: Recorded = { requests: [], errors: [], dialogs: [] };
  page.on('request', (r) => rec.requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') rec.errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => rec.errors.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    rec.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-ready=true]', { timeout: 10_000 });
  return { page, rec };
}

const rows = (page: Page) => page.locator('[data-testid=finding-row]');

describe.skipIf(!existsSync(CHROMIUM))('html report in headless Chromium', { timeout: 120_000 }, () => {
  let browser: Browser;
  let dir: string;
  let file: string;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    dir = mkdtempSync(join(tmpdir(), 'nhi-html-'));
    file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(plantedReport(), opts));
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders: grade, ten category cards, severity chart, all findings, inventory, targets; no console errors, no network, and a screenshot for the README', async () => {
    const { page, rec } = await open(browser, file);
    expect(await page.getByTestId('grade').textContent()).toBe('E');
    expect(await page.getByTestId('category').count()).toBe(10);
    expect(await page.locator('[data-owasp=NHI2]').textContent()).toContain('5 findings');
    expect(await page.getByTestId('bar-high').textContent()).toContain('5');
    expect(await rows(page).count()).toBe(12);
    expect(await page.getByTestId('identity-row').count()).toBe(15);
    expect(await page.getByTestId('target-row').count()).toBe(5);
    expect(await page.locator('#targets-body').textContent()).toContain('acme/legacy-billing: archived, not scanned');
    mkdirSync(new URL('../docs/', import.meta.url), { recursive: true });
    await page.screenshot({ path: new URL('../docs/report.png', import.meta.url).pathname, fullPage: false });
    expect(rec.errors).toEqual([]);
    expect(rec.requests).toEqual([pathToFileURL(file).href]); // the page itself, nothing else
    await page.context().close();
  });

  it('filters change the rows (severity, OWASP, source, target, text) and headers sort', async () => {
    const { page, rec } = await open(browser, file);
    await page.getByTestId('filter-severity').selectOption('critical');
    expect(await rows(page).count()).toBe(2);
    await page.getByTestId('filter-severity').selectOption('');
    await page.getByTestId('filter-owasp').selectOption('NHI6');
    expect(await rows(page).count()).toBe(1);
    expect(await rows(page).first().textContent()).toContain('OIDC trust without a subject restriction');
    await page.getByTestId('filter-owasp').selectOption('');
    await page.getByTestId('filter-source').selectOption('mcp-config');
    expect(await rows(page).count()).toBe(3);
    await page.getByTestId('filter-source').selectOption('');
    await page.getByTestId('filter-target').selectOption('2'); // the AWS account
    expect(await rows(page).count()).toBe(4);
    await page.getByTestId('filter-target').selectOption('');
    await page.getByTestId('filter-text').fill('slack');
    expect(await rows(page).count()).toBe(1);
    await page.getByTestId('filter-text').fill('');
    expect(await rows(page).count()).toBe(12);
    // sorted by score, highest first; a click on "score" reverses it
    expect(await rows(page).first().textContent()).toContain('9.8');
    await page.locator('th[data-sort=score]').click();
    expect(await rows(page).first().textContent()).toContain('2.8');
    // a category card filters to its findings
    await page.locator('[data-owasp=NHI10]').click();
    expect(await rows(page).count()).toBe(1);
    expect(rec.errors).toEqual([]);
    await page.context().close();
  });

  it('the detail panel: evidence, every place, remediation, references; identities from the inventory', async () => {
    const { page, rec } = await open(browser, file);
    await expect.poll(() => page.getByTestId('detail').isVisible()).toBe(false);
    await rows(page).first().click();
    const detail = page.getByTestId('detail');
    expect(await detail.isVisible()).toBe(true);
    const text = (await detail.textContent()) ?? '';
    expect(text).toContain('AWS access key with its secret');
    expect(await page.locator('[data-testid=places] li').count()).toBe(3);
    expect(text).toContain('acme/payments-api/deploy/.env:3 @ 6158eff4a1 (2024-03-14)');
    expect(text).toContain('keyAgeDays');
    expect(await page.getByTestId('remediation').textContent()).toContain('aws iam delete-access-key --user-name ci-deployer');
    expect(text).toContain('https://owasp.org/www-project-non-human-identities-top-10/2025/');
    expect(await page.getByTestId('secret').textContent()).toBe('AKIA…7Q2M');
    // from the finding to its identity
    await detail.getByRole('link', { name: 'ci-deployer', exact: true }).click();
    expect(await detail.textContent()).toContain('AdministratorAccess');
    await page.keyboard.press('Escape');
    expect(await detail.isVisible()).toBe(false);
    // identity rows open the same panel
    await page.getByTestId('identity-row').filter({ hasText: 'escalation' }).click();
    expect(await detail.textContent()).toContain('iam:PassRole');
    expect(rec.errors).toEqual([]);
    await page.context().close();
  });

  it('a hostile file name and tool description render as text and do not execute; no planted secret in the DOM', async () => {
    const { page, rec } = await open(browser, file);
    const hostile = 'src/<script>alert("owned")</script>.env';
    expect(await page.locator('#findings-body').textContent()).toContain(hostile);
    await page.getByTestId('filter-text').fill('tool');
    await rows(page).first().click();
    expect(await page.getByTestId('detail').textContent()).toContain("<img src=x onerror=alert('tool')>");
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('body script').count()).toBe(2); // the data block and the page script, nothing injected
    expect(rec.dialogs).toEqual([]);
    const dom = await page.evaluate(() => document.documentElement.outerHTML);
    for (const v of PLANTED) expect(dom).not.toContain(v);
    expect(rec.errors).toEqual([]);
    expect(rec.requests).toHaveLength(1);
    await page.context().close();
  });

  it('`scan -f html -o FILE` from the built CLI: a self-contained page with no planted value', async () => {
    const repo = new TempRepo();
    const token = fake.githubPat();
    const name = '<img src=x onerror=alert(1)>.env';
    try {
      repo.commit('leak', { 'config/app.env': `GITHUB_TOKEN=${token}\n`, [name]: `STRIPE=${fake.stripeLive()}\n` });
      const out = join(dir, 'scan.html');
      const r = await runCli(['scan', repo.dir, '-f', 'html', '-o', out]);
      expect(r.code, r.stderr).toBe(1);
      const html = readFileSync(out, 'utf8');
      expect(html).not.toContain(token);
      expect(html).not.toMatch(/<img|<link|src="http|href="http/);
      const { page, rec } = await open(browser, out);
      expect(await rows(page).count()).toBeGreaterThanOrEqual(2);
      expect(await page.locator('#findings-body').textContent()).toContain(name);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toContain(token);
      expect(rec.dialogs).toEqual([]);
      expect(rec.errors).toEqual([]);
      expect(rec.requests).toHaveLength(1);
      await page.context().close();
    } finally {
      repo.remove();
    }
  });
});
