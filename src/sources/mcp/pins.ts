import { SourceInputError } from '../../model/artifact.js';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { jsonErrorReason, readRegularText } from '../../util/safe-read.js';
import { sha256Hex } from '../../model/fingerprint.js';
import type { McpToolInfo } from '../../model/mcp.js';

/**
 * The pin file (--pin FILE): per endpoint, a hash of each tool's name, description, required input
 * and annotations. A later run compares and reports changed or added tools (rug pulls), then
 * records the new state.
 */
export interface PinFile {
  version: 1;
  endpoints: Record<string, Record<string, string>>;
}

export class PinFileError extends SourceInputError {}

export function toolHash(t: McpToolInfo): string {
  return `sha256:${sha256Hex(JSON.stringify([t.name, t.description ?? '', [...(t.required ?? [])].sort(), t.readOnlyHint ?? null, t.destructiveHint ?? null]))}`;
}

export function loadPins(file: string): PinFile {
  if (!existsSync(file)) return { version: 1, endpoints: {} };
  let doc: unknown;
  try {
    doc = JSON.parse(readRegularText(file, 64 << 20));
  } catch (e) {
    throw new PinFileError(`${file}: not a pin file (${e instanceof SyntaxError ? jsonErrorReason(e) : (e as Error).message})`);
  }
  const d = doc as Partial<PinFile>;
  if (!d || d.version !== 1 || typeof d.endpoints !== 'object' || d.endpoints === null) throw new PinFileError(`${file}: not an nhi-audit pin file (expected {"version": 1, "endpoints": {…}})`);
  return d as PinFile;
}

export function comparePins(pins: PinFile, url: string, tools: McpToolInfo[]): { changed: string[]; added: string[]; removed: string[]; firstRun: boolean } {
  const before = pins.endpoints[url];
  const now = Object.fromEntries(tools.map((t) => [t.name, toolHash(t)]));
  if (!before) return { changed: [], added: Object.keys(now), removed: [], firstRun: true };
  return {
    changed: Object.keys(now).filter((n) => before[n] !== undefined && before[n] !== now[n]),
    added: Object.keys(now).filter((n) => before[n] === undefined),
    removed: Object.keys(before).filter((n) => now[n] === undefined),
    firstRun: false,
  };
}

export function recordPins(pins: PinFile, url: string, tools: McpToolInfo[]): void {
  pins.endpoints[url] = Object.fromEntries(tools.map((t) => [t.name, toolHash(t)]));
}

/** Write atomically, so an interrupted run never leaves half a pin file. */
export function savePins(file: string, pins: PinFile): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(pins, null, 2)}\n`);
  renameSync(tmp, file);
}
