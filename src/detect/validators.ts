/**
 * Validators: offline checks that a candidate has the structure of a real credential
 * (a checksum, a decodable header). A candidate that fails is not reported.
 */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(s: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < s.length; i++) c = CRC_TABLE[(c ^ s.charCodeAt(i)) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(n: number, width: number): string {
  let out = '';
  while (n > 0) {
    out = B62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub's token format (also used by npm): prefix_ + 30 random base62 + 6-char base62 CRC32
 * of the random part. Lets us reject look-alikes and typos without calling GitHub.
 */
export function checkPrefixedCrc32(token: string): boolean {
  const us = token.indexOf('_');
  if (us < 0) return false;
  const body = token.slice(us + 1);
  if (body.length < 7) return false;
  const random = body.slice(0, -6);
  const check = body.slice(-6);
  return base62(crc32(random), 6) === check;
}

/** Build a token with a valid checksum (used to write rule examples and test corpora). */
export function tokenWithCrc32(prefix: string, random30: string): string {
  return `${prefix}${random30}${base62(crc32(random30), 6)}`;
}

function b64urlDecode(s: string): string | undefined {
  try {
    return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  } catch {
    return undefined;
  }
}

/** A JWT's header and payload must be base64url JSON objects, the header naming an alg. */
export function checkJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length < 2) return false;
  try {
    const header = JSON.parse(b64urlDecode(parts[0]) ?? '');
    const payload = JSON.parse(b64urlDecode(parts[1]) ?? '');
    return typeof header === 'object' && header !== null && typeof header.alg === 'string' && typeof payload === 'object' && payload !== null;
  } catch {
    return false;
  }
}

/** Base64 that decodes to the expected number of bytes (e.g. Azure storage keys are 64 bytes). */
function checkBase64Bytes(n: number) {
  return (s: string) => {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return false;
    return Buffer.from(s, 'base64').length === n;
  };
}

/** Docker config `auth` fields are base64("user:password"). */
export function checkBasicAuthBase64(s: string): boolean {
  try {
    const d = Buffer.from(s, 'base64').toString('utf8');
    const i = d.indexOf(':');
    return i > 0 && i < d.length - 1 && /^[\x20-\x7e]+$/.test(d);
  } catch {
    return false;
  }
}

export const VALIDATORS: Record<string, (secret: string) => boolean> = {
  'github-crc32': checkPrefixedCrc32,
  'npm-crc32': checkPrefixedCrc32,
  jwt: checkJwt,
  'base64-64-bytes': checkBase64Bytes(64),
  'basic-auth-base64': checkBasicAuthBase64,
};
