import { isUtf8 } from 'node:buffer';

/**
 * File names are bytes, not text: a name may hold a newline, a tab, an escape sequence or bytes
 * that are not UTF-8 (`caf\xe9.env` written by a Latin-1 tool). Sources carry a name as a
 * *lossless string*: valid UTF-8 decoded as usual, each byte that is not part of valid UTF-8 as
 * the lone surrogate U+DC00+byte (Python's "surrogateescape"; valid UTF-8 never decodes to a lone
 * surrogate, so the mapping is reversible). Node's fs encodes string paths as UTF-8, so such a
 * name is opened through its bytes (fsPath).
 *
 * Reports hold `path` as well-formed text (each such byte as U+FFFD, so JSON stays valid Unicode)
 * and, only when the name is not UTF-8, `pathBase64` with the exact bytes (README "Reports").
 */

const LONE = /[\uD800-\uDFFF]/u;
const LONE_G = /[\uD800-\uDFFF]/gu;

/** Length of the valid UTF-8 sequence at i, or 0 when the byte there starts none. */
function seqLength(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0; // no UTF-16 surrogates
  if (c >= 0xe1 && c <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** A name's bytes as a lossless string. */
export function nameFromBytes(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buf)) return buf.toString('utf8');
  let out = '';
  let i = 0;
  while (i < buf.length) {
    const n = seqLength(buf, i);
    if (n === 0) {
      out += String.fromCharCode(0xdc00 + buf[i]);
      i++;
    } else {
      out += buf.toString('utf8', i, i + n);
      i += n;
    }
  }
  return out;
}

/** A lossless string back to the name's bytes. */
export function nameToBytes(name: string): Buffer {
  if (!LONE.test(name)) return Buffer.from(name, 'utf8');
  const parts: Buffer[] = [];
  let run = '';
  for (const ch of name) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xdc80 && cp <= 0xdcff) {
      if (run) parts.push(Buffer.from(run, 'utf8'));
      run = '';
      parts.push(Buffer.from([cp - 0xdc00]));
    } else run += ch;
  }
  if (run) parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}

/** The name is not UTF-8 (it holds escaped bytes). */
export function isRawName(name: string): boolean {
  return LONE.test(name);
}

/** What to hand Node's fs for a lossless name: the string itself, or its bytes when it is not UTF-8. */
export function fsPath(name: string): string | Buffer {
  return isRawName(name) ? nameToBytes(name) : name;
}

/** The report form of a lossless name: `path` as well-formed text, `pathBase64` when it is not UTF-8. */
export function reportName(name: string): { path: string; pathBase64?: string } {
  if (!isRawName(name)) return { path: name };
  return { path: name.replace(LONE_G, '\uFFFD'), pathBase64: nameToBytes(name).toString('base64') };
}

/** A report location's exact name as a lossless string (its bytes when `pathBase64` is set). */
export function nameOfLocation(l: { path?: string; pathBase64?: string }): string | undefined {
  if (l.pathBase64 !== undefined) return nameFromBytes(Buffer.from(l.pathBase64, 'base64'));
  return l.path;
}

// C0 and C1 controls, DEL, line/paragraph separators and bidirectional overrides (they reorder or
// fake lines on a terminal), and escaped bytes of a name that is not UTF-8.
const INVISIBLE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\uD800-\uDFFF]/gu;
const NAMED: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };

/**
 * Text safe to print on a terminal: control characters and bidi overrides as `\n`, `\t`, `\x1b`,
 * `\u{202e}`, a name's bytes that are not UTF-8 as `\xe9`. Nothing else changes.
 */
export function visible(s: string): string {
  return s.replace(INVISIBLE, (ch) => {
    if (NAMED[ch]) return NAMED[ch];
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xdc80 && cp <= 0xdcff) return `\\x${(cp - 0xdc00).toString(16).padStart(2, '0')}`;
    return cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u{${cp.toString(16)}}`;
  });
}

const UNRESERVED = /[A-Za-z0-9\-_.!~*'()]/;

/** Percent-encode a name's bytes like encodeURIComponent (identical for UTF-8 names), bytes not UTF-8 included. */
export function percentEncodeName(name: string): string {
  if (!isRawName(name)) return encodeURIComponent(name);
  let out = '';
  for (const b of nameToBytes(name)) {
    const ch = String.fromCharCode(b);
    out += b < 0x80 && UNRESERVED.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
