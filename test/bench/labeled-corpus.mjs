// The labeled accuracy corpus: planted credentials of every covered type and look-alikes that must
// not fire, embedded in realistic files, with a manifest of where each one is (path, line span).
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KEY_TYPES, POSITIVES } from './lib/credentials.mjs';
import { DOCUMENTS, Doc, keyFile } from './lib/documents.mjs';
import { BLOCK_FORMATS, FORMAT_IDS, FORMATS } from './lib/formats.mjs';
import { certificate, PRIVATE_KEYS, publicKeyPem, sshPublicKey } from './lib/keys.mjs';
import { LOOKALIKES } from './lib/lookalikes.mjs';
import { Rng } from './lib/rng.mjs';

const KEY_NAMES = ['TLS_PRIVATE_KEY', 'SSH_PRIVATE_KEY', 'SIGNING_KEY', 'DEPLOY_KEY', 'JWT_PRIVATE_KEY', 'GPG_PRIVATE_KEY'];

function stableIndex(s, n) {
  return createHash('sha1').update(s).digest().readUInt32BE(0) % n;
}

/** Turn a generator's output into entries: name/value pairs or a named multi-line block. */
function entryOf(out, name) {
  if (out.lines) return { block: out.lines, name: name ?? out.name, values: [out.lines.find((l) => l.length >= 16 && !l.startsWith('-----')) ?? out.lines[0]] };
  return { kv: out.kv, raw: out.raw === true, values: out.kv.map(([, v]) => v).filter((v) => v.length > 0) };
}

/** Standalone look-alike files: certificates, public keys, lockfile integrity strings. */
function negativeDocuments(r, n) {
  const docs = [];
  for (let i = 0; i < n; i++) {
    const c = new Doc(`certs/${r.pick(['server', 'ca', 'client', 'proxy'])}.crt`);
    docs.push(c.neg({ kind: 'certificate-file', values: [] }, certificate(r)));
    const p = new Doc(`${r.pick(['.ssh', 'keys', 'deploy'])}/${r.pick(['id_ed25519.pub', 'id_rsa.pub', 'authorized_keys'])}`);
    docs.push(p.neg({ kind: 'ssh-public-key-file', values: [] }, [sshPublicKey(r)]));
    const k = new Doc(`keys/${r.pick(['jwt-public.pem', 'verify.pem', 'oauth-public.pem'])}`);
    docs.push(k.neg({ kind: 'public-key-file', values: [] }, publicKeyPem(r)));
    const l = new Doc(r.pick(['package-lock.json', 'apps/web/package-lock.json']));
    l.add('{', '  "name": "web",', '  "lockfileVersion": 3,', '  "packages": {');
    for (let j = 0; j < 3; j++) {
      const pkg = r.pick(['left-pad', 'token-stream', 'secret-handshake', 'jsonwebtoken', 'passport-oauth2', 'keygrip']);
      l.add(`    "node_modules/${pkg}": {`, `      "version": "${r.int(1, 9)}.${r.int(0, 20)}.${r.int(0, 9)}",`, `      "resolved": "https://registry.npmjs.org/${pkg}/-/${pkg}-1.0.0.tgz",`);
      l.neg({ kind: 'lockfile-integrity', values: [] }, [`      "integrity": "sha512-${r.bytes(64).toString('base64')}"`]);
      l.add(`    }${j < 2 ? ',' : ''}`);
    }
    docs.push(l.add('  }', '}'));
  }
  return docs;
}

function renderFile(format, path, entries, r) {
  const f = FORMATS[format];
  const lines = [...f.header(r, path)];
  const positives = [];
  const negatives = [];
  for (const e of entries) {
    if (r.chance(0.6)) for (const l of f.filler(r)) if (!lines.includes(l)) lines.push(l);
    const start = lines.length + 1;
    if (e.block) lines.push(...f.block(e.name, e.block, r));
    else for (const [n, v] of e.kv) lines.push(...f.entry(n, v, r, e.raw));
    const span = { path, line: start, endLine: lines.length, format, values: e.values };
    if (e.label.type) positives.push({ ...e.label, ...span });
    else negatives.push({ ...e.label, ...span });
  }
  lines.push(...(f.footer?.(r) ?? []));
  return { lines, positives, negatives };
}

/**
 * Write the corpus under `outDir` and return its manifest. `perType` instances of each credential
 * type and `perKind` of each look-alike kind; the same seed always gives the same files.
 */
export function generateLabeledCorpus(outDir, { seed = 'nhi-audit-bench-1', perType = 6, perKind = 12 } = {}) {
  const r = new Rng(seed);
  const entries = [];
  for (const t of POSITIVES) {
    for (let i = 0; i < perType; i++) {
      const e = entryOf(t.gen(r.fork(`${t.type}/${i}`)));
      e.label = { type: t.type, provider: t.provider, accept: t.accept.source };
      e.format = FORMAT_IDS[(stableIndex(t.type, FORMAT_IDS.length) + i) % FORMAT_IDS.length];
      entries.push(e);
    }
  }
  const docs = [];
  for (const k of KEY_TYPES) {
    for (let i = 0; i < perType; i++) {
      const kr = r.fork(`${k.type}/${i}`);
      const label = { type: k.type, provider: k.provider, accept: k.accept.source };
      if (i % 2 === 0) {
        docs.push(keyFile(k.kind, kr, label));
        continue;
      }
      const e = entryOf({ lines: PRIVATE_KEYS[k.kind](kr) }, kr.pick(KEY_NAMES));
      e.label = label;
      e.format = BLOCK_FORMATS[(stableIndex(k.type, BLOCK_FORMATS.length) + i) % BLOCK_FORMATS.length];
      entries.push(e);
    }
  }
  for (const d of DOCUMENTS) {
    for (let i = 0; i < perType; i++) {
      const doc = d.make(r.fork(`${d.type}/${i}`));
      for (const p of doc.positives) Object.assign(p, { type: d.type, provider: d.provider, accept: p.accept ?? d.accept });
      docs.push(doc);
    }
  }
  for (const n of LOOKALIKES) {
    const formats = n.only ?? FORMAT_IDS;
    for (let i = 0; i < perKind; i++) {
      const out = n.gen(r.fork(`${n.kind}/${i}`));
      const e = entryOf(out);
      e.label = { kind: n.kind };
      const allowed = out.lines ? formats.filter((f) => FORMATS[f].block) : formats;
      e.format = allowed[(stableIndex(n.kind, allowed.length) + i) % allowed.length];
      entries.push(e);
    }
  }
  docs.push(...negativeDocuments(r.fork('negative-docs'), Math.max(1, Math.round(perKind / 4))));

  // Group entries by format and deal them into files of a few entries each.
  const files = [];
  let project = 0;
  const nextDir = () => `proj-${String(++project).padStart(3, '0')}`;
  const names = (e) => (e.block ? [e.name] : e.kv.map(([n]) => n));
  for (const format of FORMAT_IDS) {
    let rest = r.shuffle(entries.filter((e) => e.format === format));
    while (rest.length) {
      // A file never assigns the same name twice: an entry whose name is taken waits for the next file.
      const n = r.int(3, 9);
      const chunk = [];
      const taken = new Set();
      const later = [];
      for (const e of rest) {
        if (chunk.length < n && !names(e).some((x) => taken.has(x))) {
          chunk.push(e);
          for (const x of names(e)) taken.add(x);
        } else later.push(e);
      }
      files.push(renderFile(format, `${nextDir()}/${r.pick(FORMATS[format].paths)}`, chunk, r));
      rest = later;
    }
  }
  for (const d of docs) {
    const path = `${nextDir()}/${d.path}`;
    const fix = (l) => ({ ...l, accept: l.accept instanceof RegExp ? l.accept.source : l.accept, path, format: 'document' });
    files.push({ lines: d.lines, positives: d.positives.map(fix), negatives: d.negatives.map(fix) });
  }

  const manifest = { seed, perType, perKind, files: [], positives: [], negatives: [] };
  for (const f of files) {
    const path = (f.positives[0] ?? f.negatives[0]).path;
    const abs = join(outDir, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, f.lines.join('\n') + '\n');
    manifest.files.push(path);
    for (const p of f.positives) manifest.positives.push({ id: `P${manifest.positives.length + 1}`, ...normalize(p) });
    for (const n of f.negatives) manifest.negatives.push({ id: `N${manifest.negatives.length + 1}`, ...normalize(n) });
  }
  return manifest;
}

function normalize(l) {
  const values = l.values ?? (l.value !== undefined ? [l.value] : []);
  const out = { ...l, values };
  delete out.value;
  return out;
}

/** Is a manifest consistent with the files on disk? Returns a list of problems (empty when fine). */
export function checkManifest(manifest, readFile) {
  const problems = [];
  const seen = new Set();
  const contents = new Map();
  const linesOf = (p) => {
    if (!contents.has(p)) contents.set(p, readFile(p).split('\n'));
    return contents.get(p);
  };
  for (const l of [...manifest.positives, ...manifest.negatives]) {
    if (seen.has(l.id)) problems.push(`${l.id}: duplicate id`);
    seen.add(l.id);
    if (!l.path || !(l.line >= 1) || !(l.endLine >= l.line)) {
      problems.push(`${l.id}: bad location ${l.path}:${l.line}-${l.endLine}`);
      continue;
    }
    const lines = linesOf(l.path);
    if (l.endLine > lines.length) problems.push(`${l.id}: ${l.path} has ${lines.length} lines, label ends at ${l.endLine}`);
    const span = lines.slice(l.line - 1, l.endLine).join('\n');
    for (const v of l.values) if (!span.includes(v) && !span.includes(JSON.stringify(v).slice(1, -1))) problems.push(`${l.id}: value not found in ${l.path}:${l.line}-${l.endLine}`);
    if (l.id.startsWith('P')) {
      if (!l.type || !l.provider || !l.accept) problems.push(`${l.id}: positive without type/provider/accept`);
      if (l.values.length === 0) problems.push(`${l.id}: positive without values`);
    } else if (!l.kind) problems.push(`${l.id}: negative without kind`);
  }
  return problems;
}
