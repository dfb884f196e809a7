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

/**
 * Text or binary? UTF-16 (by BOM or by its NUL pattern) is decoded; other NUL-bearing content is
 * binary. Everything else is read as latin1: one char per byte, fast, never throws on invalid
 * UTF-8, and secrets are ASCII, so patterns match the same; columns count bytes.
 */
export function decodeBuffer(buf: Buffer): Decoded {
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    return utf16(buf.subarray(2), buf[0] === 0xff ? 'utf16le' : 'utf16be');
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
