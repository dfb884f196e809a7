import { parse, TomlError } from 'smol-toml';
import { ConfigParseError, locatedDoc, pathKey, type LocatedDoc } from './located.js';

/** Parse TOML (Codex's config.toml) with smol-toml, then find the line of each key by a light scan. */
export function parseTomlLocated(text: string): LocatedDoc {
  let value: unknown;
  try {
    value = parse(text);
  } catch (e) {
    // smol-toml's message carries a code block with the offending line: keep only the first line.
    const msg = (e as Error).message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '');
    if (e instanceof TomlError) throw new ConfigParseError(msg, e.line, e.column);
    throw new ConfigParseError(msg);
  }
  return locatedDoc(value, tomlLines(text));
}

/** Split a dotted TOML key (`a."b.c".d`) into its parts. */
export function splitDottedKey(s: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/y;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < s.length && (m = re.exec(s))) {
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]));
    if (m[0].length === 0) break;
  }
  return out;
}

const KEY = String.raw`((?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+))*)`;
const HEADER_RE = new RegExp(String.raw`^\s*\[\[?\s*${KEY}\s*\]\]?`);
const ASSIGN_RE = new RegExp(String.raw`^\s*${KEY}\s*=`);
const INLINE_KEY_RE = new RegExp(String.raw`[{,]\s*${KEY}\s*=`, 'g');

/** A line without its trailing `# comment` (a # inside a string stays). */
function stripComment(line: string): string {
  let q: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '\\' && q === '"') i++;
      else if (c === q) q = undefined;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

/**
 * Lines of table headers, keys, keys inside inline tables and items of multi-line arrays. Not a
 * full TOML parser (smol-toml did that): it only has to find where things are written.
 */
function tomlLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const arrayCounts = new Map<string, number>();
  let table: Array<string | number> = [];
  let openArray: Array<string | number> | undefined;
  let arrayIndex = 0;
  let inMultiline: string | undefined;
  const set = (path: Array<string | number>, line: number) => {
    const k = pathKey(path);
    if (!lines.has(k)) lines.set(k, line);
  };
  text.split(/\r?\n/).forEach((full, i) => {
    const line = i + 1;
    const raw = stripComment(full);
    if (inMultiline) {
      if (full.includes(inMultiline)) inMultiline = undefined;
      return;
    }
    if (openArray) {
      const items = raw.match(/"(?:[^"\\]|\\.)*"|'[^']*'|\{[^}]*\}|[-+\w.:]+/g) ?? [];
      for (const _ of items) set([...openArray, arrayIndex++], line);
      if (/\]\s*(#.*)?$/.test(raw)) openArray = undefined;
      return;
    }
    const h = HEADER_RE.exec(raw);
    if (h) {
      table = splitDottedKey(h[1]);
      if (/^\s*\[\[/.test(raw)) {
        const k = pathKey(table);
        const n = arrayCounts.get(k) ?? 0;
        arrayCounts.set(k, n + 1);
        table = [...table, n];
      }
      set(table, line);
      return;
    }
    const a = ASSIGN_RE.exec(raw);
    if (!a) return;
    const path = [...table, ...splitDottedKey(a[1])];
    set(path, line);
    const rest = raw.slice(a[0].length);
    for (const q of ['"""', "'''"]) {
      const first = rest.indexOf(q);
      if (first >= 0 && rest.indexOf(q, first + 3) < 0) inMultiline = q;
    }
    if (/^\s*\{/.test(rest)) {
      for (const m of rest.matchAll(INLINE_KEY_RE)) set([...path, ...splitDottedKey(m[1])], line);
    } else if (/^\s*\[/.test(rest)) {
      const body = rest.replace(/^\s*\[/, '');
      const items = body.match(/"(?:[^"\\]|\\.)*"|'[^']*'|\{[^}]*\}|[-+\w.:]+/g) ?? [];
      const closed = /\]\s*(#.*)?$/.test(rest);
      let n = 0;
      for (const _ of items) set([...path, n++], line);
      if (!closed) {
        openArray = path;
        arrayIndex = n;
      }
    }
  });
  return lines;
}
