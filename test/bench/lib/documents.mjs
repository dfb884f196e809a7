// Whole files whose format carries the credential: cloud service-account JSON, kubeconfig, docker
// config.json, .npmrc, .pypirc, .netrc, .terraformrc, key files. Each returns its lines and labels.
import { crc, b64, now, urlPassword } from './credentials.mjs';
import { certificate, jwt, PRIVATE_KEYS } from './keys.mjs';
import { ALNUM, LOWER } from './rng.mjs';

const A_ = ALNUM + '-_';

/** Collects lines and the 1-based spans of labeled values. */
class Doc {
  constructor(path) {
    this.path = path;
    this.lines = [];
    this.positives = [];
    this.negatives = [];
  }

  add(...lines) {
    this.lines.push(...lines);
    return this;
  }

  pos(label, lines) {
    const line = this.lines.length + 1;
    this.add(...lines);
    this.positives.push({ ...label, line, endLine: this.lines.length });
    return this;
  }

  neg(label, lines) {
    const line = this.lines.length + 1;
    this.add(...lines);
    this.negatives.push({ ...label, line, endLine: this.lines.length });
    return this;
  }
}

const basicAuth = (user, pass) => Buffer.from(`${user}:${pass}`).toString('base64');

export const DOCUMENTS = [
  {
    type: 'google-service-account-json',
    provider: 'google',
    accept: /google|gcp|service.?account|private/,
    make(r) {
      const keyLines = PRIVATE_KEYS.pkcs8(r);
      const key = keyLines.join('\n') + '\n';
      const project = `${r.pick(['billing', 'data', 'ml'])}-prod-${r.digits(6)}`;
      const email = `deployer@${project}.iam.gserviceaccount.com`;
      const json = JSON.stringify(
        {
          type: 'service_account',
          project_id: project,
          private_key_id: r.hex(40),
          private_key: key,
          client_email: email,
          client_id: r.digits(21),
          auth_uri: 'https://accounts.google.com/o/oauth2/auth',
          token_uri: 'https://oauth2.googleapis.com/token',
          auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
          client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
          universe_domain: 'googleapis.com',
        },
        null,
        2,
      ).split('\n');
      const d = new Doc(r.pick(['gcp-credentials.json', 'secrets/service-account.json', `keys/${project}.json`]));
      return d.pos({ value: keyLines[1] }, json);
    },
  },
  {
    type: 'kubeconfig-token',
    provider: 'kubernetes',
    accept: /kube|jwt/,
    make(r) {
      const token = jwt(r, { iss: 'kubernetes/serviceaccount', 'kubernetes.io/serviceaccount/namespace': 'ci', 'kubernetes.io/serviceaccount/service-account.name': 'deployer', sub: 'system:serviceaccount:ci:deployer', iat: now }, 'RS256');
      const ca = Buffer.from(certificate(r).join('\n')).toString('base64');
      const d = new Doc(r.pick(['kubeconfig', '.kube/config', 'deploy/kubeconfig.yaml']));
      d.add('apiVersion: v1', 'kind: Config', 'clusters:', '- cluster:');
      d.neg({ kind: 'kube-ca-data', value: ca }, [`    certificate-authority-data: ${ca}`]);
      d.add(`    server: https://${r.hex(32).toUpperCase()}.gr7.us-east-1.eks.amazonaws.com`, '  name: prod', 'contexts:', '- context:', '    cluster: prod', '    user: deployer', '  name: prod', 'current-context: prod', 'users:', '- name: deployer', '  user:');
      return d.pos({ value: token }, [`    token: ${token}`]);
    },
  },
  {
    type: 'kubeconfig-client-key',
    provider: 'kubernetes',
    accept: /kube|private/,
    make(r) {
      const keyData = Buffer.from(PRIVATE_KEYS.ec(r).join('\n') + '\n').toString('base64');
      const certData = Buffer.from(certificate(r).join('\n')).toString('base64');
      const d = new Doc(r.pick(['admin.kubeconfig', '.kube/config-admin', 'clusters/dev/kubeconfig']));
      d.add('apiVersion: v1', 'kind: Config', 'clusters:', '- cluster:', `    server: https://10.0.${r.int(0, 255)}.${r.int(1, 254)}:6443`, '  name: kind-dev', 'users:', '- name: kind-admin', '  user:');
      d.neg({ kind: 'kube-client-certificate-data', value: certData }, [`    client-certificate-data: ${certData}`]);
      return d.pos({ value: keyData }, [`    client-key-data: ${keyData}`]).add('current-context: kind-dev');
    },
  },
  {
    type: 'docker-config-auth',
    provider: 'docker',
    accept: /docker/,
    make(r) {
      const registry = r.pick(['https://index.docker.io/v1/', 'ghcr.io', `${r.digits(12)}.dkr.ecr.us-east-1.amazonaws.com`, 'registry.gitlab.com', 'quay.io']);
      const auth = basicAuth(r.pick(['ci-bot', 'deploy', 'acmeops']), r.chance(0.5) ? urlPassword(r) : `dckr_pat_${r.str(A_, 27)}`);
      const d = new Doc(r.pick(['.docker/config.json', 'docker/config.json', 'ci/docker-config.json']));
      d.add('{', '  "auths": {', `    ${JSON.stringify(registry)}: {`);
      d.pos({ value: auth }, [`      "auth": ${JSON.stringify(auth)}`]);
      return d.add('    }', '  },', '  "credsStore": ""', '}');
    },
  },
  {
    type: 'npmrc-token',
    provider: 'npm',
    accept: /npm/,
    make(r) {
      const d = new Doc(r.pick(['.npmrc', 'packages/ui/.npmrc', 'ci/.npmrc']));
      d.add('registry=https://registry.npmjs.org/', 'save-exact=true');
      const v = r.int(0, 3);
      if (v === 0) {
        const t = crc('npm_')(r);
        d.pos({ value: t }, [`//registry.npmjs.org/:_authToken=${t}`]);
      } else if (v === 1) {
        const t = crc('ghp_')(r);
        d.add('@acme:registry=https://npm.pkg.github.com');
        d.pos({ value: t, accept: /npm|github/ }, [`//npm.pkg.github.com/:_authToken=${t}`]);
      } else if (v === 2) {
        const t = b64(r, 48);
        d.pos({ value: t }, [`//artifactory.corp.internal/artifactory/api/npm/npm-virtual/:_authToken=${t}`]);
      } else {
        const t = basicAuth('deploy', urlPassword(r));
        d.pos({ value: t }, [`_auth=${t}`]);
      }
      d.neg({ kind: 'npmrc-env-ref', value: '${NPM_TOKEN}' }, ['//registry.yarnpkg.com/:_authToken=${NPM_TOKEN}']);
      return d.add('always-auth=true');
    },
  },
  {
    type: 'pypirc-password',
    provider: 'pypi',
    accept: /pypi|python/,
    make(r) {
      const token = `pypi-AgEIcHlwaS5vcmcCJ${Buffer.from(r.bytes(120)).toString('base64url')}`;
      const d = new Doc(r.pick(['.pypirc', 'release/.pypirc']));
      d.add('[distutils]', 'index-servers =', '    pypi', '    internal', '', '[pypi]', 'username = __token__');
      d.pos({ value: token }, [`password = ${token}`]);
      const pw = urlPassword(r);
      d.add('', '[internal]', 'repository = https://nexus.corp.internal/repository/pypi-internal/', 'username = release-bot');
      d.pos({ value: pw, accept: /pypi|python|password|generic/ }, [`password = ${pw}`]);
      return d;
    },
  },
  {
    type: 'netrc-password',
    provider: 'netrc',
    accept: /netrc/,
    make(r) {
      const d = new Doc(r.pick(['.netrc', 'ci/netrc', '_netrc']));
      const v = r.int(0, 2);
      if (v === 0) {
        const key = r.uuid();
        d.pos({ value: key, accept: /netrc|heroku/ }, ['machine api.heroku.com', `  login ops@${r.str(LOWER, 6)}.io`, `  password ${key}`]);
      } else if (v === 1) {
        const t = crc('ghp_')(r);
        d.pos({ value: t, accept: /netrc|github/ }, [`machine github.com login ci-bot password ${t}`]);
      } else {
        const pw = urlPassword(r);
        d.pos({ value: pw }, [`machine artifacts.corp.internal login deploy password ${pw}`]);
      }
      return d;
    },
  },
  {
    type: 'terraformrc-token',
    provider: 'terraform',
    accept: /terraform|hashicorp|tfe/,
    make(r) {
      const t = `${r.alnum(14)}.atlasv1.${r.alnum(67)}`;
      if (r.chance(0.3)) {
        // The file `terraform login` writes.
        const d = new Doc(r.pick(['.terraform.d/credentials.tfrc.json', 'ci/credentials.tfrc.json']));
        d.add('{', '  "credentials": {', '    "app.terraform.io": {');
        return d.pos({ value: t }, [`      "token": "${t}"`]).add('    }', '  }', '}');
      }
      const d = new Doc(r.pick(['.terraformrc', 'terraform.rc']));
      d.add('credentials "app.terraform.io" {');
      d.pos({ value: t }, [`  token = "${t}"`]);
      return d.add('}');
    },
  },
];

const KEY_FILES = { 'rsa-pkcs1': 'id_rsa', 'rsa-pkcs1-encrypted': 'server-enc.key', pkcs8: 'tls.key', 'pkcs8-encrypted': 'signing.p8', ec: 'ec-p256.pem', dsa: 'legacy_dsa.key', openssh: 'id_ed25519', pgp: 'release-signing.asc', putty: 'deploy.ppk' };

/** A private key in a file of its own (`id_rsa`, `tls.key`, `deploy.ppk` …). */
export function keyFile(kind, r, keyType) {
  const d = new Doc(`${r.pick(['keys', 'secrets', 'deploy', '.ssh', 'certs'])}/${KEY_FILES[kind]}`);
  const lines = PRIVATE_KEYS[kind](r);
  return d.pos({ ...keyType, value: lines.find((l) => l.length >= 16 && !l.startsWith('-----')) }, lines);
}

export { Doc };
