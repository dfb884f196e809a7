import { isIP } from 'node:net';

/** Host names and addresses of this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.') || h === '0.0.0.0';
  if (isIP(h) === 6) return h === '::1' || h === '::' || /^::ffff:127\./.test(h);
  return false;
}

/** Where an address is: this machine, a private network (RFC 1918, ULA, link-local, CGNAT), or the internet. */
export function addressClass(addr: string): 'loopback' | 'private' | 'public' {
  const a = addr.replace(/^\[|\]$/g, '').toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');
  if (isLoopbackHost(a)) return 'loopback';
  if (isIP(a) === 4) {
    const [x, y] = a.split('.').map(Number);
    if (x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 169 && y === 254) || (x === 100 && y >= 64 && y <= 127)) return 'private';
    return 'public';
  }
  if (isIP(a) === 6) return /^f[cd]|^fe[89ab]/.test(a) ? 'private' : 'public';
  // A name that is not resolved yet: single-label names and .local/.internal/.lan are local networks.
  if (!a.includes('.') || /\.(local|internal|lan|home\.arpa|intranet|corp)$/.test(a)) return 'private';
  return 'public';
}
