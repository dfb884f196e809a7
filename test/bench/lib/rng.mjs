// Seeded pseudo-random generator for reproducible corpora: the same seed gives byte-identical files.
import { createHash } from 'node:crypto';

export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';
export const HEX = '0123456789abcdef';
export const ALNUM = DIGITS + UPPER + LOWER;
export const B64 = UPPER + LOWER + DIGITS + '+/';
export const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** sfc32 seeded from sha256(seed): small, fast and good enough for test data. */
export class Rng {
  constructor(seed) {
    const h = createHash('sha256').update(String(seed)).digest();
    this.s = [h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12)];
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform 32-bit unsigned integer. */
  next() {
    let [a, b, c, d] = this.s;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.s = [a, b, c, d];
    return t >>> 0;
  }

  /** Integer in [lo, hi]. */
  int(lo, hi) {
    return lo + (this.next() % (hi - lo + 1));
  }

  chance(p) {
    return this.next() / 4294967296 < p;
  }

  pick(list) {
    return list[this.next() % list.length];
  }

  shuffle(list) {
    const a = [...list];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.next() % (i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }

  /** n characters drawn from an alphabet. */
  str(alphabet, n) {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.next() % alphabet.length];
    return s;
  }

  hex(n) {
    return this.str(HEX, n);
  }

  alnum(n) {
    return this.str(ALNUM, n);
  }

  digits(n) {
    return String(this.int(1, 9)) + this.str(DIGITS, n - 1);
  }

  bytes(n) {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.next() & 0xff;
    return b;
  }

  uuid() {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.next() % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A derived generator, so adding draws in one place doesn't shift everything after it. */
  fork(label) {
    return new Rng(`${this.s.join(',')}/${label}`);
  }
}

export function b64url(buf) {
  return Buffer.from(buf).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
