import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64CredentialFiles, decodeBase64Text, helmValues, kubernetesSecretData } from '../src/detect/decoders.js';
import { SecretScanner } from '../src/detect/scanner.js';
import { loadSecretRules } from '../src/rules/catalog.js';
import { fake, rand62 } from './helpers/tokens.js';

const scanner = new SecretScanner(loadSecretRules());
const b64 = (s: string) => Buffer.from(s).toString('base64');
const found = (text: string) => scanner.scanText(text).map((m) => ({ rule: m.ruleId, value: m.value, line: m.line }));
const ids = (text: string) => [...new Set(scanner.scanText(text).map((m) => m.ruleId))].sort();

describe('Kubernetes Secret manifests', () => {
  it('a decoded provider token is reported as that provider, at the encoded value, with the decoded secret', () => {
    const token = fake.githubPat();
    const yaml = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci\ntype: Opaque\ndata:\n  GITHUB_TOKEN: ${b64(token)}\n  username: ${b64('ci-bot')}\n`;
    expect(found(yaml)).toEqual([{ rule: 'github-classic-pat', value: token, line: 7 }]);
  });

  it('an opaque decoded password is a Kubernetes secret finding; identifiers, dummies and ConfigMaps are not', () => {
    const pw = rand62(20);
    const yaml = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  host: ${b64('db.acme.io')}\n  user: ${b64('orders')}\n  password: ${b64(pw)}\n  dummy: ${b64('changeme')}\n`;
    expect(found(yaml)).toEqual([{ rule: 'kubernetes-secret-data', value: pw, line: 8 }]);
    expect(ids(yaml.replace('kind: Secret', 'kind: ConfigMap')).includes('kubernetes-secret-data')).toBe(false);
  });

  it('a secret manager reference or an elided key in a Secret names a secret, it is not one', () => {
    const pw = rand62(20);
    const data = ['vault:secret/data/app#password', 'ref+vault://secret/app#/password', 'awssm:prod/db-password', 'sk-...a1b2', 'AKIA\u2026WXYZ', pw];
    const yaml = `apiVersion: v1\nkind: Secret\ndata:\n${data.map((v, i) => `  API_KEY_${i}: ${b64(v)}\n`).join('')}`;
    expect(found(yaml)).toEqual([{ rule: 'kubernetes-secret-data', value: pw, line: 9 }]);
  });

  it('multi-document YAML, JSON (kubectl -o json) and stringData', () => {
    const pw = rand62(24);
    const multi = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\ndata:\n  password: ${b64(rand62(20))}\n---\napiVersion: v1\nkind: Secret\ndata:\n  api-key: "${b64(pw)}"\n`;
    expect(found(multi).filter((f) => f.rule === 'kubernetes-secret-data').map((f) => f.value)).toEqual([pw]);
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', data: { token: b64(pw) } }, null, 2);
    expect(found(json).map((f) => f.value)).toEqual([pw]);
    const key = fake.stripeLive();
    expect(ids(`kind: Secret\nstringData:\n  STRIPE_KEY: ${key}\n`)).toContain('stripe-live-secret-key');
    expect(kubernetesSecretData(`kind: Secret\ndata:\n  a: ${b64('x'.repeat(3))}\n`)).toHaveLength(1);
  });

  it('a .dockerconfigjson in a Secret is decoded twice down to the registry password', () => {
    const auth = b64(`ci:${rand62(24)}`);
    const cfg = JSON.stringify({ auths: { 'registry.acme.io': { auth } } });
    const yaml = `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${b64(cfg)}\n`;
    expect(ids(yaml).length).toBeGreaterThan(0);
    expect(ids(yaml)).not.toContain('generic-secret-assignment');
  });
});

describe('Helm values files', () => {
  const at = (text: string, path?: string) => scanner.scanText(text, path).map((m) => ({ rule: m.ruleId, value: m.value, line: m.line }));

  it('base64 under data:/secretData: and *Base64 keys is decoded: a provider token as its provider, an opaque password as a Secret', () => {
    const token = fake.githubPat();
    const pw = rand62(20);
    const key = fake.stripeLive();
    const values = [
      'replicaCount: 2', // 1
      'image:',
      '  repository: acme/api',
      'auth:',
      '  existingSecret: ""', // 5
      '  data:',
      `    GITHUB_TOKEN: ${b64(token)}`, // 7
      `    password: "${b64(pw)}"`, // 8
      `    username: ${b64('orders')}`,
      'payments:', // 10
      `  - apiKeyBase64: '${b64(key)}'`, // 11
      'settings:',
      '  data:',
      '    LOG_LEVEL: info',
      '    mode: abcdefgh', // 15
      '',
    ].join('\n');
    expect(at(values, 'charts/api/values.yaml')).toEqual([
      { rule: 'github-classic-pat', value: token, line: 7 },
      { rule: 'kubernetes-secret-data', value: pw, line: 8 },
      { rule: 'stripe-live-secret-key', value: key, line: 11 },
    ]);
    // Reported at the encoded span, never at the decoded text.
    const m = scanner.scanText(values, 'charts/api/values.yaml').find((x) => x.ruleId === 'github-classic-pat')!;
    expect(values.slice(m.index, m.end)).toBe(b64(token));
    expect(m.encoded).toBe('base64');
  });

  it('stringData: and plain password:/token: values are scanned as text already', () => {
    const key = fake.stripeLive();
    const pw = rand62(18);
    const text = `auth:\n  stringData:\n    STRIPE_KEY: ${key}\n    password: "${pw}"\n`;
    expect(at(text, 'helm/values-prod.yaml')).toEqual([
      { rule: 'stripe-live-secret-key', value: key, line: 3 },
      { rule: 'generic-secret-assignment', value: pw, line: 4 },
    ]);
  });

  it('template placeholders, empty strings and dummy values are not secrets', () => {
    const text = [
      'nameOverride: ""',
      'auth:',
      '  existingSecret: ""',
      '  data:',
      "    password: '{{ .Values.auth.password | b64enc }}'",
      '    token: "{{ randAlphaNum 16 | b64enc }}"',
      `    admin: ${b64('changeme')}`,
      '    empty: ""',
      '    plain: changeme',
      '  passwordBase64: "{{ .Values.pw | b64enc | quote }}"',
      '',
    ].join('\n');
    expect(at(text, 'charts/api/values.yaml')).toEqual([]);
  });

  it('how a file is recognised: values*.yaml or charts/|helm/ by path, Helm keys by content; *Base64 keys in any YAML; never outside YAML', () => {
    const pw = rand62(22);
    const body = `db:\n  data:\n    password: ${b64(pw)}\n`;
    for (const p of ['values.yaml', 'deploy/values-prod.yaml', 'charts/api/values.staging.yml', 'helm/prod.yaml', 'charts/api/ci/override.yaml'])
      expect(helmValues(body, p).map((s) => s.decoded), p).toEqual([pw]);
    // Other YAML: a data: map is not decoded unless Helm's conventional keys are there.
    expect(helmValues(body, '.github/workflows/ci.yml')).toEqual([]);
    expect(helmValues(`fullnameOverride: api\n${body}`, 'deploy/app.yaml').map((s) => s.decoded)).toEqual([pw]);
    expect(helmValues(`db:\n  password_b64: ${b64(pw)}\n`, 'deploy/app.yaml').map((s) => ({ key: s.key, decoded: s.decoded }))).toEqual([{ key: 'password', decoded: pw }]);
    // Not YAML: the decoder does not run at all.
    expect(helmValues(body, 'src/values.ts')).toEqual([]);
    expect(scanner.scanText(body, 'charts/api/values.txt').map((m) => m.ruleId)).not.toContain('kubernetes-secret-data');
    expect(scanner.scanText(body, 'charts/api/values.yaml').map((m) => m.ruleId)).toEqual(['kubernetes-secret-data']);
  });

  it('hostile 1 MB inputs (long blank runs, endless keys, deep lists) stay linear', () => {
    for (const t of [`a: x${' '.repeat(1 << 20)}y`, 'k'.repeat(1 << 20), `data:\n  - ${'- '.repeat(1 << 19)}`, `data:\n${'  k: QUJDRA==\n'.repeat(80_000)}`]) {
      const t0 = performance.now();
      helmValues(t, 'values.yaml');
      expect(performance.now() - t0, t.slice(0, 20)).toBeLessThan(3000);
    }
  });

  it('under a base64-named key outside a secret map, an unrecognised value is a secret only if a name says so', () => {
    const pw = rand62(20);
    const payload = b64(JSON.stringify({ page: 584, sort: 'created_at', filter: 'active', region: 'eu' }));
    const compose = `services:\n  api:\n    environment:\n      PAYLOAD_B64: ${payload}\n      SESSION_SECRET_B64: ${b64(pw)}\n`;
    expect(at(compose, 'compose.yaml')).toEqual([{ rule: 'kubernetes-secret-data', value: pw, line: 5 }]);
    // A provider's token is recognised whatever the key says.
    const token = fake.githubPat();
    expect(at(`app:\n  configB64: ${b64(token)}\n`, 'deploy/app.yaml')).toEqual([{ rule: 'github-classic-pat', value: token, line: 2 }]);
  });

  it('a base64 value in a data map must be padded, whole base64 (a plain word that happens to decode is skipped)', () => {
    expect(helmValues(`data:\n  a: ${b64('abcdefg').replace(/=+$/, '')}\n  b: abcdefgh\n`, 'values.yaml').map((s) => s.decoded)).toEqual([]);
    expect(helmValues(`data:\n  a: ${b64('abcdefghi')}\n`, 'values.yaml').map((s) => s.decoded)).toEqual(['abcdefghi']);
  });
});

describe('base64 copies of credential files', () => {
  it('a base64 PEM private key is decoded and reported as a private key', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const text = `SSH_KEY_B64=${b64(privateKey)}\n`;
    expect(ids(text)).toEqual(['private-key-rsa']);
    expect(base64CredentialFiles(text)).toHaveLength(1);
  });

  it('a base64 certificate decodes but is not a finding', () => {
    expect(ids(`CA_B64=${b64('-----BEGIN CERTIFICATE-----\nMIIB' + rand62(200) + '\n-----END CERTIFICATE-----\n')}\n`)).toEqual([]);
  });

  it('decodeBase64Text refuses binary and malformed input', () => {
    expect(decodeBase64Text(b64('hello world'))).toBe('hello world');
    expect(decodeBase64Text(Buffer.from([0, 1, 2, 3, 255, 254]).toString('base64'))).toBeUndefined();
    expect(decodeBase64Text('not base64!')).toBeUndefined();
  });
});

describe('Jupyter notebooks', () => {
  it('finds credentials in cell outputs as well as in sources', () => {
    const key = fake.stripeLive();
    const id = fake.awsKeyId();
    const secret = fake.awsSecret();
    const nb = JSON.stringify({
      cells: [
        { cell_type: 'code', source: ['import boto3\n', `s3 = boto3.client("s3", aws_access_key_id="${id}", aws_secret_access_key="${secret}")\n`], outputs: [] },
        { cell_type: 'code', source: ['print(os.environ)\n'], outputs: [{ output_type: 'stream', name: 'stdout', text: [`{'STRIPE_KEY': '${key}'}\n`] }] },
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    }, null, 1);
    const got = ids(nb);
    expect(got).toContain('aws-access-key');
    expect(got).toContain('stripe-live-secret-key');
  });
});

describe('command lines, URLs and connection strings', () => {
  const cases: Array<[string, string]> = [
    [`curl -u deploy:${rand62(20)} https://ci.acme.io/job/x/build`, 'cli-curl-basic-auth'],
    [`curl -H "Authorization: Bearer ${rand62(40)}" https://api.acme.io/v1/me`, 'cli-auth-header'],
    [`curl -H 'Authorization: Basic ${b64('bot:' + rand62(16))}' https://api.acme.io`, 'cli-auth-header'],
    [`wget --password=${rand62(16)} --user=ci https://files.acme.io/a.zip`, 'cli-password-option'],
    [`mysql -h db -u app -p'${rand62(16)}' orders`, 'cli-password-option'],
    [`mysqldump -u backup -p${rand62(14)} --all-databases > all.sql`, 'cli-password-option'],
    [`sshpass -p '${rand62(14)}' scp build.tgz deploy@10.0.0.5:/srv`, 'cli-password-option'],
    [`docker login -u ci -p ${rand62(24)} registry.acme.io`, 'cli-password-option'],
    [`PGPASSWORD=${rand62(16)} pg_dump -h db.acme.io -U app app > dump.sql`, 'cli-pgpassword'],
    [`psql postgresql://app:${rand62(16)}@db.acme.io:5432/app`, 'database-url-postgres'],
    [`git clone https://ci-bot:${rand62(30)}@git.acme.io/platform/infra.git`, 'url-password'],
    [`pip install --index-url https://__token__:${rand62(30)}@pypi.acme.io/simple acme`, 'url-password'],
    [`SMTP_URL=smtp://alerts:${rand62(16)}@mail.acme.io:587`, 'url-password'],
    [`source "https://${rand62(8).toLowerCase()}:${rand62(20)}@gems.contribsys.com/"`, 'url-password'],
    [`"Db": "User ID=app;Password=${rand62(16)};Server=sql01;Database=orders"`, 'connection-string-user-password'],
    [`Server=sql01;Database=erp;User Id=erp;Password=${rand62(16)};`, 'database-connection-string-password'],
    [`BlobEndpoint=https://acme.blob.core.windows.net/;AccountName=acme;AccountKey=${b64(rand62(64))}`, ''],
  ];
  // Where a provider file has a rule for the same span (http-url-credentials for http(s) URLs,
  // http-basic-auth-header for Basic headers), the contextual catch-all yields to it.
  const ALSO: Record<string, string[]> = { 'url-password': ['http-url-credentials'], 'cli-auth-header': ['http-basic-auth-header'] };
  for (const [text, rule] of cases) {
    if (!rule) continue;
    it(`${rule}: ${text.slice(0, 50)}`, () => expect(ids(text).some((id) => id === rule || ALSO[rule]?.includes(id)), ids(text).join(',')).toBe(true));
  }

  it('references and dummies on command lines are not findings', () => {
    for (const t of ['curl -u "$USER:$TOKEN" https://x.io', 'curl -H "Authorization: Bearer $TOKEN" https://x.io', 'mysql -u root -p mydb', 'mysql -uroot -p"$MYSQL_PWD"', 'docker login -u ci --password-stdin', 'PGPASSWORD=$PGPASS psql', 'git clone https://user:password@git.example.io/x.git'])
      expect(ids(t), t).toEqual([]);
  });
});

describe('credential parts without their pair', () => {
  it('an AWS secret access key assigned to a recognisable name, without its key id', () => {
    const s = fake.awsSecret().replace(/^[^A-Za-z]/, 'a');
    for (const t of [`aws_secret_access_key = ${s}`, `AWS_SECRET_ACCESS_KEY: "${s}"`]) expect(ids(t), t).toContain('aws-secret-access-key');
    expect(ids(`provider "aws" {\n  region = "eu-west-1"\n  secret_key = "${s}"\n}`)).toEqual(['aws-provider-block-secret-key']);
  });

  it('Discord bot tokens of current shapes, with context or in an Authorization header', () => {
    const id = b64(String(1_100_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9)))).replace(/=+$/, '');
    const tok = `${id}.${rand62(6)}.${rand62(38)}`;
    expect(ids(`DISCORD_TOKEN=${tok}`)).toContain('discord-bot-token');
    expect(ids(`client.run("${tok}")`)).toContain('discord-bot-token');
    expect(ids(`headers = {"Authorization": "Bot ${tok}"}`)).toContain('discord-bot-token');
  });
});
