import { UsageError } from './errors.js';

/** Parse sizes such as 10MB, 512k, 1g or a plain byte count. */
export function parseSize(s: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?$/i.exec(s.trim());
  if (!m) throw new UsageError(`${flag} expects a size such as 10MB, 512KB or 1048576, got '${s}'`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1048576 : unit === 'g' ? 1073741824 : 1;
  return Math.floor(Number(m[1]) * mult);
}
