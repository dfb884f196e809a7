// Generators of fake credentials in each provider's real format (prefixes, lengths, alphabets,
// checksums), written from the providers' documented formats, not from the rules' examples.
// A positive yields name/value pairs (`kv`) that file renderers embed, or whole `lines`.
import { tokenWithCrc32 } from '../../../dist/detect/validators.js';
import { jwt, PRIVATE_KEYS } from './keys.mjs';
import { ALNUM, B64, BASE32, b64url, DIGITS, LOWER, UPPER } from './rng.mjs';

const A_ = ALNUM + '-_';
const b64 = (r, nBytes) => r.bytes(nBytes).toString('base64');
const crc = (prefix) => (r) => tokenWithCrc32(prefix, r.alnum(30));
const now = 1735689600; // 2025-01-01, fixed for reproducibility

function awsSecret(r) {
  return r.str(UPPER + LOWER + DIGITS + '/+', 40);
}

function urlPassword(r) {
  return r.str(ALNUM, r.int(8, 14)) + r.pick(['-', '_', '.', '~', '']) + r.str(ALNUM, r.int(6, 12));
}

function slackId(r, p, n) {
  return p + r.str(UPPER + DIGITS, n);
}

/**
 * Positive credential types. `accept` is tested against "<provider group>/<rule id>" of a finding:
 * any rule of the provider counts (the finding records which).
 */
export const POSITIVES = [
  // AWS
  { type: 'aws-access-key-pair', provider: 'aws', accept: /aws/, gen: (r) => ({ kv: [['AWS_ACCESS_KEY_ID', `AKIA${r.str(BASE32, 16)}`], ['AWS_SECRET_ACCESS_KEY', awsSecret(r)]] }) },
  {
    type: 'aws-session-credentials',
    provider: 'aws',
    accept: /aws/,
    gen: (r) => ({
      kv: [
        ['AWS_ACCESS_KEY_ID', `ASIA${r.str(BASE32, 16)}`],
        ['AWS_SECRET_ACCESS_KEY', awsSecret(r)],
        ['AWS_SESSION_TOKEN', `IQoJb3JpZ2luX2Vj${r.str(B64, 3)}//////////wEaCXVzLWVhc3QtMSJHMEUCIQ${r.str(B64, r.int(300, 420))}`],
      ],
    }),
  },
  // GitHub
  { type: 'github-classic-pat', provider: 'github', accept: /github/, gen: (r) => ({ kv: [[r.pick(['GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_PERSONAL_ACCESS_TOKEN']), crc('ghp_')(r)]] }) },
  { type: 'github-fine-grained-pat', provider: 'github', accept: /github/, gen: (r) => ({ kv: [['GITHUB_PAT', `github_pat_11${r.str(UPPER + DIGITS, 9)}${r.alnum(11)}_${r.alnum(59)}`]] }) },
  { type: 'github-oauth-token', provider: 'github', accept: /github/, gen: (r) => ({ kv: [['GITHUB_OAUTH_TOKEN', crc('gho_')(r)]] }) },
  { type: 'github-user-to-server', provider: 'github', accept: /github/, gen: (r) => ({ kv: [['GITHUB_USER_TOKEN', crc('ghu_')(r)]] }) },
  { type: 'github-app-installation', provider: 'github', accept: /github/, gen: (r) => ({ kv: [['GITHUB_APP_INSTALLATION_TOKEN', crc('ghs_')(r)]] }) },
  { type: 'github-refresh-token', provider: 'github', accept: /github/, gen: (r) => ({ kv: [['GITHUB_REFRESH_TOKEN', crc('ghr_')(r)]] }) },
  // GitLab, Bitbucket, Atlassian
  { type: 'gitlab-pat', provider: 'gitlab', accept: /gitlab/, gen: (r) => ({ kv: [[r.pick(['GITLAB_TOKEN', 'GITLAB_PRIVATE_TOKEN', 'CI_JOB_PAT']), `glpat-${r.str(A_, 20)}`]] }) },
  { type: 'gitlab-runner-token', provider: 'gitlab', accept: /gitlab/, gen: (r) => ({ kv: [['GITLAB_RUNNER_TOKEN', `glrt-${r.str(A_, 20)}`]] }) },
  { type: 'gitlab-deploy-token', provider: 'gitlab', accept: /gitlab/, gen: (r) => ({ kv: [['GITLAB_DEPLOY_TOKEN', `gldt-${r.str(A_, 20)}`]] }) },
  { type: 'gitlab-trigger-token', provider: 'gitlab', accept: /gitlab/, gen: (r) => ({ kv: [['GITLAB_TRIGGER_TOKEN', `glptt-${r.hex(40)}`]] }) },
  { type: 'bitbucket-app-password', provider: 'bitbucket', accept: /bitbucket|atlassian/, gen: (r) => ({ kv: [['BITBUCKET_APP_PASSWORD', `ATBB${r.alnum(24)}${r.hex(8).toUpperCase()}`]] }) },
  {
    type: 'bitbucket-oauth-secret',
    provider: 'bitbucket',
    accept: /bitbucket/,
    gen: (r) => ({ kv: [['BITBUCKET_CLIENT_ID', r.alnum(18)], ['BITBUCKET_CLIENT_SECRET', r.alnum(32)]] }),
  },
  { type: 'atlassian-api-token', provider: 'atlassian', accept: /atlassian|jira|confluence/, gen: (r) => ({ kv: [[r.pick(['JIRA_API_TOKEN', 'ATLASSIAN_API_TOKEN', 'CONFLUENCE_API_TOKEN']), `ATATT3xFfGF0${r.str(A_, 171)}=${r.hex(8).toUpperCase()}`]] }) },
  // Slack
  { type: 'slack-bot-token', provider: 'slack', accept: /slack/, gen: (r) => ({ kv: [['SLACK_BOT_TOKEN', `xoxb-${r.digits(12)}-${r.digits(13)}-${r.alnum(24)}`]] }) },
  { type: 'slack-user-token', provider: 'slack', accept: /slack/, gen: (r) => ({ kv: [['SLACK_USER_TOKEN', `xoxp-${r.digits(12)}-${r.digits(12)}-${r.digits(13)}-${r.hex(32)}`]] }) },
  { type: 'slack-app-token', provider: 'slack', accept: /slack/, gen: (r) => ({ kv: [['SLACK_APP_TOKEN', `xapp-1-${slackId(r, 'A', 10)}-${r.digits(13)}-${r.hex(64)}`]] }) },
  { type: 'slack-webhook', provider: 'slack', accept: /slack/, gen: (r) => ({ kv: [['SLACK_WEBHOOK_URL', `https://hooks.slack.com/services/${slackId(r, 'T', 8)}/${slackId(r, 'B', 10)}/${r.alnum(24)}`]] }) },
  // Stripe
  { type: 'stripe-secret-key', provider: 'stripe', accept: /stripe/, gen: (r) => ({ kv: [['STRIPE_SECRET_KEY', r.chance(0.5) ? `sk_live_51${r.alnum(97)}` : `sk_live_${r.alnum(24)}`]] }) },
  { type: 'stripe-restricted-key', provider: 'stripe', accept: /stripe/, gen: (r) => ({ kv: [['STRIPE_RESTRICTED_KEY', `rk_live_51${r.alnum(97)}`]] }) },
  { type: 'stripe-webhook-secret', provider: 'stripe', accept: /stripe/, gen: (r) => ({ kv: [['STRIPE_WEBHOOK_SECRET', `whsec_${r.alnum(32)}`]] }) },
  // Google
  { type: 'google-api-key', provider: 'google', accept: /google|gcp|firebase/, gen: (r) => ({ kv: [[r.pick(['GOOGLE_API_KEY', 'GOOGLE_MAPS_API_KEY', 'YOUTUBE_API_KEY']), `AIza${r.str(A_, 35)}`]] }) },
  { type: 'google-oauth-client-secret', provider: 'google', accept: /google|gcp/, gen: (r) => ({ kv: [['GOOGLE_CLIENT_ID', `${r.digits(12)}-${r.str(LOWER + DIGITS, 32)}.apps.googleusercontent.com`], ['GOOGLE_CLIENT_SECRET', `GOCSPX-${r.str(A_, 28)}`]] }) },
  // Azure
  {
    type: 'azure-storage-connection-string',
    provider: 'azure',
    accept: /azure/,
    gen: (r) => ({ kv: [['AZURE_STORAGE_CONNECTION_STRING', `DefaultEndpointsProtocol=https;AccountName=${r.str(LOWER, 6)}prod${r.digits(2)};AccountKey=${b64(r, 64)};EndpointSuffix=core.windows.net`]] }),
  },
  { type: 'azure-storage-key', provider: 'azure', accept: /azure/, gen: (r) => ({ kv: [['AZURE_STORAGE_ACCOUNT', `${r.str(LOWER, 7)}store`], ['AZURE_STORAGE_KEY', b64(r, 64)]] }) },
  {
    type: 'azure-sas-token',
    provider: 'azure',
    accept: /azure/,
    gen: (r) => ({
      kv: [['AZURE_BLOB_SAS_URL', `https://${r.str(LOWER, 8)}.blob.core.windows.net/backups?sv=2022-11-02&ss=b&srt=sco&sp=rwdlacx&se=2026-06-30T18:00:00Z&st=2025-01-01T10:00:00Z&spr=https&sig=${encodeURIComponent(b64(r, 32))}`]],
    }),
  },
  { type: 'azure-client-secret', provider: 'azure', accept: /azure|entra/, gen: (r) => ({ kv: [['AZURE_CLIENT_ID', r.uuid()], ['AZURE_CLIENT_SECRET', `${r.str(ALNUM, 3)}${r.pick(['7Q~', '8Q~'])}${r.str(ALNUM + '_~.-', 34)}`]] }) },
  {
    type: 'azure-service-bus-connection-string',
    provider: 'azure',
    accept: /azure/,
    gen: (r) => ({ kv: [['SERVICEBUS_CONNECTION_STRING', `Endpoint=sb://${r.str(LOWER, 8)}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${b64(r, 32)}`]] }),
  },
  { type: 'azure-cosmosdb-key', provider: 'azure', accept: /azure|cosmos/, gen: (r) => ({ kv: [['COSMOS_CONNECTION_STRING', `AccountEndpoint=https://${r.str(LOWER, 8)}.documents.azure.com:443/;AccountKey=${b64(r, 64)};`]] }) },
  // AI providers
  { type: 'openai-project-key', provider: 'openai', accept: /openai/, gen: (r) => ({ kv: [['OPENAI_API_KEY', `sk-proj-${r.str(A_, 74)}T3BlbkFJ${r.str(A_, 74)}`]] }) },
  { type: 'openai-legacy-key', provider: 'openai', accept: /openai/, gen: (r) => ({ kv: [['OPENAI_API_KEY', `sk-${r.alnum(20)}T3BlbkFJ${r.alnum(20)}`]] }) },
  { type: 'openai-service-account-key', provider: 'openai', accept: /openai/, gen: (r) => ({ kv: [['OPENAI_API_KEY', `sk-svcacct-${r.str(A_, 74)}T3BlbkFJ${r.str(A_, 74)}`]] }) },
  { type: 'anthropic-api-key', provider: 'anthropic', accept: /anthropic|claude/, gen: (r) => ({ kv: [['ANTHROPIC_API_KEY', `sk-ant-api03-${r.str(A_, 93)}AA`]] }) },
  { type: 'anthropic-admin-key', provider: 'anthropic', accept: /anthropic|claude/, gen: (r) => ({ kv: [['ANTHROPIC_ADMIN_KEY', `sk-ant-admin01-${r.str(A_, 93)}AA`]] }) },
  { type: 'huggingface-token', provider: 'huggingface', accept: /hugging|hf-/, gen: (r) => ({ kv: [[r.pick(['HF_TOKEN', 'HUGGINGFACEHUB_API_TOKEN', 'HUGGING_FACE_HUB_TOKEN']), `hf_${r.str(UPPER + LOWER, 34)}`]] }) },
  { type: 'cohere-api-key', provider: 'cohere', accept: /cohere/, gen: (r) => ({ kv: [[r.pick(['COHERE_API_KEY', 'CO_API_KEY']), r.alnum(40)]] }) },
  { type: 'mistral-api-key', provider: 'mistral', accept: /mistral/, gen: (r) => ({ kv: [['MISTRAL_API_KEY', r.alnum(32)]] }) },
  { type: 'groq-api-key', provider: 'groq', accept: /groq/, gen: (r) => ({ kv: [['GROQ_API_KEY', `gsk_${r.alnum(52)}`]] }) },
  { type: 'replicate-api-token', provider: 'replicate', accept: /replicate/, gen: (r) => ({ kv: [['REPLICATE_API_TOKEN', `r8_${r.alnum(37)}`]] }) },
  // Package registries
  { type: 'npm-token', provider: 'npm', accept: /npm/, gen: (r) => ({ kv: [[r.pick(['NPM_TOKEN', 'NODE_AUTH_TOKEN']), crc('npm_')(r)]] }) },
  { type: 'pypi-token', provider: 'pypi', accept: /pypi|python/, gen: (r) => ({ kv: [[r.pick(['PYPI_API_TOKEN', 'TWINE_PASSWORD']), `pypi-AgEIcHlwaS5vcmcCJ${b64url(r.bytes(r.int(110, 140)))}`]] }) },
  { type: 'rubygems-api-key', provider: 'rubygems', accept: /rubygems|gem/, gen: (r) => ({ kv: [['GEM_HOST_API_KEY', `rubygems_${r.hex(48)}`]] }) },
  { type: 'nuget-api-key', provider: 'nuget', accept: /nuget/, gen: (r) => ({ kv: [['NUGET_API_KEY', `oy2${r.str(LOWER + DIGITS, 43)}`]] }) },
  { type: 'dockerhub-pat', provider: 'docker', accept: /docker/, gen: (r) => ({ kv: [['DOCKERHUB_TOKEN', `dckr_pat_${r.str(A_, 27)}`]] }) },
  // Messaging and email
  { type: 'twilio-auth-token', provider: 'twilio', accept: /twilio/, gen: (r) => ({ kv: [['TWILIO_ACCOUNT_SID', `AC${r.hex(32)}`], ['TWILIO_AUTH_TOKEN', r.hex(32)]] }) },
  { type: 'twilio-api-key', provider: 'twilio', accept: /twilio/, gen: (r) => ({ kv: [['TWILIO_API_KEY', `SK${r.hex(32)}`], ['TWILIO_API_SECRET', r.alnum(32)]] }) },
  { type: 'sendgrid-api-key', provider: 'sendgrid', accept: /sendgrid/, gen: (r) => ({ kv: [['SENDGRID_API_KEY', `SG.${r.str(A_, 22)}.${r.str(A_, 43)}`]] }) },
  { type: 'mailgun-api-key', provider: 'mailgun', accept: /mailgun/, gen: (r) => ({ kv: [['MAILGUN_API_KEY', r.chance(0.5) ? `key-${r.hex(32)}` : `${r.hex(32)}-${r.hex(8)}-${r.hex(8)}`]] }) },
  { type: 'mailchimp-api-key', provider: 'mailchimp', accept: /mailchimp/, gen: (r) => ({ kv: [['MAILCHIMP_API_KEY', `${r.hex(32)}-us${r.int(1, 21)}`]] }) },
  { type: 'telegram-bot-token', provider: 'telegram', accept: /telegram/, gen: (r) => ({ kv: [['TELEGRAM_BOT_TOKEN', `${r.digits(10)}:AA${r.str(A_, 33)}`]] }) },
  {
    type: 'discord-bot-token',
    provider: 'discord',
    accept: /discord/,
    gen: (r) => ({ kv: [['DISCORD_BOT_TOKEN', `${b64url(Buffer.from(r.digits(19)))}.${r.str(A_, 6)}.${r.str(A_, 38)}`]] }),
  },
  { type: 'discord-webhook', provider: 'discord', accept: /discord/, gen: (r) => ({ kv: [['DISCORD_WEBHOOK_URL', `https://discord.com/api/webhooks/${r.digits(19)}/${r.str(A_, 68)}`]] }) },
  // Developer platforms
  { type: 'shopify-access-token', provider: 'shopify', accept: /shopify/, gen: (r) => ({ kv: [['SHOPIFY_ACCESS_TOKEN', `${r.pick(['shpat_', 'shpca_', 'shppa_'])}${r.hex(32)}`]] }) },
  { type: 'shopify-shared-secret', provider: 'shopify', accept: /shopify/, gen: (r) => ({ kv: [['SHOPIFY_API_SECRET', `shpss_${r.hex(32)}`]] }) },
  { type: 'digitalocean-token', provider: 'digitalocean', accept: /digitalocean|(^|\/)do-/, gen: (r) => ({ kv: [[r.pick(['DIGITALOCEAN_ACCESS_TOKEN', 'DO_TOKEN']), `${r.pick(['dop_v1_', 'doo_v1_', 'dor_v1_'])}${r.hex(64)}`]] }) },
  { type: 'databricks-token', provider: 'databricks', accept: /databricks/, gen: (r) => ({ kv: [['DATABRICKS_HOST', `https://adb-${r.digits(16)}.${r.int(1, 19)}.azuredatabricks.net`], ['DATABRICKS_TOKEN', `dapi${r.hex(32)}${r.chance(0.3) ? '-2' : ''}`]] }) },
  { type: 'linear-api-key', provider: 'linear', accept: /linear/, gen: (r) => ({ kv: [['LINEAR_API_KEY', `lin_api_${r.alnum(40)}`]] }) },
  { type: 'notion-token', provider: 'notion', accept: /notion/, gen: (r) => ({ kv: [['NOTION_TOKEN', r.chance(0.5) ? `ntn_${r.digits(11)}${r.alnum(35)}` : `secret_${r.alnum(43)}`]] }) },
  { type: 'vault-token', provider: 'vault', accept: /vault|hashicorp/, gen: (r) => ({ kv: [['VAULT_TOKEN', r.chance(0.7) ? `hvs.${r.str(A_, 91)}` : `hvb.${r.str(A_, 138)}`]] }) },
  { type: 'terraform-cloud-token', provider: 'terraform', accept: /terraform|hashicorp|tfe/, gen: (r) => ({ kv: [[r.pick(['TF_TOKEN_app_terraform_io', 'TFE_TOKEN', 'TF_API_TOKEN']), `${r.alnum(14)}.atlasv1.${r.alnum(67)}`]] }) },
  { type: 'pulumi-token', provider: 'pulumi', accept: /pulumi/, gen: (r) => ({ kv: [['PULUMI_ACCESS_TOKEN', `pul-${r.hex(40)}`]] }) },
  { type: 'postman-api-key', provider: 'postman', accept: /postman/, gen: (r) => ({ kv: [['POSTMAN_API_KEY', `PMAK-${r.hex(24)}-${r.hex(34)}`]] }) },
  // Observability
  {
    type: 'grafana-cloud-token',
    provider: 'grafana',
    accept: /grafana/,
    gen: (r) => ({ kv: [['GRAFANA_CLOUD_TOKEN', `glc_${Buffer.from(JSON.stringify({ o: r.digits(6), n: `stack-${r.digits(6)}-hm-write-ci`, k: r.alnum(24), m: { r: 'prod-us-east-0' } })).toString('base64')}`]] }),
  },
  { type: 'grafana-service-account-token', provider: 'grafana', accept: /grafana/, gen: (r) => ({ kv: [['GRAFANA_SERVICE_ACCOUNT_TOKEN', `glsa_${r.alnum(32)}_${r.hex(8)}`]] }) },
  { type: 'newrelic-user-key', provider: 'newrelic', accept: /new-?relic/, gen: (r) => ({ kv: [['NEW_RELIC_API_KEY', `NRAK-${r.str(UPPER + DIGITS, 27)}`]] }) },
  { type: 'newrelic-license-key', provider: 'newrelic', accept: /new-?relic/, gen: (r) => ({ kv: [['NEW_RELIC_LICENSE_KEY', `${r.hex(36)}NRAL`]] }) },
  { type: 'datadog-api-key', provider: 'datadog', accept: /datadog/, gen: (r) => ({ kv: [[r.pick(['DD_API_KEY', 'DATADOG_API_KEY']), r.hex(32)]] }) },
  { type: 'datadog-app-key', provider: 'datadog', accept: /datadog/, gen: (r) => ({ kv: [[r.pick(['DD_APP_KEY', 'DATADOG_APP_KEY']), r.hex(40)]] }) },
  {
    type: 'sentry-auth-token',
    provider: 'sentry',
    accept: /sentry/,
    gen: (r) => ({
      kv: [
        [
          'SENTRY_AUTH_TOKEN',
          r.chance(0.5)
            ? `sntryu_${r.hex(64)}`
            : `sntrys_${Buffer.from(JSON.stringify({ iat: now + r.int(0, 9e6), url: 'https://sentry.io', region_url: 'https://us.sentry.io', org: `acme-${r.str(LOWER, 4)}` })).toString('base64').replace(/=+$/, '')}_${r.str(ALNUM + '/+', 43)}`,
        ],
      ],
    }),
  },
  // Hosting and edge
  { type: 'supabase-access-token', provider: 'supabase', accept: /supabase/, gen: (r) => ({ kv: [['SUPABASE_ACCESS_TOKEN', `sbp_${r.hex(40)}`]] }) },
  { type: 'supabase-secret-key', provider: 'supabase', accept: /supabase/, gen: (r) => ({ kv: [['SUPABASE_SECRET_KEY', `sb_secret_${r.str(A_, 31)}`]] }) },
  {
    type: 'supabase-service-role-jwt',
    provider: 'supabase',
    accept: /supabase|jwt/,
    gen: (r) => ({ kv: [['SUPABASE_SERVICE_ROLE_KEY', jwt(r, { iss: 'supabase', ref: r.str(LOWER, 20), role: 'service_role', iat: now, exp: now + 315360000 })]] }),
  },
  { type: 'vercel-token', provider: 'vercel', accept: /vercel/, gen: (r) => ({ kv: [['VERCEL_TOKEN', r.alnum(24)]] }) },
  { type: 'netlify-token', provider: 'netlify', accept: /netlify/, gen: (r) => ({ kv: [['NETLIFY_AUTH_TOKEN', r.chance(0.6) ? `nfp_${r.alnum(36)}` : r.str(A_, 43)]] }) },
  { type: 'cloudflare-api-token', provider: 'cloudflare', accept: /cloudflare/, gen: (r) => ({ kv: [[r.pick(['CLOUDFLARE_API_TOKEN', 'CF_API_TOKEN']), r.str(A_, 40)]] }) },
  { type: 'cloudflare-global-api-key', provider: 'cloudflare', accept: /cloudflare/, gen: (r) => ({ kv: [['CLOUDFLARE_EMAIL', `ops@${r.str(LOWER, 6)}.io`], [r.pick(['CLOUDFLARE_API_KEY', 'CF_API_KEY']), r.hex(37)]] }) },
  { type: 'cloudflare-origin-ca-key', provider: 'cloudflare', accept: /cloudflare/, gen: (r) => ({ kv: [['CLOUDFLARE_ORIGIN_CA_KEY', `v1.0-${r.hex(24)}-${r.hex(146)}`]] }) },
  { type: 'heroku-api-key', provider: 'heroku', accept: /heroku/, gen: (r) => ({ kv: [['HEROKU_API_KEY', r.chance(0.5) ? r.uuid() : `HRKU-AA${r.str(A_, 58)}`]] }) },
  { type: 'fastly-api-token', provider: 'fastly', accept: /fastly/, gen: (r) => ({ kv: [['FASTLY_API_TOKEN', r.str(A_, 32)]] }) },
  { type: 'doppler-token', provider: 'doppler', accept: /doppler/, gen: (r) => ({ kv: [['DOPPLER_TOKEN', r.chance(0.5) ? `dp.st.${r.pick(['prd', 'dev', 'stg'])}.${r.alnum(40)}` : `dp.${r.pick(['pt', 'sa', 'ct'])}.${r.alnum(43)}`]] }) },
  {
    type: 'onepassword-service-account',
    provider: '1password',
    accept: /1password|onepassword|op-/,
    gen: (r) => ({
      kv: [
        [
          'OP_SERVICE_ACCOUNT_TOKEN',
          `ops_${(
            Buffer.from(
              JSON.stringify({
                signInAddress: 'my.1password.com',
                userAuth: { method: 'SRPg-4096', alg: 'PBES2g-HS256', iterations: 650000, salt: b64url(r.bytes(16)) },
                email: `${r.str(LOWER, 12)}@1passwordserviceaccounts.com`,
                srpX: r.hex(64),
                muk: { alg: 'A256GCM', ext: true, k: b64url(r.bytes(32)), key_ops: ['encrypt', 'decrypt'], kty: 'oct', kid: 'mp' },
                secretKey: `A3-${r.str(UPPER + DIGITS, 6)}-${r.str(UPPER + DIGITS, 6)}-${r.str(UPPER + DIGITS, 5)}-${r.str(UPPER + DIGITS, 5)}-${r.str(UPPER + DIGITS, 5)}-${r.str(UPPER + DIGITS, 5)}`,
                throttleSecret: { seed: r.hex(64), uuid: r.str(UPPER + DIGITS, 26) },
                deviceUuid: r.str(LOWER + DIGITS, 26),
              }),
            ).toString('base64')
          )}`,
        ],
      ],
    }),
  },
  // Identity
  { type: 'okta-api-token', provider: 'okta', accept: /okta/, gen: (r) => ({ kv: [['OKTA_ORG_URL', `https://${r.str(LOWER, 6)}.okta.com`], ['OKTA_API_TOKEN', `00${r.str(A_, 40)}`]] }) },
  { type: 'auth0-client-secret', provider: 'auth0', accept: /auth0/, gen: (r) => ({ kv: [['AUTH0_DOMAIN', `${r.str(LOWER, 6)}.us.auth0.com`], ['AUTH0_CLIENT_ID', r.alnum(32)], ['AUTH0_CLIENT_SECRET', r.str(A_, 64)]] }) },
  {
    type: 'jwt',
    provider: 'jwt',
    accept: /jwt/,
    gen: (r) => ({
      kv: [[r.pick(['ACCESS_TOKEN', 'API_JWT', 'SERVICE_BEARER_TOKEN']), jwt(r, { sub: `svc-${r.str(LOWER, 6)}`, aud: 'api.internal', scope: 'read write', iat: now, exp: now + 86400 * 365 }, r.pick(['HS256', 'RS256']))]],
    }),
  },
  // Databases and brokers
  { type: 'postgres-url', provider: 'database', accept: /postgres|database|connection|db-|-url|uri/, gen: (r) => ({ kv: [['DATABASE_URL', `${r.pick(['postgres', 'postgresql'])}://app_${r.str(LOWER, 4)}:${urlPassword(r)}@db-${r.int(1, 9)}.internal:5432/orders`]] }) },
  { type: 'mysql-url', provider: 'database', accept: /mysql|database|connection|db-|-url|uri/, gen: (r) => ({ kv: [['MYSQL_URL', `mysql://svc_${r.str(LOWER, 5)}:${urlPassword(r)}@mysql.prod.internal:3306/shop`]] }) },
  { type: 'mongodb-url', provider: 'database', accept: /mongo|database|connection|db-|-url|uri/, gen: (r) => ({ kv: [['MONGODB_URI', `mongodb+srv://${r.str(LOWER, 6)}:${urlPassword(r)}@cluster0.${r.str(LOWER + DIGITS, 5)}.mongodb.net/app?retryWrites=true&w=majority`]] }) },
  { type: 'redis-url', provider: 'database', accept: /redis|database|connection|db-|-url|uri/, gen: (r) => ({ kv: [['REDIS_URL', r.chance(0.5) ? `redis://:${urlPassword(r)}@cache.internal:6379/0` : `rediss://default:${urlPassword(r)}@redis-${r.digits(5)}.c1.us-east-1-2.ec2.cloud.redislabs.com:6380`]] }) },
  { type: 'amqp-url', provider: 'database', accept: /amqp|rabbit|broker|connection|-url|uri/, gen: (r) => ({ kv: [['AMQP_URL', `${r.pick(['amqp', 'amqps'])}://orders:${urlPassword(r)}@rabbitmq.internal:5672/prod`]] }) },
  {
    type: 'snowflake-password',
    provider: 'snowflake',
    accept: /snowflake|generic/,
    gen: (r) => ({ kv: [['SNOWFLAKE_ACCOUNT', `${r.str(LOWER, 2)}${r.digits(5)}.us-east-1`], ['SNOWFLAKE_USER', 'ETL_SERVICE'], ['SNOWFLAKE_PASSWORD', `${r.str(ALNUM, 10)}${r.pick(['!', '#', '%', '^'])}${r.str(ALNUM, 8)}`]] }),
  },
  // Generic high-entropy values assigned to secret-like names
  {
    type: 'generic-assignment',
    provider: 'generic',
    accept: /./,
    gen: (r) => ({
      kv: [[r.pick(['DB_PASSWORD', 'CLIENT_SECRET', 'API_KEY', 'SECRET_KEY', 'JWT_SECRET', 'SESSION_SECRET', 'ADMIN_PASSWORD', 'WEBHOOK_SECRET', 'ENCRYPTION_KEY', 'SMTP_PASSWORD']), r.chance(0.5) ? r.str(A_, r.int(24, 40)) : `${r.str(ALNUM, 12)}${r.pick(['!', '@', '#', '$', '%'])}${r.str(ALNUM, 10)}`]],
    }),
  },
];

/** Private key formats, embedded as whole files or blocks by the documents generator. */
export const KEY_TYPES = Object.keys(PRIVATE_KEYS).map((kind) => ({ type: `private-key-${kind}`, provider: 'private-key', accept: /private|ssh|pgp|putty|pkcs|pem|(^|\/)key/, kind }));

export { b64, crc, now, urlPassword };
