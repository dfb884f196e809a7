import { SourceInputError } from '../../model/artifact.js';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Sockets this machine listens on, from the Linux socket table (/proc/net/tcp and tcp6): the
 * ones bound to every interface (0.0.0.0 or ::) are the candidates `--local` probes for MCP.
 */
export interface Listener {
  address: string;
  port: number;
  family: 4 | 6;
  inode: string;
}

const LISTEN = '0A';

function ipv4(hex: string): string {
  // Little-endian 32-bit: 0100007F → 127.0.0.1
  const b = hex.match(/../g)!.map((h) => parseInt(h, 16));
  return b.reverse().join('.');
}

function ipv6(hex: string): string {
  // Four little-endian 32-bit words.
  const words = hex.match(/.{8}/g)!.map((w) => w.match(/../g)!.reverse().join(''));
  const groups = words.join('').match(/.{4}/g)!.map((g) => parseInt(g, 16));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${[groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255].join('.')}`;
  }
  // RFC 5952: compress the longest run of two or more zero groups.
  let best = [-1, 0];
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best[1] && j - i >= 2) best = [i, j - i];
    i = j;
  }
  const hexes = groups.map((g) => g.toString(16));
  if (best[0] < 0) return hexes.join(':');
  return `${hexes.slice(0, best[0]).join(':')}::${hexes.slice(best[0] + best[1]).join(':')}`;
}

/** Listening sockets in one /proc/net/tcp{,6} table. */
export function parseProcNet(text: string, family: 4 | 6): Listener[] {
  const out: Listener[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== LISTEN) continue;
    const [addr, port] = f[1].split(':');
    if (!addr || !port) continue;
    out.push({ address: family === 4 ? ipv4(addr) : ipv6(addr), port: parseInt(port, 16), family, inode: f[9] });
  }
  return out;
}

export class LocalUnsupportedError extends SourceInputError {}

/** Every socket listening on all interfaces (0.0.0.0, ::, ::ffff:0.0.0.0), one per port. */
export function allInterfaceListeners(procRoot = '/proc'): Listener[] {
  const tables: Array<[string, 4 | 6]> = [
    [join(procRoot, 'net', 'tcp'), 4],
    [join(procRoot, 'net', 'tcp6'), 6],
  ];
  const out: Listener[] = [];
  let readAny = false;
  for (const [file, fam] of tables) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
      readAny = true;
    } catch {
      continue;
    }
    out.push(...parseProcNet(text, fam).filter((l) => l.address === '0.0.0.0' || l.address === '::' || l.address === '::ffff:0.0.0.0'));
  }
  if (!readAny) throw new LocalUnsupportedError(`--local reads the socket table at ${join(procRoot, 'net', 'tcp')}, which this system does not have (Linux only)`);
  const byPort = new Map<number, Listener>();
  for (const l of out) if (!byPort.has(l.port) || l.family === 4) byPort.set(l.port, l);
  return [...byPort.values()].sort((a, b) => a.port - b.port);
}

/** The command of the process that owns a socket inode, when it is ours to see (best effort, bounded). */
export function processOfInode(inode: string, procRoot = '/proc', maxPids = 4000): string | undefined {
  let pids: string[];
  try {
    pids = readdirSync(procRoot).filter((p) => /^\d+$/.test(p)).slice(0, maxPids);
  } catch {
    return undefined;
  }
  const target = `socket:[${inode}]`;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(join(procRoot, pid, 'fd'));
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(join(procRoot, pid, 'fd', fd)) === target) {
          const comm = readFileSync(join(procRoot, pid, 'comm'), 'utf8').trim();
          return `${comm} (pid ${pid})`;
        }
      } catch {
        /* gone or not ours */
      }
    }
  }
  return undefined;
}
