// Structurally real private keys, certificates and public keys built from a seeded generator (DER
// with random integers, OpenSSH and PuTTY containers), so corpora are reproducible without keygen.
import { B64, b64url } from './rng.mjs';

function len(n) {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  return Buffer.from([0x82, n >> 8, n & 0xff]);
}

function tlv(tag, body) {
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

const seq = (...parts) => tlv(0x30, Buffer.concat(parts));
const octets = (b) => tlv(0x04, b);
const bits = (b) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const ctx = (n, b) => tlv(0xa0 + n, b);
const NULL = Buffer.from([0x05, 0x00]);

function int(v) {
  if (typeof v === 'number') return tlv(0x02, Buffer.from([v]));
  const b = Buffer.from(v);
  b[0] |= 0x80; // full-size modulus-like integer, then a sign byte
  return tlv(0x02, Buffer.concat([Buffer.from([0]), b]));
}

function oid(dotted) {
  const p = dotted.split('.').map(Number);
  const out = [40 * p[0] + p[1]];
  for (const n of p.slice(2)) {
    const stack = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) stack.unshift((v & 0x7f) | 0x80);
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}

function rsaPkcs1(r, bitsN = 2048) {
  const n = bitsN / 8;
  return seq(int(0), int(r.bytes(n)), tlv(0x02, Buffer.from([1, 0, 1])), int(r.bytes(n)), int(r.bytes(n / 2)), int(r.bytes(n / 2)), int(r.bytes(n / 2)), int(r.bytes(n / 2)), int(r.bytes(n / 2)));
}

function pem(label, der, headers = []) {
  const b = der.toString('base64');
  const lines = [`-----BEGIN ${label}-----`, ...headers];
  if (headers.length) lines.push('');
  for (let i = 0; i < b.length; i += 64) lines.push(b.slice(i, i + 64));
  lines.push(`-----END ${label}-----`);
  return lines;
}

function sshString(s) {
  const b = Buffer.isBuffer(s) ? s : Buffer.from(s);
  const l = Buffer.alloc(4);
  l.writeUInt32BE(b.length);
  return Buffer.concat([l, b]);
}

function u32(n) {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function ed25519Public(pub) {
  return Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
}

/** Private keys, each as the lines of its file; `kind` names the format. */
export const PRIVATE_KEYS = {
  'rsa-pkcs1': (r) => pem('RSA PRIVATE KEY', rsaPkcs1(r)),
  'rsa-pkcs1-encrypted': (r) => pem('RSA PRIVATE KEY', r.bytes(1192), ['Proc-Type: 4,ENCRYPTED', `DEK-Info: AES-128-CBC,${r.hex(32).toUpperCase()}`]),
  pkcs8: (r) => pem('PRIVATE KEY', seq(int(0), seq(oid('1.2.840.113549.1.1.1'), NULL), octets(rsaPkcs1(r)))),
  'pkcs8-encrypted': (r) =>
    pem(
      'ENCRYPTED PRIVATE KEY',
      seq(
        seq(oid('1.2.840.113549.1.5.13'), seq(seq(oid('1.2.840.113549.1.5.12'), seq(octets(r.bytes(8)), tlv(0x02, Buffer.from([0x08, 0x00])))), seq(oid('2.16.840.1.101.3.4.1.42'), octets(r.bytes(16))))),
        octets(r.bytes(1232)),
      ),
    ),
  ec: (r) => pem('EC PRIVATE KEY', seq(int(1), octets(r.bytes(32)), ctx(0, oid('1.2.840.10045.3.1.7')), ctx(1, bits(Buffer.concat([Buffer.from([4]), r.bytes(64)]))))),
  dsa: (r) => pem('DSA PRIVATE KEY', seq(int(0), int(r.bytes(128)), int(r.bytes(20)), int(r.bytes(128)), int(r.bytes(128)), int(r.bytes(20)))),
  openssh: (r) => {
    const pub = r.bytes(32);
    const check = r.bytes(4);
    let priv = Buffer.concat([check, check, sshString('ssh-ed25519'), sshString(pub), sshString(Buffer.concat([r.bytes(32), pub])), sshString(`deploy@build-${r.int(1, 99)}`)]);
    const pad = [];
    for (let i = 1; priv.length % 8 !== 0; i++) {
      pad.push(i);
      priv = Buffer.concat([priv, Buffer.from([i])]);
    }
    const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), sshString('none'), sshString('none'), sshString(''), u32(1), sshString(ed25519Public(pub)), sshString(priv)]);
    const b = body.toString('base64');
    const lines = ['-----BEGIN OPENSSH PRIVATE KEY-----'];
    for (let i = 0; i < b.length; i += 70) lines.push(b.slice(i, i + 70));
    lines.push('-----END OPENSSH PRIVATE KEY-----');
    return lines;
  },
  pgp: (r) => {
    const b = Buffer.concat([Buffer.from([0x95, 0x03, 0xc6, 0x04]), r.bytes(940)]).toString('base64');
    const lines = ['-----BEGIN PGP PRIVATE KEY BLOCK-----', ''];
    for (let i = 0; i < b.length; i += 64) lines.push(b.slice(i, i + 64));
    lines.push(`=${r.str(B64, 4)}`, '-----END PGP PRIVATE KEY BLOCK-----');
    return lines;
  },
  putty: (r) => {
    const pub = ed25519Public(r.bytes(32)).toString('base64');
    return [
      'PuTTY-User-Key-File-3: ssh-ed25519',
      'Encryption: none',
      `Comment: eddsa-key-2024${String(r.int(1, 12)).padStart(2, '0')}${String(r.int(1, 28)).padStart(2, '0')}`,
      'Public-Lines: 2',
      pub.slice(0, 64),
      pub.slice(64),
      'Private-Lines: 1',
      r.bytes(36).toString('base64'),
      `Private-MAC: ${r.hex(64)}`,
    ];
  },
};

/** A certificate: public by design, must not be reported. */
export function certificate(r) {
  const tbs = seq(ctx(0, int(2)), int(r.bytes(16)), seq(oid('1.2.840.113549.1.1.11'), NULL), r.bytes(120), seq(seq(oid('1.2.840.113549.1.1.1'), NULL), bits(r.bytes(270))), r.bytes(200));
  return pem('CERTIFICATE', seq(tbs, seq(oid('1.2.840.113549.1.1.11'), NULL), bits(r.bytes(256))));
}

export function publicKeyPem(r) {
  return pem('PUBLIC KEY', seq(seq(oid('1.2.840.113549.1.1.1'), NULL), bits(seq(int(r.bytes(256)), tlv(0x02, Buffer.from([1, 0, 1]))))));
}

export function sshPublicKey(r) {
  if (r.chance(0.5)) return `ssh-ed25519 ${ed25519Public(r.bytes(32)).toString('base64')} ci@runner-${r.int(1, 40)}`;
  const blob = Buffer.concat([sshString('ssh-rsa'), sshString(Buffer.from([1, 0, 1])), sshString(Buffer.concat([Buffer.from([0]), r.bytes(256)]))]);
  return `ssh-rsa ${blob.toString('base64')} ops@bastion`;
}

export function pgpPublicKey(r) {
  const b = Buffer.concat([Buffer.from([0x99, 0x01, 0x0d, 0x04]), r.bytes(400)]).toString('base64');
  const lines = ['-----BEGIN PGP PUBLIC KEY BLOCK-----', ''];
  for (let i = 0; i < b.length; i += 64) lines.push(b.slice(i, i + 64));
  lines.push(`=${r.str(B64, 4)}`, '-----END PGP PUBLIC KEY BLOCK-----');
  return lines;
}

export function jwt(r, payload, alg = 'HS256') {
  const header = b64url(Buffer.from(JSON.stringify({ alg, typ: 'JWT' })));
  const body = b64url(Buffer.from(JSON.stringify(payload)));
  return `${header}.${body}.${b64url(r.bytes(alg === 'HS256' ? 32 : 256))}`;
}
