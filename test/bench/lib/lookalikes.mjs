// Look-alikes that must not be reported: placeholders, references, hashes, identifiers, public
// material and broken tokens, each under a name that makes a careless rule want to fire.
import { certificate, pgpPublicKey, publicKeyPem, sshPublicKey } from './keys.mjs';
import { ALNUM, b64url, LOWER, UPPER } from './rng.mjs';
import { b64, crc } from './credentials.mjs';

const SECRET_NAMES = ['GITHUB_TOKEN', 'OPENAI_API_KEY', 'STRIPE_SECRET_KEY', 'DB_PASSWORD', 'AWS_SECRET_ACCESS_KEY', 'SLACK_BOT_TOKEN', 'API_KEY', 'CLIENT_SECRET', 'ANTHROPIC_API_KEY', 'DATADOG_API_KEY'];

/** A valid checksummed token with one character of its checksum changed. */
function breakChecksum(token, r) {
  const last = token[token.length - 1];
  let c = last;
  while (c === last) c = r.pick([...ALNUM]);
  return token.slice(0, -1) + c;
}

function pngBase64(r) {
  // A PNG header and random IDAT bytes: what inlined images look like.
  return Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), r.bytes(r.int(300, 900))]).toString('base64');
}

export const LOOKALIKES = [
  // Documentation values and placeholders
  { kind: 'aws-doc-example', gen: () => ({ kv: [['AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE'], ['AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']] }) },
  { kind: 'ghp-xxxx', gen: (r) => ({ kv: [['GITHUB_TOKEN', `ghp_${r.pick(['x', 'X'])}`.padEnd(40, r.pick(['x', 'X']))]] }) },
  { kind: 'x-placeholder', gen: (r) => ({ kv: [[r.pick(['STRIPE_SECRET_KEY', 'OPENAI_API_KEY', 'SLACK_BOT_TOKEN']), r.pick(['sk_live_xxxxxxxxxxxxxxxxxxxxxxxx', 'sk-proj-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', 'xoxb-xxxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx'])]] }) },
  { kind: 'env-interpolation', only: ['env', 'sh', 'compose', 'yaml', 'tf', 'mcp', 'workflow', 'k8s'], gen: (r) => { const n = r.pick(SECRET_NAMES); return { kv: [[n, `\${${n}}`]] }; } },
  { kind: 'actions-secret-ref', only: ['workflow'], gen: (r) => { const n = r.pick(SECRET_NAMES); return { kv: [[n, `\${{ secrets.${n} }}`]] }; } },
  { kind: 'process-env-ref', only: ['js', 'ts'], gen: (r) => { const n = r.pick(SECRET_NAMES); return { kv: [[n, `process.env.${n}`]], raw: true }; } },
  { kind: 'os-environ-ref', only: ['py', 'ipynb'], gen: (r) => { const n = r.pick(SECRET_NAMES); return { kv: [[n, r.pick([`os.environ["${n}"]`, `os.getenv("${n}")`, `os.environ.get("${n}")`])]], raw: true }; } },
  { kind: 'helm-template', only: ['yaml', 'k8s', 'compose', 'workflow'], gen: (r) => ({ kv: [[r.pick(SECRET_NAMES), `{{ .Values.${r.pick(['apiKey', 'auth.token', 'db.password', 'stripe.secretKey'])} }}`]] }) },
  { kind: 'angle-placeholder', gen: (r) => ({ kv: [[r.pick(SECRET_NAMES), r.pick(['<your-api-key>', '<YOUR_TOKEN>', '<token>', '<password>', '<client-secret>'])]] }) },
  { kind: 'changeme', gen: (r) => ({ kv: [[r.pick(SECRET_NAMES), r.pick(['changeme', 'CHANGE_ME', 'change-me-in-production', 'changeme123'])]] }) },
  { kind: 'redacted', gen: (r) => ({ kv: [[r.pick(SECRET_NAMES), r.pick(['REDACTED', '[REDACTED]', '<redacted>', 'redacted-by-ci'])]] }) },
  { kind: 'masked', gen: (r) => ({ kv: [[r.pick(SECRET_NAMES), r.pick(['****', '********************', 'ghp_****************************', 'sk-...a1b2'])]] }) },
  { kind: 'your-key-here', gen: (r) => ({ kv: [[r.pick(SECRET_NAMES), r.pick(['your_api_key_here', 'YOUR_SECRET_KEY', 'your-token-goes-here', 'insert-your-key'])]] }) },
  { kind: 'empty-or-null', gen: (r) => ({ kv: [[r.pick(SECRET_NAMES), r.pick(['', 'null', 'None', 'none', 'false', 'TBD'])]] }) },
  { kind: 'slack-webhook-doc', gen: () => ({ kv: [['SLACK_WEBHOOK_URL', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX']] }) },
  { kind: 'sops-encrypted', gen: (r) => ({ kv: [[r.pick(SECRET_NAMES), `ENC[AES256_GCM,data:${b64(r, 30)},iv:${b64(r, 32)},tag:${b64(r, 16)},type:str]`]] }) },
  { kind: 'secret-manager-ref', gen: (r) => ({ kv: [[r.pick(SECRET_NAMES), r.pick(['{{resolve:ssm-secure:/prod/api/key}}', 'vault:secret/data/app#password', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api-AbCdEf', 'op://Engineering/Stripe/credential'])]] }) },
  { kind: 'db-url-without-password', gen: (r) => ({ kv: [['DATABASE_URL', r.pick(['postgres://${DB_USER}:${DB_PASSWORD}@db:5432/app', 'mongodb://localhost:27017/app', 'redis://redis:6379/0', 'amqp://rabbitmq:5672', 'postgresql://app@db.internal:5432/orders'])]] }) },
  { kind: 'azurite-dev-key', gen: () => ({ kv: [['AZURE_STORAGE_CONNECTION_STRING', 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;']] }) },
  // Broken or truncated tokens
  { kind: 'github-wrong-checksum', gen: (r) => ({ kv: [['GITHUB_TOKEN', breakChecksum(crc(r.pick(['ghp_', 'gho_', 'ghs_']))(r), r)]] }) },
  { kind: 'npm-wrong-checksum', gen: (r) => ({ kv: [['NPM_TOKEN', breakChecksum(crc('npm_')(r), r)]] }) },
  { kind: 'truncated-token', gen: (r) => ({ kv: [[r.pick(['GITHUB_TOKEN', 'AWS_ACCESS_KEY_ID', 'SLACK_BOT_TOKEN']), r.pick([`ghp_${r.alnum(12)}`, `AKIA${r.str(UPPER, 9)}`, `xoxb-${r.digits(4)}`])]] }) },
  { kind: 'jwt-bad-header', gen: (r) => ({ kv: [['ACCESS_TOKEN', `eyJ${r.str(ALNUM, 30)}.eyJ${r.str(ALNUM, 60)}.${b64url(r.bytes(32))}`]] }) },
  // Hashes, identifiers, integrity strings
  { kind: 'sha256-hash', gen: (r) => ({ kv: [[r.pick(['PASSWORD_SHA256', 'token_sha256', 'SECRET_DIGEST', 'api_key_hash']), r.hex(64)]] }) },
  { kind: 'sha1-md5-hash', gen: (r) => ({ kv: [[r.pick(['password_hash', 'TOKEN_CHECKSUM', 'secret_md5', 'api_key_fingerprint']), r.hex(r.pick([32, 40]))]] }) },
  { kind: 'bcrypt-hash', gen: (r) => ({ kv: [[r.pick(['ADMIN_PASSWORD_HASH', 'password_digest']), `$2b$12$${r.str(ALNUM + './', 53)}`]] }) },
  { kind: 'uuid-identifier', gen: (r) => ({ kv: [[r.pick(['AZURE_TENANT_ID', 'AZURE_SUBSCRIPTION_ID', 'api_key_id', 'token_id', 'REQUEST_ID']), r.uuid()]] }) },
  { kind: 'git-sha', gen: (r) => ({ kv: [[r.pick(['GIT_COMMIT', 'secrets_revision', 'TOKEN_REPO_SHA', 'last_key_rotation_commit']), r.hex(40)]] }) },
  { kind: 'sri-integrity', only: ['json', 'yaml', 'js', 'ts'], gen: (r) => ({ kv: [[r.pick(['integrity', 'token_integrity', 'secret_bundle_integrity']), `${r.pick(['sha512', 'sha384'])}-${b64(r, 48)}`]] }) },
  { kind: 'base64-image', only: ['json', 'yaml', 'js', 'ts', 'py', 'ipynb'], gen: (r) => ({ kv: [[r.pick(['logo', 'avatar_token_image', 'secret_badge']), `data:image/png;base64,${pngBase64(r)}`]] }) },
  { kind: 'i18n-text', only: ['json', 'yaml', 'js', 'ts', 'properties'], gen: (r) => ({ kv: [[r.pick(['password', 'token_expired', 'secret_question', 'api_key_label', 'password_hint']), r.pick(['Mot de passe oublié ?', 'Your session token has expired, please sign in again', 'Geheime Frage auswählen', 'Clave de API de la cuenta', 'At least 12 characters including one digit'])]] }) },
  { kind: 'public-client-id', gen: (r) => ({ kv: [[r.pick(['GOOGLE_CLIENT_ID', 'OAUTH_CLIENT_ID']), `${r.digits(12)}-${r.str(LOWER + '0123456789', 32)}.apps.googleusercontent.com`]] }) },
  { kind: 'name-or-path-not-value', gen: (r) => ({ kv: [[r.pick(['TOKEN_HEADER', 'SECRET_KEY_NAME', 'API_KEY_ENV', 'PASSWORD_FILE']), r.pick(['X-API-Key', 'DJANGO_SECRET_KEY', 'OPENAI_API_KEY', '/run/secrets/db_password', '/var/run/secrets/kubernetes.io/serviceaccount/token'])]] }) },
  { kind: 'design-token', gen: (r) => ({ kv: [[r.pick(['token_color_primary', 'design_token_spacing', 'tokenizer_model']), r.pick(['#1a73e8', '16px', 'cl100k_base', 'gpt2-medium'])]] }) },
  { kind: 'ssh-public-key', gen: (r) => ({ kv: [[r.pick(['SSH_PUBLIC_KEY', 'deploy_key_pub', 'authorized_key']), sshPublicKey(r)]] }) },
  // jwt.io's documentation token, printed in countless READMEs and tests.
  { kind: 'jwt-io-example', gen: () => ({ kv: [['AUTH_TOKEN', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c']] }) },
  // Blocks: public keys and certificates
  { kind: 'certificate', gen: (r) => ({ name: 'TLS_CERTIFICATE', lines: certificate(r) }) },
  { kind: 'public-key-pem', gen: (r) => ({ name: 'JWT_PUBLIC_KEY', lines: publicKeyPem(r) }) },
  { kind: 'pgp-public-key', gen: (r) => ({ name: 'GPG_PUBLIC_KEY', lines: pgpPublicKey(r) }) },
  { kind: 'private-key-placeholder', gen: (r) => ({ name: 'TLS_PRIVATE_KEY', lines: r.pick([['-----BEGIN RSA PRIVATE KEY-----', '...', '-----END RSA PRIVATE KEY-----'], ['-----BEGIN PRIVATE KEY-----', '<your private key here>', '-----END PRIVATE KEY-----'], ['-----BEGIN OPENSSH PRIVATE KEY-----', 'REDACTED', '-----END OPENSSH PRIVATE KEY-----']]) }) },
];
