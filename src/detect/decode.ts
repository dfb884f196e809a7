import { isUtf8 } from 'node:buffer';

/** How a blob of bytes is turned into text to scan. */
export type Decoded =
  | { kind: 'text'; text: string; encoding: 'utf8' | 'latin1' | 'utf16le' | 'utf16be'; bytes: Uint8Array }
  | { kind: 'binary' };

const SNIFF = 8192;

function looksUtf16(buf: Uint8Array): 'utf16le' | 'utf16be' | undefined {
  const n = Math.min(buf.length, SNIFF) & ~1;
  if (n < 16) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  let printable = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) evenNul++;
    if (buf[i + 1] === 0) oddNul++;
    const c = buf[i] || buf[i + 1];
    if ((c >= 0x20 && c < 0x7f) || c === 9 || c === 10 || c === 13) printable++;
  }
  const half = n / 2;
  // Mostly ASCII text with every other byte NUL: UTF-16 without a BOM (Windows tools write it).
  if (printable < half * 0.9) return undefined;
  if (oddNul > half * 0.7 && evenNul === 0) return 'utf16le';
  if (evenNul > half * 0.7 && oddNul === 0) return 'utf16be';
  return undefined;
}

const printable = (b: number) => (b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13;

/**
 * Is the content after a UTF-16 byte-order mark UTF-16 text? `FF FE` also starts Latin-1 text
 * (`ÿþ`) and binary files, and ASCII read as UTF-16 becomes CJK-looking code units that hide a
 * token. UTF-16 text has an even length, no unpaired surrogates, few control characters, and — as
 * every line break, space or digit is a code unit below 0x100 — NUL bytes; content without a NUL
 * whose byte pairs are nearly all printable ASCII, or that is valid UTF-8, is 8-bit text instead.
 */
function plausibleUtf16(body: Buffer, enc: 'utf16le' | 'utf16be'): boolean {
  if (body.length % 2 !== 0) return false;
  const n = Math.min(body.length, SNIFF) & ~1;
  if (n === 0) return true; // a BOM alone: empty text
  const units = n / 2;
  let controls = 0;
  let asciiPairs = 0;
  for (let i = 0; i < n; i += 2) {
    const u = enc === 'utf16le' ? body[i] | (body[i + 1] << 8) : (body[i] << 8) | body[i + 1];
    if (printable(body[i]) && printable(body[i + 1])) asciiPairs++;
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i + 2 >= n) break; // the window ends inside a pair
      const next = enc === 'utf16le' ? body[i + 2] | (body[i + 3] << 8) : (body[i + 2] << 8) | body[i + 3];
      if (next < 0xdc00 || next > 0xdfff) return false;
      i += 2;
    } else if (u >= 0xdc00 && u <= 0xdfff) return false;
    else if ((u < 0x20 && u !== 9 && u !== 10 && u !== 13) || u === 0x7f || u === 0xfffe || u === 0xffff) controls++;
  }
  if (controls > units * 0.05) return false;
  if (body.indexOf(0) < 0 && (asciiPairs > units * 0.9 || isUtf8(body.subarray(0, n)))) return false;
  return true;
}

/**
 * Text or binary? UTF-16 is decoded when the content is UTF-16: after a BOM if it is plausible
 * (plausibleUtf16), or without one by its NUL pattern; other NUL-bearing content is binary.
 * Everything else is read as latin1: one char per byte, fast, never throws on invalid UTF-8, and
 * secrets are ASCII, so patterns match the same; columns count bytes.
 */
export function decodeBuffer(buf: Buffer): Decoded {
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    const enc = buf[0] === 0xff ? 'utf16le' : 'utf16be';
    if (plausibleUtf16(buf.subarray(2), enc)) return utf16(buf.subarray(2), enc);
  }
  const u16 = looksUtf16(buf);
  if (u16) return utf16(buf, u16);
  const sniff = buf.subarray(0, SNIFF);
  if (sniff.includes(0)) return { kind: 'binary' };
  // The string is made on first use: the prefilter reads bytes, and most content has no candidate rule.
  let text: string | undefined;
  return {
    kind: 'text',
    get text() {
      return (text ??= buf.toString('latin1'));
    },
    encoding: 'latin1',
    bytes: buf,
  };
}

function utf16(body: Buffer, enc: 'utf16le' | 'utf16be'): Decoded {
  let le = body;
  if (enc === 'utf16be') {
    le = Buffer.from(body.subarray(0, body.length & ~1));
    le.swap16();
  }
  const text = le.toString('utf16le');
  return { kind: 'text', text, encoding: enc, bytes: Buffer.from(text, 'latin1') };
}
