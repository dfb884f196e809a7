/**
 * Decoders: credentials that are not in the text as written but encoded in it — base64 values of a
 * Kubernetes Secret's `data:`, base64 values of Helm chart values files, and base64 copies of credential files (a PEM key, a service-account
 * JSON, a .dockerconfigjson). Each decoder finds the encoded spans; the scanner decodes them, scans the
 * decoded text with every rule, and reports what it finds at the encoded span. Jupyter notebooks'
 * JSON strings are decoded too: their escapes (`\n`, `\"`, and the ANSI colour codes of tracebacks,
 * `\u001b[0;31m`) sit right against a token and would hide it from rules anchored on a word boundary.
 */
import { isSecretManagerRef } from './placeholder.js';

/** An encoded span of a text and what it decodes to. */
export interface EncodedSpan {
  /** [index, end) of the encoded value in the text. */
  index: number;
  end: number;
  decoded: string;
  /** The key it is stored under (Kubernetes data key), when there is one. */
  key?: string;
  /** Which decoder found it. */
  from: 'kubernetes-secret' | 'helm-values' | 'base64-file' | 'json-string';
  /**
   * false: the place does not say the value is secret (a base64-named key such as PAYLOAD_B64 outside a
   * secret map), so a decoded value that no rule recognises is not reported as an opaque secret.
   */
  opaque?: boolean;
}

/** Literal strings (case-insensitive) whose presence makes a decoder worth running: prefilter keywords. */
export const DECODER_KEYWORDS: Record<EncodedSpan['from'], string[]> = {
  'kubernetes-secret': ['kind: secret', 'kind: "secret"', "kind: 'secret'", '"kind": "secret"', '"kind":"secret"'],
  // data: / secretData: maps and *Base64 / *B64 keys; common words, so the decoder is also gated by
  // the path (YAML files only: helmValuesMayApply) before any text is made.
  'helm-values': ['data:', 'base64', 'b64'],
  // base64 of "-----BEGIN", of {"type": "service_account" / {\n  "type": , and of {"auths": / {\n  "auths":
  'base64-file': ['LS0tLS1CRUdJTi', 'eyJ0eXBlIjoi', 'eyJ0eXBlIjogI', 'ewogICJ0eXBlIjog', 'eyJhdXRocyI6', 'ewogICJhdXRocyI6', 'ewoJImF1dGhzIjog', 'ewogICAgImF1dGhzIjog'],
  // Every notebook (nbformat 4, and 3) names its format.
  'json-string': ['"nbformat"'],
};

const B64_VALUE = /^[A-Za-z0-9+/]+={0,2}$/;

/** base64 → text, when the value is well-formed base64 and decodes to text (not binary). */
export function decodeBase64Text(value: string): string | undefined {
  if (value.length < 4 || value.length % 4 === 1 || !B64_VALUE.test(value)) return undefined;
  const buf = Buffer.from(value, 'base64');
  if (buf.length === 0) return undefined;
  let printable = 0;
  for (const b of buf) if ((b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13) printable++;
  if (printable < buf.length * 0.95) return undefined;
  return buf.toString('latin1');
}

/** Kubernetes Secret manifests (YAML, multi-document, or JSON): each `data:` value, decoded. */
export function kubernetesSecretData(text: string): EncodedSpan[] {
  const out: EncodedSpan[] = [];
  if (/"kind"\s*:\s*"Secret"/.test(text)) out.push(...jsonSecretData(text));
  if (!/^\s*kind:\s*["']?Secret["']?\s*$/m.test(text)) return out;
  // YAML: split into documents; in a document whose kind is Secret, read the entries of `data:`.
  const docRe = /(?:^|\n)---[^\n]*(?=\n|$)/g;
  const starts = [0];
  for (let m = docRe.exec(text); m; m = docRe.exec(text)) starts.push(m.index + m[0].length);
  starts.push(text.length);
  for (let d = 0; d + 1 < starts.length; d++) {
    const doc = text.slice(starts[d], starts[d + 1]);
    if (!/^\s*kind:\s*["']?Secret["']?\s*$/m.test(doc)) continue;
    const dataRe = /^([ \t]*)data:[ \t]*(?:#[^\n]*)?$/gm;
    for (let dm = dataRe.exec(doc); dm; dm = dataRe.exec(doc)) {
      const indent = dm[1].length;
      let pos = dm.index + dm[0].length + 1;
      while (pos < doc.length) {
        const nl = doc.indexOf('\n', pos);
        const line = doc.slice(pos, nl < 0 ? doc.length : nl);
        const lead = /^[ \t]*/.exec(line)![0].length;
        if (line.trim() === '' || line.trim().startsWith('#')) {
          pos = nl < 0 ? doc.length : nl + 1;
          continue;
        }
        if (lead <= indent) break;
        const e = /^[ \t]+["']?([\w.-]+)["']?[ \t]*:[ \t]*(["']?)([A-Za-z0-9+/]{4,}={0,2})\2[ \t]*(?:#.*)?\r?$/.exec(line);
        if (e) {
          const decoded = decodeBase64Text(e[3]);
          if (decoded !== undefined) {
            const index = starts[d] + pos + line.indexOf(e[3], line.indexOf(':'));
            out.push({ index, end: index + e[3].length, decoded, key: e[1], from: 'kubernetes-secret' });
          }
        }
        pos = nl < 0 ? doc.length : nl + 1;
      }
    }
  }
  return out;
}

function jsonSecretData(text: string): EncodedSpan[] {
  const out: EncodedSpan[] = [];
  const dataRe = /"data"\s*:\s*\{/g;
  for (let m = dataRe.exec(text); m; m = dataRe.exec(text)) {
    const close = text.indexOf('}', m.index);
    if (close < 0) break;
    const body = text.slice(m.index + m[0].length, close);
    const entry = /"([\w.-]+)"\s*:\s*"([A-Za-z0-9+/]{4,}={0,2})"/g;
    for (let e = entry.exec(body); e; e = entry.exec(body)) {
      const decoded = decodeBase64Text(e[2]);
      if (decoded === undefined) continue;
      const index = m.index + m[0].length + e.index + e[0].lastIndexOf(e[2]);
      out.push({ index, end: index + e[2].length, decoded, key: e[1], from: 'kubernetes-secret' });
    }
  }
  return out;
}

const FILE_PREFIXES = DECODER_KEYWORDS['base64-file'];
const B64_RUN = /[A-Za-z0-9+/]{40,}={0,2}/g;

/** Base64 copies of credential files: runs that begin with the base64 of a PEM header or a credential JSON. */
export function base64CredentialFiles(text: string): EncodedSpan[] {
  const out: EncodedSpan[] = [];
  for (const p of FILE_PREFIXES) {
    for (let at = text.indexOf(p); at >= 0; at = text.indexOf(p, at + 1)) {
      if (at > 0 && /[A-Za-z0-9+/]/.test(text[at - 1])) continue; // inside a longer run: not its start
      B64_RUN.lastIndex = at;
      const m = B64_RUN.exec(text);
      if (!m || m.index !== at) continue;
      const value = m[0].length % 4 === 0 ? m[0] : m[0].slice(0, m[0].length - (m[0].length % 4));
      const decoded = decodeBase64Text(value);
      if (decoded !== undefined) out.push({ index: at, end: at + value.length, decoded, from: 'base64-file' });
      at = m.index + m[0].length - 1;
    }
  }
  return out;
}

/** Names of Secret data keys whose values are not secret on their own (identifiers, endpoints, certs). */
const NON_SECRET_KEY = /^(?:user(?:name)?|login|email|host(?:name)?|port|url|uri|endpoint|server|address|database|db|dbname|name|namespace|region|zone|bucket|path|ca\.crt|tls\.crt|ca\.pem|cert|certificate|.*\.crt|.*\.pub|.*public.*|id|client[_-]?id|account(?:[_-]?id)?|tenant(?:[_-]?id)?|project(?:[_-]?id)?|type|mode|enabled|version|config|issuer)$/i;

/** A key shown elided, as consoles and docs print it: sk-...a1b2, AKIA…WXYZ. */
const ELIDED = /^[\w-]{0,12}(?:\.{3}|\u2026)[\w-]{0,12}$/;

/** Is a decoded Secret value worth reporting as an opaque credential (when no provider rule knew it)? */
export function isOpaqueSecretValue(key: string | undefined, value: string): boolean {
  if (key && NON_SECRET_KEY.test(key)) return false;
  const v = value.trim();
  if (v.length < 6 || v.length > 4096) return false;
  if (/^(?:true|false|yes|no|null|none|\d+)$/i.test(v)) return false;
  if (isSecretManagerRef(v) || ELIDED.test(v)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^:@/\s]+(?:[/:?]|$)/i.test(v) && !/:\/\/[^/@\s]*:[^@/\s]+@/.test(v)) return false; // a URL without a password
  if (/^-----BEGIN (?:CERTIFICATE|PUBLIC KEY)/.test(v)) return false;
  return true;
}

/** A JSON string literal, unrolled so it runs in linear time; one line at most (notebooks keep one per line). */
const JSON_STRING = /"[^"\\\n]*(?:\\.[^"\\\n]*)*"/g;
/** ANSI escape sequences (CSI … final byte, and two-byte escapes) that notebook outputs carry. */
const ANSI = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_])/g;

/**
 * The JSON strings of a notebook that hold escapes, decoded with their ANSI colour codes removed: the
 * source lines and the outputs (stream text, results, tracebacks) exactly as the user saw them.
 */
export function jsonEscapedStrings(text: string): EncodedSpan[] {
  const out: EncodedSpan[] = [];
  JSON_STRING.lastIndex = 0;
  for (let m = JSON_STRING.exec(text); m; m = JSON_STRING.exec(text)) {
    if (!m[0].includes('\\')) continue;
    let decoded: string;
    try {
      decoded = JSON.parse(m[0]) as string;
    } catch {
      continue;
    }
    decoded = decoded.replace(ANSI, '');
    out.push({ index: m.index + 1, end: m.index + m[0].length - 1, decoded, from: 'json-string' });
  }
  return out;
}

// ---- Helm values -------------------------------------------------------------------------------

const YAML_FILE = /\.ya?ml$/i;
/** A chart's values file (values.yaml, values-prod.yaml, values.staging.yml), or a YAML file in a charts/ or helm/ folder (or up to two below it). */
const HELM_PATH = /(?:^|[\\/])(?:values(?:[-_.][\w.-]*)?\.ya?ml|(?:charts?|helm)[\\/](?:[^\\/]+[\\/]){0,2}[^\\/]+\.ya?ml)$/i;
/** Top-level keys that `helm create` scaffolds and charts keep: a YAML file with them is a values file wherever it lies. */
const HELM_CONVENTION = /^(?:[ \t]*existingSecret|secretData|nameOverride|fullnameOverride|imagePullSecrets|replicaCount)[ \t]*:/m;
/** Maps whose entries are base64 (a Secret's data as a chart writes it). stringData is plain text: the rules read it as written. */
const DATA_MAP = /^(?:data|secretData|secretsData|binaryData|encodedData)$/i;
/** Keys that say their value is base64: passwordBase64, token_b64, base64Key, B64_SECRET. */
const B64_KEY = /(?:base64|b64)$|^(?:base64|b64)(?:[A-Z_.-]|$)/i;
/** Names that say a value is a credential; outside a secret map only these make an unrecognised decoded value one. */
const SECRET_NAME = /pass(?:wd|word|phrase)?|pwd|secret|token|key|cred|auth|private|session|cookie|signing|dsn|licen[cs]e/i;
// Greedy value, trimmed after: a lazy one before trailing blanks would backtrack quadratically on a long blank run.
const KEY_LINE = /^([ \t]*)(?:-[ \t]+)?(["']?)([\w.-]+)\2[ \t]*:(?:[ \t]+(.*))?\r?$/;
const B64_SCALAR = /^(["']?)([A-Za-z0-9+/]{8,}={0,2})\1(?:[ \t]+#.*)?$/;

/** Can the Helm values decoder apply to a file at `path`? (unknown path: the content decides) */
export function helmValuesMayApply(path: string | undefined): boolean {
  return path === undefined || YAML_FILE.test(path);
}

/**
 * Helm values files: base64 values under `data:`-like maps (data, secretData, binaryData …) and under
 * base64-named keys (`passwordBase64:`, `token_b64:`, or a map under such a key), decoded. A file is a
 * values file by its path (values*.yaml, a YAML file under charts/ or helm/) or by Helm's conventional
 * keys (existingSecret, nameOverride …); in other YAML only base64-named keys count, since they say
 * what they hold. Template expressions ({{ .Values.x | b64enc }}), empty strings and plain words are
 * not base64-shaped or do not decode to text, and are skipped.
 */
export function helmValues(text: string, path?: string): EncodedSpan[] {
  if (!helmValuesMayApply(path)) return [];
  const chart = (path !== undefined && HELM_PATH.test(path)) || HELM_CONVENTION.test(text);
  const out: EncodedSpan[] = [];
  // Open block keys (a key with no value on its line), innermost last: the parents of the next lines.
  const parents: Array<{ indent: number; key: string }> = [];
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const line = text.slice(pos, nl);
    const m = KEY_LINE.exec(line);
    if (m) {
      // "- key:" opens a list item: its key sits two columns right of the dash.
      const indent = m[1].length + (line.slice(m[1].length).startsWith('-') ? 2 : 0);
      while (parents.length > 0 && parents[parents.length - 1].indent >= indent) parents.pop();
      const key = m[3];
      const value = (m[4] ?? '').trim();
      if (value === '' || value.startsWith('#')) parents.push({ indent, key });
      else {
        const parent = parents.length > 0 ? parents[parents.length - 1].key : undefined;
        const named = B64_KEY.test(key) || (parent !== undefined && B64_KEY.test(parent));
        const inData = chart && parent !== undefined && DATA_MAP.test(parent);
        const v = (named || inData) && B64_SCALAR.exec(value);
        // A data map's plain values (a ConfigMap's) can look like base64: only padded, whole base64 counts there.
        if (v && (named || v[2].length % 4 === 0)) {
          const decoded = decodeBase64Text(v[2]);
          if (decoded !== undefined) {
            const index = pos + line.indexOf(v[2], line.indexOf(':', m[1].length) + 1);
            const plainKey = B64_KEY.test(key) ? key.replace(/[_.-]?(?:base64|b64)$|^(?:base64|b64)[_.-]?/i, '') || key : key;
            // In a data map the value is secret by where it is; under a base64-named key only if a name says so.
            const opaque = inData || SECRET_NAME.test(plainKey) || (parent !== undefined && SECRET_NAME.test(parent));
            out.push({ index, end: index + v[2].length, decoded, key: plainKey, from: 'helm-values', opaque });
          }
        }
      }
    }
    pos = nl + 1;
  }
  return out;
}
