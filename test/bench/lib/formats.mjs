// File formats a credential is embedded in, each rendering name/value entries (and multi-line blocks
// such as PEM keys) the way that kind of file really writes them, with ordinary lines around them.

// A leading underscore is part of a name (npm's _auth), not a word separator: camelCase and dotted
// names keep it. A run of underscores is one separator in a dotted name (FS__API_SECRET_KEY →
// fs.api.secret.key): no property name has an empty segment.
const snake = (n) => n.toLowerCase();
const camel = (n) => n.toLowerCase().replace(/(?!^)_([a-z0-9])/g, (_, c) => c.toUpperCase());
const pascal = (n) => camel(n).replace(/^./, (c) => c.toUpperCase());
const dotted = (n) => n.toLowerCase().replace(/(?!^)_+/g, '.');
const q = (v) => JSON.stringify(v);

function yamlScalar(v) {
  if (v === '') return '""';
  return /^[A-Za-z0-9/_.+-]/.test(v) && !/: |\s#|^[-?]\s/.test(v) ? v : q(v);
}

const CONFIG_FILLER = [['timeout', '30'], ['log_level', 'info'], ['region', 'us-east-1'], ['port', '8080'], ['retries', '3'], ['feature_flags', 'beta-dashboard'], ['max_connections', '100'], ['service_name', 'billing-api']];
const CODE_COMMENTS = ['retry with exponential backoff', 'keep in sync with the deploy pipeline', 'see ops runbook, section 4', 'TTL in seconds', 'used by the nightly export job', 'temporary until the migration is done'];

function pickFill(r) {
  return r.pick(CONFIG_FILLER);
}

/** A format: where such files live, how they start and end, and how one entry is written. */
export const FORMATS = {
  env: {
    paths: ['.env', '.env.production', 'deploy/.env.staging', 'services/api/.env.local', 'docker/.env'],
    header: () => ['# Runtime configuration', 'NODE_ENV=production'],
    entry: (n, v, r) => [r.pick([`${n}=${v}`, `${n}="${v}"`, `export ${n}=${v}`])],
    block: (n, lines) => [`${n}="${lines[0]}`, ...lines.slice(1, -1), `${lines[lines.length - 1]}"`],
    filler: (r) => { const [k, v] = pickFill(r); return [`${k.toUpperCase()}=${v}`]; },
  },
  sh: {
    paths: ['scripts/deploy.sh', 'bin/release.sh', 'ci/publish.sh', 'tools/sync-data.sh'],
    header: () => ['#!/usr/bin/env bash', 'set -euo pipefail', ''],
    entry: (n, v) => [`export ${n}="${v}"`],
    block: (n, lines) => [`${n}=$(cat <<'EOF'`, ...lines, 'EOF', ')'],
    filler: (r) => [r.pick(['echo "deploying $SERVICE"', 'curl -fsS "$HEALTH_URL" >/dev/null', 'make build', `# ${r.pick(CODE_COMMENTS)}`])],
    footer: () => ['./bin/run-migrations', 'echo done'],
  },
  yaml: {
    paths: ['config/settings.yaml', 'application.yml', 'config/production.yml', 'helm/values.yaml', 'conf/app.yaml'],
    header: () => ['# Application settings', 'app:', '  name: billing', '  environment: production', 'credentials:'],
    entry: (n, v) => [`  ${snake(n)}: ${yamlScalar(v)}`],
    block: (n, lines) => [`  ${snake(n)}: |`, ...lines.map((l) => `    ${l}`)],
    filler: (r) => { const [k, v] = pickFill(r); return [`  ${k}: ${v}`]; },
  },
  workflow: {
    paths: ['.github/workflows/deploy.yml', '.github/workflows/release.yaml', '.github/workflows/nightly.yml'],
    header: () => ['name: deploy', 'on:', '  push:', '    branches: [main]', 'env:'],
    entry: (n, v) => [`  ${n}: ${yamlScalar(v)}`],
    block: (n, lines) => [`  ${n}: |`, ...lines.map((l) => `    ${l}`)],
    filler: (r) => [`  ${r.pick(['AWS_REGION: us-east-1', 'NODE_VERSION: "20"', 'IMAGE_NAME: billing-api', 'FORCE_COLOR: "1"'])}`],
    footer: () => ['jobs:', '  deploy:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4', '      - run: ./scripts/deploy.sh'],
  },
  compose: {
    paths: ['docker-compose.yml', 'compose.yaml', 'deploy/docker-compose.prod.yml'],
    header: () => ['services:', '  api:', '    image: registry.internal/billing-api:1.8.2', '    ports: ["8080:8080"]', '    environment:'],
    entry: (n, v) => [`      ${n}: ${yamlScalar(v)}`],
    block: (n, lines) => [`      ${n}: |`, ...lines.map((l) => `        ${l}`)],
    filler: (r) => [`      ${r.pick(['LOG_LEVEL: info', 'PORT: "8080"', 'WORKERS: "4"', 'TZ: UTC'])}`],
    footer: () => ['  db:', '    image: postgres:16', '    volumes: [pgdata:/var/lib/postgresql/data]', 'volumes:', '  pgdata: {}'],
  },
  k8s: {
    paths: ['k8s/secret.yaml', 'deploy/k8s/app-secrets.yaml', 'manifests/credentials.yaml'],
    header: () => ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: app-credentials', '  namespace: prod', 'type: Opaque', 'stringData:'],
    entry: (n, v) => [`  ${n}: ${yamlScalar(v)}`],
    block: (n, lines) => [`  ${snake(n).replace(/_/g, '-')}: |`, ...lines.map((l) => `    ${l}`)],
    filler: () => [],
  },
  json: {
    paths: ['config/production.json', 'appsettings.json', 'secrets.json', 'config/default.json', 'settings.local.json'],
    header: () => ['{', '  "service": "billing-api",'],
    entry: (n, v, r) => [`  ${q(r.chance(0.5) ? camel(n) : n)}: ${q(v)},`],
    block: (n, lines) => [`  ${q(camel(n))}: ${q(lines.join('\n') + '\n')},`],
    filler: (r) => { const [k, v] = pickFill(r); return [`  ${q(camel(k))}: ${q(v)},`]; },
    footer: () => ['  "version": 3', '}'],
  },
  mcp: {
    paths: ['.mcp.json', '.cursor/mcp.json', '.vscode/mcp.json', 'claude_desktop_config.json', '.gemini/settings.json'],
    header: (r, path) => [
      '{',
      `  ${q(path.endsWith('.vscode/mcp.json') ? 'servers' : 'mcpServers')}: {`,
      `    ${q(r.pick(['github', 'stripe', 'postgres', 'slack', 'linear', 'internal-tools']))}: {`,
      '      "command": "npx",',
      `      "args": ["-y", ${q(r.pick(['@modelcontextprotocol/server-github@2025.4.8', '@stripe/mcp@0.2.4', 'mcp-remote@0.1.18', '@acme/internal-mcp@1.4.0']))}],`,
      '      "env": {',
    ],
    entry: (n, v) => [`        ${q(n)}: ${q(v)},`],
    block: (n, lines) => [`        ${q(n)}: ${q(lines.join('\n'))},`],
    filler: (r) => [`        ${q(r.pick(['LOG_LEVEL', 'MCP_TIMEOUT', 'NODE_OPTIONS']))}: ${q(r.pick(['info', '30000', '--max-old-space-size=512']))},`],
    footer: () => ['        "MCP_TRANSPORT": "stdio"', '      }', '    }', '  }', '}'],
  },
  ipynb: {
    paths: ['notebooks/analysis.ipynb', 'notebooks/train-model.ipynb', 'research/eval.ipynb'],
    header: () => ['{', ' "cells": [', '  {', '   "cell_type": "code",', '   "execution_count": 1,', '   "metadata": {},', '   "outputs": [],', '   "source": [', `    ${q('import os\n')},`],
    entry: (n, v, r, raw) => [`    ${q(raw ? `${n} = ${v}\n` : r.chance(0.5) ? `${n} = "${v}"\n` : `os.environ["${n}"] = "${v}"\n`)},`],
    block: (n, lines) => [`    ${q(`${n} = """${lines[0]}\n`)},`, ...lines.slice(1, -1).map((l) => `    ${q(l + '\n')},`), `    ${q(`${lines[lines.length - 1]}"""\n`)},`],
    filler: (r) => [`    ${q(r.pick(['df = load_frame("s3://analytics/events.parquet")\n', 'model.fit(X_train, y_train)\n', `# ${r.pick(CODE_COMMENTS)}\n`]))},`],
    footer: () => ['    "print(\\"ready\\")"', '   ]', '  }', ' ],', ' "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},', ' "nbformat": 4,', ' "nbformat_minor": 5', '}'],
  },
  tf: {
    paths: ['infra/main.tf', 'terraform/providers.tf', 'infra/modules/app/locals.tf', 'envs/prod/main.tf'],
    header: () => ['terraform {', '  required_version = ">= 1.6"', '}', '', 'locals {'],
    entry: (n, v) => [`  ${snake(n)} = ${q(v)}`],
    block: (n, lines) => [`  ${snake(n)} = <<-EOT`, ...lines.map((l) => `    ${l}`), '  EOT'],
    filler: (r) => { const [k, v] = pickFill(r); return [`  ${k} = ${q(v)}`]; },
    footer: () => ['}', '', 'resource "aws_s3_bucket" "logs" {', '  bucket = "acme-prod-logs"', '}'],
  },
  py: {
    paths: ['app/settings.py', 'src/config.py', 'scripts/backfill.py', 'service/clients.py'],
    header: () => ['import os', '', '# Service configuration'],
    entry: (n, v, r, raw) => [raw ? `${n} = ${v}` : r.pick([`${n} = "${v}"`, `${n} = '${v}'`, `os.environ.setdefault("${n}", "${v}")`])],
    block: (n, lines) => [`${n} = """${lines[0]}`, ...lines.slice(1, -1), `${lines[lines.length - 1]}"""`],
    filler: (r) => [r.pick(['DEBUG = False', 'ALLOWED_HOSTS = ["api.internal"]', `# ${r.pick(CODE_COMMENTS)}`, 'TIMEOUT_SECONDS = 30'])],
  },
  js: {
    paths: ['src/config.js', 'config/index.js', 'server/settings.js', 'lib/clients.cjs'],
    header: () => ["'use strict';", '', 'module.exports = {'],
    entry: (n, v, r, raw) => [raw ? `  ${camel(n)}: ${v},` : `  ${camel(n)}: ${r.chance(0.5) ? `'${v}'` : q(v)},`],
    block: (n, lines) => [`  ${camel(n)}: \`${lines[0]}`, ...lines.slice(1, -1), `${lines[lines.length - 1]}\`,`],
    filler: (r) => [r.pick(['  timeoutMs: 30000,', '  region: "us-east-1",', `  // ${r.pick(CODE_COMMENTS)}`, '  retries: 3,'])],
    footer: () => ['};'],
  },
  ts: {
    paths: ['src/env.ts', 'src/lib/secrets.ts', 'packages/api/src/config.ts'],
    header: () => ["import { createClient } from './client.js';", ''],
    entry: (n, v, r, raw) => [raw ? `export const ${n} = ${v} ?? '';` : `export const ${n}: string = ${r.chance(0.5) ? `'${v}'` : q(v)};`],
    block: (n, lines) => [`export const ${n} = \`${lines[0]}`, ...lines.slice(1, -1), `${lines[lines.length - 1]}\`;`],
    filler: (r) => [r.pick(['export const TIMEOUT_MS = 30_000;', `// ${r.pick(CODE_COMMENTS)}`, "export const REGION = 'us-east-1';"])],
    footer: () => ['', 'export const client = createClient({ timeoutMs: TIMEOUT_MS });'],
  },
  go: {
    paths: ['internal/config/config.go', 'cmd/server/secrets.go', 'pkg/clients/clients.go'],
    header: () => ['package config', '', 'import "time"', '', 'var ('],
    entry: (n, v) => [`\t${camel(n)} = ${q(v)}`],
    block: (n, lines) => [`\t${camel(n)} = \`${lines[0]}`, ...lines.slice(1, -1), `${lines[lines.length - 1]}\``],
    filler: (r) => [`\t${r.pick(['requestTimeout = 30 * time.Second', `// ${r.pick(CODE_COMMENTS)}`, 'maxRetries = 3'])}`],
    footer: () => [')'],
  },
  java: {
    paths: ['src/main/java/com/acme/billing/Config.java', 'src/main/java/com/acme/Secrets.java'],
    header: () => ['package com.acme.billing;', '', 'public final class Config {'],
    entry: (n, v) => [`    static final String ${n} = ${q(v)};`],
    block: (n, lines) => [`    static final String ${n} = """`, ...lines.map((l) => `        ${l}`), '        """;'],
    filler: (r) => [`    ${r.pick(['static final int TIMEOUT_MS = 30000;', `// ${r.pick(CODE_COMMENTS)}`, 'static final String REGION = "us-east-1";'])}`],
    footer: () => ['    private Config() {}', '}'],
  },
  rb: {
    paths: ['config/initializers/credentials.rb', 'lib/settings.rb'],
    header: () => ['# frozen_string_literal: true', '', 'module Settings'],
    entry: (n, v, r) => [r.chance(0.5) ? `  ${n} = '${v}'` : `  ENV['${n}'] ||= '${v}'`],
    block: (n, lines) => [`  ${n} = <<~KEY`, ...lines.map((l) => `    ${l}`), '  KEY'],
    filler: (r) => [`  ${r.pick(['TIMEOUT = 30', `# ${r.pick(CODE_COMMENTS)}`, "REGION = 'us-east-1'"])}`],
    footer: () => ['end'],
  },
  php: {
    paths: ['config/services.php', 'app/config.php'],
    header: () => ['<?php', '', 'return ['],
    entry: (n, v) => [`    '${snake(n)}' => '${v}',`],
    block: (n, lines) => [`    '${snake(n)}' => <<<KEY`, ...lines.map((l) => `    ${l}`), '    KEY,'],
    filler: (r) => [`    ${r.pick(["'timeout' => 30,", `// ${r.pick(CODE_COMMENTS)}`, "'region' => 'us-east-1',"])}`],
    footer: () => ['];'],
  },
  cs: {
    paths: ['src/Billing.Api/Secrets.cs', 'src/Shared/Settings.cs'],
    header: () => ['namespace Billing.Api;', '', 'public static class Secrets', '{'],
    entry: (n, v) => [`    public const string ${pascal(n)} = ${q(v)};`],
    block: (n, lines) => [`    public const string ${pascal(n)} = @"${lines[0]}`, ...lines.slice(1, -1), `${lines[lines.length - 1]}";`],
    filler: (r) => [`    ${r.pick(['public const int TimeoutMs = 30000;', `// ${r.pick(CODE_COMMENTS)}`])}`],
    footer: () => ['}'],
  },
  toml: {
    paths: ['config.toml', 'settings/prod.toml'],
    header: () => ['[service]', 'name = "billing"', '', '[credentials]'],
    entry: (n, v) => [`${snake(n)} = ${q(v)}`],
    block: (n, lines) => [`${snake(n)} = """`, ...lines, '"""'],
    filler: (r) => { const [k, v] = pickFill(r); return [`${k} = ${q(v)}`]; },
  },
  ini: {
    paths: ['.aws/credentials', 'config/app.ini', 'setup.cfg'],
    header: () => ['[default]'],
    entry: (n, v) => [`${snake(n)} = ${v}`],
    filler: (r) => { const [k, v] = pickFill(r); return [`${k} = ${v}`]; },
  },
  properties: {
    paths: ['src/main/resources/application.properties', 'conf/gradle.properties'],
    header: () => ['# Spring Boot settings', 'server.port=8080'],
    entry: (n, v) => [`${dotted(n)}=${v}`],
    filler: (r) => { const [k, v] = pickFill(r); return [`app.${k}=${v}`]; },
  },
  dockerfile: {
    paths: ['Dockerfile', 'docker/Dockerfile.prod'],
    header: () => ['FROM node:20-slim', 'WORKDIR /app', 'COPY package*.json ./'],
    entry: (n, v, r) => [r.chance(0.5) ? `ENV ${n}=${v}` : `ARG ${n}=${v}`],
    filler: () => ['RUN npm ci --omit=dev'],
    footer: () => ['COPY . .', 'CMD ["node", "server.js"]'],
  },
};

export const FORMAT_IDS = Object.keys(FORMATS);
export const BLOCK_FORMATS = FORMAT_IDS.filter((f) => FORMATS[f].block);
