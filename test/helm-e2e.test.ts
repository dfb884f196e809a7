import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { TempRepo } from './helpers/git-repo.js';
import { runJson } from './helpers/report.js';
import { fake, rand62 } from './helpers/tokens.js';

// The built CLI on a real git repository holding a Helm chart: base64 values of values.yaml are
// decoded (helm-values decoder), stringData of values-prod.yaml is read as written.
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('scan: Helm chart values', () => {
  const repo = new TempRepo();
  const token = fake.githubPat();
  const password = rand62(20);
  const stripe = fake.stripeLive();
  const prodPassword = rand62(18);
  let code: number;
  let report: Report;
  let out: string;

  beforeAll(async () => {
    repo.commit('chart', {
      'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
      'charts/api/values.yaml': [
        'replicaCount: 1', // 1
        'image:',
        '  repository: acme/api',
        'github:',
        '  data:', // 5
        `    token: ${b64(token)}`, // 6
        'db:',
        '  existingSecret: ""',
        '  secretData:',
        `    password: "${b64(password)}"`, // 10
        `    username: ${b64('orders')}`,
        '',
      ].join('\n'),
      'charts/api/values-prod.yaml': ['db:', '  stringData:', `    STRIPE_KEY: ${stripe}`, `    password: "${prodPassword}"`, ''].join('\n'),
    });
    const r = await runJson(['scan', repo.dir]);
    ({ code, report } = r);
    out = JSON.stringify(report) + r.stderr;
  }, 120_000);
  afterAll(() => repo.remove());

  const at = (ruleId: string) => report.findings.filter((f) => f.ruleId === ruleId).map((f) => ({ path: f.location.path, line: f.location.line }));

  it('a base64 GitHub token in values.yaml is reported as a GitHub token, at its line', () => {
    expect(at('github-classic-pat')).toEqual([{ path: 'charts/api/values.yaml', line: 6 }]);
  });

  it('a base64 opaque password is reported as a Kubernetes secret; the base64 user name is not', () => {
    expect(at('kubernetes-secret-data')).toEqual([{ path: 'charts/api/values.yaml', line: 10 }]);
  });

  it('stringData in values-prod.yaml is scanned as plain text', () => {
    expect(at('stripe-live-secret-key')).toEqual([{ path: 'charts/api/values-prod.yaml', line: 3 }]);
    expect(at('generic-secret-assignment')).toEqual([{ path: 'charts/api/values-prod.yaml', line: 4 }]);
    expect(report.findings).toHaveLength(4);
    expect(code).toBe(1);
  });

  it('the history scan decodes the committed blobs too (a blob keeps its path)', () => {
    const f = report.findings.find((x) => x.ruleId === 'github-classic-pat')!;
    expect(f.occurrences.some((o) => o.commit !== undefined && o.path === 'charts/api/values.yaml' && o.line === 6), JSON.stringify(f.occurrences)).toBe(true);
  });

  it('no secret value, decoded or encoded, is printed', () => {
    for (const v of [token, password, stripe, prodPassword, b64(token), b64(password)]) expect(out.includes(v)).toBe(false);
  });
});

describe('scan: a Helm chart with only template placeholders', () => {
  const repo = new TempRepo();
  let code: number;
  let report: Report;

  beforeAll(async () => {
    repo.commit('chart', {
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
      'charts/web/values.yaml': [
        'nameOverride: ""',
        'auth:',
        '  existingSecret: ""',
        '  password: ""',
        '  token: changeme',
        '  data:',
        "    password: '{{ .Values.auth.password | b64enc }}'",
        '    session: "{{ randAlphaNum 16 | b64enc | quote }}"',
        `    admin: ${b64('changeme')}`,
        '  tokenBase64: "{{ .Values.auth.token | b64enc }}"',
        '',
      ].join('\n'),
      'charts/web/templates/secret.yaml': [
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        '  name: {{ include "web.fullname" . }}',
        'data:',
        '  password: {{ .Values.auth.password | b64enc | quote }}',
        '  token: {{ randAlphaNum 32 | b64enc }}',
        'stringData:',
        '  note: "{{ .Values.auth.token }}"',
        '',
      ].join('\n'),
    });
    ({ code, report } = await runJson(['scan', repo.dir]));
  }, 120_000);
  afterAll(() => repo.remove());

  it('finds nothing and exits 0', () => {
    expect(report.findings.map((f) => `${f.ruleId} ${f.location.path}:${f.location.line}`)).toEqual([]);
    expect(report.targets[0]).toMatchObject({ kind: 'code', status: 'ok' });
    expect(report.targets[0].stats.files).toBeGreaterThanOrEqual(3);
    expect(code).toBe(0);
  });
});

describe('scan: Helm handling follows paths inside the scanned folder, not where it is checked out', () => {
  it('a checkout under a folder named helm/ does not make its YAML files chart values', async () => {
    const dir = new TempRepo({ init: false });
    try {
      const values = () => ['github:', '  data:', `    token: ${b64(fake.githubPat())}`, ''].join('\n');
      dir.write('helm/app/settings.yaml', values()); // the checkout is helm/app: settings.yaml is at its top
      dir.write('helm/app/charts/api/settings.yaml', values()); // a YAML file in a chart folder of the checkout
      const { report } = await runJson(['scan', '--no-history', `${dir.dir}/helm/app`]);
      // Decoded (and so reported as the GitHub token it is) only where a chart's values can be.
      expect(report.findings.filter((f) => f.ruleId === 'github-classic-pat').flatMap((f) => f.occurrences.map((o) => o.path))).toEqual(['charts/api/settings.yaml']);
    } finally {
      dir.remove();
    }
  });
});
