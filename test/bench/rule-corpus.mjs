// The rule corpus: every secret rule's credential type planted with NEW values generated from the rule's
// own examples (lib/mutate.mjs), in realistic files of 26 formats, the same value in several places
// and some only in git history; and at least as many look-alikes (placeholder and documentation
// variants of those values, analytics ids, hashes, UUIDs, integrity strings, base64 of plain data,
// identifiers, and the labeled corpus's look-alike kinds) that must not be reported. The corpus is a
// git repository; the manifest says where each label is (path, lines, and commit for history-only).
// Alone: `node test/bench/rule-corpus.mjs DIR [--seed N]` (after `npm run build`) writes the corpus
// to DIR and its manifest to DIR.manifest.json. `--seed N` (default 1; see ruleCorpusSeed) picks
// another corpus of the same shape: every value, name and file layout changes, so a result that
// holds only by chance on seed 1 shows up on the others (the bench's --seed passes it through).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSecretRules } from '../../dist/rules/catalog.js';
import { EXTRA_FORMATS } from './lib/extra-formats.mjs';
import { FORMATS } from './lib/formats.mjs';
import { LOOKALIKES } from './lib/lookalikes.mjs';
import { newValue, soloScanner } from './lib/mutate.mjs';
import { ALNUM, b64url, DIGITS, LOWER, Rng, UPPER } from './lib/rng.mjs';

const ALL_FORMATS = { ...FORMATS, ...EXTRA_FORMATS };
const KV_FORMATS = Object.keys(ALL_FORMATS);

/** An example written as `NAME <op> value` on one line: the name, and the value as the line writes it. */
const KV = /^(\s*(?:export\s+|ENV\s+|ARG\s+|set\s+|\$env:)?)(["']?)([A-Za-z_][\w.-]{0,80})\2\s*(?::=|\?=|=>|=|:)\s*/;

function parseKv(line, secret, index) {
  if (line.includes('\n')) return undefined;
  const m = KV.exec(line);
  if (!m || m[0].length > index) return undefined;
  let rest = line.slice(m[0].length);
  // `jdbc:sqlserver://…`, `redis://…`: a URL's scheme, not a name and its value.
  if (/:\s*$/.test(m[0]) && /^[\w+.-]*:?\/\//.test(rest)) return undefined;
  let offset = m[0].length;
  const q = /^["'`]/.exec(rest)?.[0];
  let value;
  if (q) {
    const close = rest.indexOf(q, 1);
    if (close < 0) return undefined;
    value = rest.slice(1, close);
    offset += 1;
    if (!/^\s*[,;]?\s*(?:(?:#|\/\/).*)?$/.test(rest.slice(close + 1))) return undefined;
  } else {
    value = rest.replace(/\s+(?:#|\/\/).*$/, '').replace(/[,;]\s*$/, '').trimEnd();
    if (/\s/.test(value)) return undefined;
  }
  // The secret must lie inside the value, and the value must be plain text (no quotes to re-escape).
  if (index < offset || index + secret.length > offset + value.length || /["'`\\]/.test(value)) return undefined;
  return { name: m[3], value };
}

/** A raw line's file kind, judged from how it starts. */
function rawKind(text) {
  const t = text.trimStart();
  if (/^-----BEGIN|^---- BEGIN/.test(t)) return 'key';
  if (/^(?:curl|wget|git|docker|aws|az|gcloud|mysql|mysqldump|psql|ssh|sshpass|npm|pip|pip3|export|heroku|kubectl|helm|mongosh|mongo|redis-cli|http|scp|rsync|sqlcmd|PGPASSWORD|terraform|gh|twine|poetry|yarn)\b/.test(t)) return 'sh';
  if (/^(?:from |import |\w+\s*=\s*[\w.]+\(|\w+\s*=\s*\{|os\.|client\s*=)/.test(t)) return 'py';
  if (/^(?:const |let |var |await |fetch\(|new |export const|module\.exports)/.test(t)) return 'js';
  if (/^</.test(t)) return 'xml';
  if (/^[{[]/.test(t) && !/^\[[\w .-]+\]\s*$/m.test(t)) return 'json';
  if (/^\[[\w .:"-]+\]/.test(t)) return 'ini';
  if (/^[\w-]+:\s/.test(t)) return 'yaml';
  return 'txt';
}

const RAW_FILES = {
  sh: { paths: ['scripts/setup.sh', 'ci/release.sh', 'bin/sync.sh'], head: ['#!/usr/bin/env bash', 'set -euo pipefail'], gap: ['echo "next step"'] },
  py: { paths: ['scripts/client.py', 'app/integrations.py', 'tools/export.py'], head: ['import os', ''], gap: ['# next client'] },
  js: { paths: ['src/integrations.js', 'scripts/seed.mjs'], head: ["'use strict';", ''], gap: ['// next client'] },
  xml: { paths: ['config/settings.xml', 'conf/app.xml'], head: ['<?xml version="1.0"?>'], gap: [''] },
  json: { paths: ['config/snippets.jsonl', 'fixtures/responses.jsonl'], head: [], gap: [] },
  ini: { paths: ['config/app.cfg', 'conf/credentials.conf'], head: ['; service settings'], gap: [''] },
  yaml: { paths: ['config/app.yaml', 'ci/pipeline.yml'], head: ['# pipeline settings'], gap: ['---'] },
  txt: { paths: ['notes/setup.txt', 'docs/credentials.txt', 'conf/service.conf'], head: ['# setup notes'], gap: [''] },
  key: { paths: ['keys/service.key', 'secrets/deploy.pem', 'certs/tls.key'], head: [], gap: [] },
  md: { paths: ['docs/integrations.md', 'README.md', 'docs/ops/runbook.md'], head: ['# Integrations', ''], gap: [''] },
};

function stableIndex(s, n) {
  return createHash('sha1').update(s).digest().readUInt32BE(0) % n;
}

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Look-alike variants of a generated value: what a placeholder or a documentation copy of it looks like. */
const VARIANTS = [
  ['x-filled', (v) => v.replace(/[A-Za-z0-9]/g, (c, i) => (i < Math.min(8, v.length >> 2) ? c : 'x'))],
  // A value of several parts (Fly.io's comma-separated macaroons) keeps real parts before the suffix: x-fill it instead.
  ['example-suffix', (v) => (/[,\s]/.test(v) ? v.replace(/[A-Za-z0-9]/g, (c, i) => (i < 8 ? c : 'x')) : v.length > 14 ? `${v.slice(0, -7)}EXAMPLE` : `${v}EXAMPLE`)],
  ['masked', (v) => `${v.slice(0, Math.min(8, v.length >> 2))}${'*'.repeat(Math.max(8, v.length - 8))}`],
  ['env-ref', (_v, name) => `\${${name.replace(/[^\w]/g, '_').toUpperCase()}}`],
];

const PLACEHOLDER_KINDS = new Set(['x-placeholder', 'env-interpolation', 'angle-placeholder', 'changeme', 'redacted', 'masked', 'your-key-here', 'empty-or-null', 'secret-manager-ref', 'aws-doc-example', 'aws-doc-variant']);

/** General look-alikes the rule corpus adds to the labeled corpus's kinds. */
const MORE_LOOKALIKES = [
  {
    kind: 'aws-doc-variant',
    gen: (r) => ({
      kv: [[r.pick(['AWS_ACCESS_KEY_ID', 'aws_access_key_id', 'accessKeyId']), r.pick([`AKIA${r.str(UPPER + '234567', 9)}EXAMPLE`, `AKIAFAKE${r.str(UPPER + '234567', 12)}`, 'AKIAIOSFODNN7EXAMPLE', `ASIA${r.str(UPPER, 9)}EXAMPLE`])], [r.pick(['AWS_SECRET_ACCESS_KEY', 'aws_secret_access_key', 'secretAccessKey']), r.pick(['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', `wJalrXUtnFEMI/K7MDENG/bPxRfiCY${r.str(ALNUM, 10)}`, `${r.str(ALNUM, 23)}/K7MDENG/EXAMPLEKEY`, 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY'])]],
    }),
  },
  { kind: 'analytics-id', gen: (r) => ({ kv: [[r.pick(['GA_TRACKING_ID', 'GOOGLE_ANALYTICS_KEY', 'ga_measurement_id', 'analytics_token', 'GTM_KEY']), r.pick([`UA-${r.digits(8)}-${r.int(1, 9)}`, `G-${r.str(UPPER + DIGITS, 10)}`, `GTM-${r.str(UPPER + DIGITS, 7)}`, `AW-${r.digits(10)}`])]] }) },
  { kind: 'hash-named-neutrally', gen: (r) => ({ kv: [[r.pick(['CHECKSUM', 'content_sha256', 'etag', 'build_hash', 'artifact_digest']), r.pick([r.hex(64), r.hex(40), r.hex(32), `sha256:${r.hex(64)}`])]] }) },
  { kind: 'uuid-named-neutrally', gen: (r) => ({ kv: [[r.pick(['REQUEST_ID', 'trace_id', 'correlation_id', 'tenant_id', 'installation_uuid']), r.uuid()]] }) },
  { kind: 'integrity-hash', gen: (r) => ({ kv: [[r.pick(['integrity', 'checksum', 'resolution_checksum']), r.pick([`sha512-${r.bytes(64).toString('base64')}`, `10c0/${r.hex(128)}`, `h1:${r.bytes(32).toString('base64')}`, `sha1-${r.bytes(20).toString('base64')}`])]] }) },
  {
    kind: 'base64-plain-data',
    gen: (r) => ({ kv: [[r.pick(['PAYLOAD_B64', 'cursor', 'state', 'page_token', 'config_blob']), Buffer.from(JSON.stringify({ page: r.int(1, 900), sort: r.pick(['created_at', 'name']), filter: r.pick(['active', 'archived', 'all']), region: r.pick(['eu', 'us']) })).toString('base64')]] }),
  },
  { kind: 'identifier', gen: (r) => ({ kv: [[r.pick(['TOKEN_PROVIDER', 'secret_resolver', 'auth_handler', 'api_key_source', 'CREDENTIALS_CLASS']), r.pick(['getAuthenticationTokenFromSessionStorage', 'SecretManagerServiceClientFactory', 'DefaultAzureCredentialChainProvider', 'fetchInstallationAccessTokenForRepository', 'com.acme.security.VaultBackedCredentialsResolver'])]] }) },
  { kind: 'url-without-credentials', gen: (r) => ({ kv: [[r.pick(['API_URL', 'WEBHOOK_ENDPOINT', 'TOKEN_URL', 'AUTH_ENDPOINT']), r.pick([`https://api.${r.str(LOWER, 6)}.io/v2/oauth/token`, `https://login.microsoftonline.com/${r.uuid()}/oauth2/v2.0/token`, `https://${r.str(LOWER, 8)}.auth0.com/oauth/token`])]] }) },
  { kind: 'jwt-shaped-public-claims', gen: (r) => ({ kv: [['ID_TOKEN_EXAMPLE', `eyJhbGciOiJub25lIn0.${b64url(Buffer.from(JSON.stringify({ sub: 'example', iat: 1700000000 + r.int(0, 9e6) })))}.`]] }) },
];

/**
 * Write the corpus under `outDir` (a git repository) and return its manifest. `examplesPerRule`
 * examples of each rule give one generated value each; the first is planted in three places (one of
 * them only in history), the second in two (one in history), the rest in one. `perKind` instances of
 * each general look-alike kind.
 */
/**
 * The seed string of corpus `n`: a positive integer n names `nhi-audit-rule-corpus-<n>` (1 is the
 * default corpus); any other word is used as it is (`s4` is the seed string `s4`).
 */
export const ruleCorpusSeed = (n = 1) => (/^[1-9]\d*$/.test(String(n)) ? `nhi-audit-rule-corpus-${n}` : String(n));

/** `--seed N` from a command line: 1 when absent; a positive integer or a word of [\w.-]; anything else throws. */
export function seedArg(args) {
  const i = args.indexOf('--seed');
  if (i < 0) return 1;
  const v = args[i + 1] ?? '';
  if (/^[1-9]\d*$/.test(v)) return Number(v);
  if (/^[A-Za-z][\w.-]{0,63}$/.test(v)) return v;
  throw new Error(`--seed wants a positive integer or a word, got ${v || 'nothing'}`);
}

export function generateRuleCorpus(outDir, { seed = ruleCorpusSeed(1), rules = loadSecretRules(), examplesPerRule = 3, perKind = 30, git = true } = {}) {
  const r = new Rng(seed);
  const stats = { rules: 0, values: 0, generated: 0, fallbacks: [], unusable: [], lookalikesDropped: 0 };
  const treeEntries = [];
  const histEntries = [];
  for (const rule of rules) {
    stats.rules++;
    const rr = r.fork(rule.id);
    const label = { type: rule.id, provider: rule.group, accept: `^(?:${esc(rule.group)})/` };
    rule.examples.slice(0, examplesPerRule).forEach((example, k) => {
      const g = newValue(rule, example, rr);
      if (!g) {
        stats.unusable.push(rule.id);
        return;
      }
      stats.values++;
      if (g.generated) stats.generated++;
      else stats.fallbacks.push(rule.id);
      const kv = parseKv(g.line, g.value, g.index);
      const places = k === 0 ? ['tree', 'tree', 'history'] : k === 1 ? ['tree', 'history'] : ['tree'];
      places.forEach((where, p) => {
        const to = where === 'tree' ? treeEntries : histEntries;
        const start = stableIndex(`${rule.id}/${k}`, KV_FORMATS.length) + p * 7;
        if (kv) to.push({ kv: [[kv.name, kv.value]], secret: g.value, label, formatStart: start, keep: keptKeywords(rule, kv.name), keepCase: rule.keywords_match_case === true });
        else to.push({ raw: g.line.split('\n'), secret: g.value, label, rawFormat: p % 2 === 0 ? rawKind(g.line) : 'md' });
      });
      // Look-alikes: the same name with a placeholder or documentation copy of the value.
      if (kv) {
        const n = k === 0 ? 2 : 1;
        for (let j = 0; j < n; j++) {
          const [vk, vf] = VARIANTS[(stableIndex(rule.id, VARIANTS.length) + k + j) % VARIANTS.length];
          const fake = vf(g.value, kv.name);
          const value = kv.value.replace(g.value, fake);
          // A value of several tokens (Fly.io's macaroon list) keeps real ones beside the edited one: not a look-alike.
          if (otherSecret(rule, kv.name, value, fake)) {
            stats.lookalikesDropped++;
            continue;
          }
          treeEntries.push({ kv: [[kv.name, value]], secret: fake, label: { kind: `value-${vk}`, rule: rule.id }, formatStart: stableIndex(`${rule.id}/${k}/neg${j}`, KV_FORMATS.length) });
        }
      }
    });
  }
  for (const n of [...LOOKALIKES, ...MORE_LOOKALIKES]) {
    // A bcrypt/crypt hash is a positive of the password-hash rule here (a leaked hash can be cracked).
    if (n.kind === 'bcrypt-hash') continue;
    // Whatever sits in a Kubernetes Secret's data is a secret by its owner's word: only placeholders
    // are look-alikes there.
    const only = n.only ?? (PLACEHOLDER_KINDS.has(n.kind) ? KV_FORMATS : KV_FORMATS.filter((f) => f !== 'k8sdata'));
    for (let i = 0; i < perKind; i++) {
      const out = n.gen(r.fork(`${n.kind}/${i}`));
      const e = out.lines ? { raw: out.lines, rawFormat: 'txt' } : { kv: out.kv, raw_: out.raw === true, formatStart: stableIndex(`${n.kind}/${i}`, KV_FORMATS.length), only };
      treeEntries.push({ ...e, secret: undefined, values: out.lines ? [] : out.kv.map(([, v]) => v).filter(Boolean), label: { kind: n.kind } });
    }
  }
  const treeFiles = layout(treeEntries, r.fork('tree'), 'proj');
  const histFiles = layout(histEntries, r.fork('history'), 'old');

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const manifest = { seed, examplesPerRule, perKind, stats, commits: 0, files: [], positives: [], negatives: [] };
  const record = (f, commit) => {
    for (const p of f.positives) manifest.positives.push({ id: `P${manifest.positives.length + 1}`, ...p, ...(commit ? { commit } : {}) });
    for (const n of f.negatives) manifest.negatives.push({ id: `N${manifest.negatives.length + 1}`, ...n, ...(commit ? { commit } : {}) });
  };
  const content = (f) => Buffer.from(f.lines.join('\n') + '\n');
  if (git) {
    // One `git fast-import` stream: history-only files added in batches, each batch deleted by the next
    // commit, then the current tree; `git checkout` writes the working tree.
    const env = { ...process.env, GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@nhi-audit.invalid', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@nhi-audit.invalid' };
    execFileSync('git', ['init', '-q', '-b', 'main', outDir], { env });
    const chunks = [];
    let mark = 0;
    const commit = (message, changes) => {
      mark++;
      const when = `${1700000000 + mark * 3600} +0000`;
      chunks.push(Buffer.from(`commit refs/heads/main\nmark :${mark}\nauthor Bench <bench@nhi-audit.invalid> ${when}\ncommitter Bench <bench@nhi-audit.invalid> ${when}\ndata ${Buffer.byteLength(message)}\n${message}\n${mark > 1 ? `from :${mark - 1}\n` : ''}`));
      for (const c of changes) chunks.push(c);
      chunks.push(Buffer.from('\n'));
      return mark;
    };
    const modify = (f) => {
      const c = content(f);
      return Buffer.concat([Buffer.from(`M 100644 inline ${f.path}\ndata ${c.length}\n`), c, Buffer.from('\n')]);
    };
    const added = [];
    for (let i = 0; i < histFiles.length; i += 40) {
      const batch = histFiles.slice(i, i + 40);
      added.push([commit(`add configuration batch ${i / 40 + 1}`, batch.map(modify)), batch]);
      commit(`remove configuration batch ${i / 40 + 1}`, batch.map((f) => Buffer.from(`D ${f.path}\n`)));
    }
    commit('current configuration', treeFiles.map(modify));
    const marksFile = join(outDir, '.git', 'bench-marks');
    execFileSync('git', ['fast-import', '--quiet', `--export-marks=${marksFile}`], { cwd: outDir, input: Buffer.concat(chunks), env });
    const shas = new Map(readFileSync(marksFile, 'utf8').trim().split('\n').map((l) => [Number(l.split(' ')[0].slice(1)), l.split(' ')[1]]));
    for (const [m, batch] of added) for (const f of batch) record(f, shas.get(m));
    execFileSync('git', ['checkout', '-q', '-f', 'main'], { cwd: outDir, env });
    manifest.commits = mark;
  } else {
    for (const f of treeFiles) {
      mkdirSync(dirname(join(outDir, f.path)), { recursive: true });
      writeFileSync(join(outDir, f.path), content(f));
    }
  }
  for (const f of treeFiles) {
    record(f);
    manifest.files.push(f.path);
  }
  return manifest;
}

/**
 * The rule's keywords that are part of the variable's name (REACT_APP_, GEM_HOST_API_KEY, stripe_):
 * a format that renames variables (camelCase, PascalCase) must leave them in place, or the entry
 * would no longer be the credential the rule describes. Spring's dotted names are kept as a real
 * convention (a rule that misses `provider.api.key` is a real miss). A rule whose keywords match case
 * names a variable only as written: `react_app_token` (snake_case YAML, TOML, a dotted property) is
 * not a REACT_APP_ variable, which Create React App and Vite read only in upper case.
 */
function keptKeywords(rule, name) {
  if (rule.keywords_match_case) return rule.keywords.filter((k) => name.includes(k));
  const n = name.toLowerCase();
  return rule.keywords.map((k) => k.toLowerCase()).filter((k) => n.includes(k));
}

function keepsKeywords(format, entry, lines) {
  if (!entry.keep?.length) return true;
  if (entry.keepCase) return entry.keep.some((k) => lines.join('\n').includes(k));
  if (format === 'properties') return true;
  const text = lines.join('\n').toLowerCase();
  return entry.keep.some((k) => text.includes(k));
}

/** Does the rule still find a secret in `NAME=value` outside the edited part? */
function otherSecret(rule, name, value, fake) {
  const line = `${name}=${value}`;
  const at = line.indexOf(fake);
  return soloScanner(rule)
    .scanText(line, 'lookalike.txt')
    .some((m) => m.ruleId === rule.id && (m.end <= at || m.index >= at + fake.length));
}

/** Deal entries into files: kv entries by format (3–9 per file, no name twice in a file), raw ones by kind. */
function layout(entries, r, prefix) {
  const probe = new Rng('probe');
  const files = [];
  let n = 0;
  const dir = () => `${prefix}-${String(++n).padStart(4, '0')}`;
  const byFormat = new Map();
  for (const e of entries) {
    let format;
    if (e.raw) format = `raw:${e.rawFormat}`;
    else {
      const allowed = e.only ?? KV_FORMATS;
      for (let t = 0; t < allowed.length && !format; t++) {
        const f = allowed[(e.formatStart + t) % allowed.length];
        const rendered = e.kv.map(([k, v]) => ALL_FORMATS[f].entry(k, v, probe, e.raw_));
        if (rendered.every((x) => x !== undefined) && keepsKeywords(f, e, rendered.flat())) format = f;
      }
      format ??= 'env';
    }
    byFormat.set(format, [...(byFormat.get(format) ?? []), e]);
  }
  for (const [format, list] of byFormat) {
    let rest = r.shuffle(list);
    while (rest.length) {
      const size = format === 'raw:key' ? 1 : r.int(3, 9);
      const chunk = [];
      const taken = new Set();
      const later = [];
      for (const e of rest) {
        const names = e.kv ? e.kv.map(([k]) => k) : [];
        if (chunk.length < size && !names.some((x) => taken.has(x))) {
          chunk.push(e);
          for (const x of names) taken.add(x);
        } else later.push(e);
      }
      files.push(format.startsWith('raw:') ? renderRaw(format.slice(4), `${dir()}`, chunk, r) : renderKv(format, dir(), chunk, r));
      rest = later;
    }
  }
  return files;
}

function labelOf(e, path, line, endLine, format) {
  const values = e.secret !== undefined ? [e.secret] : (e.values ?? []);
  return { ...e.label, path, line, endLine, format, values };
}

function renderKv(format, dir, chunk, r) {
  const f = ALL_FORMATS[format];
  const path = `${dir}/${r.pick(f.paths)}`;
  const lines = [...f.header(r, path)];
  const positives = [];
  const negatives = [];
  for (const e of chunk) {
    if (r.chance(0.5)) for (const l of f.filler(r)) if (!lines.includes(l)) lines.push(l);
    const start = lines.length + 1;
    for (const [k, v] of e.kv) {
      let out = f.entry(k, v, r, e.raw_);
      // layout() checked the kept keywords on a probe rendering; a format that names at random (JSON:
      // camelCase or as written) may have chosen the other way here. Retry with an rng of its own, so
      // the rest of the corpus stays as it was.
      const retry = new Rng(`${path}/keep/${k}`);
      for (let t = 0; t < 8 && !keepsKeywords(format, e, out); t++) out = f.entry(k, v, retry, e.raw_);
      lines.push(...out);
    }
    const l = labelOf(e, path, start, lines.length, format);
    // A value in a Secret's base64 `data:` may be reported by the Kubernetes Secret rule once decoded.
    if (format === 'k8sdata' && l.accept) l.accept = l.accept.replace(/\)\/$/, '|kubernetes)/');
    if (format === 'k8sdata') l.values = e.kv.map(([, v]) => Buffer.from(v).toString('base64'));
    (l.type ? positives : negatives).push(l);
  }
  lines.push(...(f.footer?.(r) ?? []));
  return { path, lines, positives, negatives };
}

function renderRaw(kind, dir, chunk, r) {
  const spec = RAW_FILES[kind];
  const path = `${dir}/${r.pick(spec.paths)}`;
  const lines = [...spec.head];
  const positives = [];
  const negatives = [];
  for (const e of chunk) {
    if (lines.length > spec.head.length) lines.push(...spec.gap);
    if (kind === 'md') lines.push('```');
    const start = lines.length + 1;
    lines.push(...e.raw);
    const l = labelOf(e, path, start, lines.length, `raw-${kind}`);
    if (kind === 'md') lines.push('```', '');
    (l.type ? positives : negatives).push(l);
  }
  return { path, lines, positives, negatives };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  try {
    const args = process.argv.slice(2);
    const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--seed');
    if (!dir) throw new Error('usage: node test/bench/rule-corpus.mjs DIR [--seed N]');
    const m = generateRuleCorpus(resolve(dir), { seed: ruleCorpusSeed(seedArg(args)) });
    writeFileSync(`${resolve(dir)}.manifest.json`, JSON.stringify(m));
    process.stderr.write(`rule corpus ${m.seed}: ${m.positives.length} planted places, ${m.negatives.length} look-alikes, ${m.files.length} files in ${dir}\n`);
  } catch (e) {
    process.stderr.write(`rule corpus failed: ${e.message}\n`);
    process.exitCode = 1;
  }
}
