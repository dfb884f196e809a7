import { randomBytes } from 'node:crypto';
import { tokenWithCrc32 } from '../../src/detect/validators.js';

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62 of length n (fresh fake credentials for each test run). */
export function rand62(n: number): string {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += B62[bytes[i] % 62];
  return s;
}

/** Fake but well-formed credentials of common types, planted in test fixtures. */
export const fake = {
  githubPat: () => tokenWithCrc32('ghp_', rand62(30)),
  awsKeyId: () => `AKIA${Array.from(randomBytes(16), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('')}`,
  awsSecret: () => Array.from(randomBytes(40), (b) => (B62 + '+/')[b % 64]).join(''),
  stripeLive: () => `sk_live_${rand62(24)}`,
  slackBot: () => `xoxb-${1000000000 + (randomBytes(4).readUInt32BE() % 8999999999)}-${1000000000 + (randomBytes(4).readUInt32BE() % 8999999999)}-${rand62(24)}`,
};
