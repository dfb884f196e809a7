import { visible } from './raw-path.js';

/**
 * Logs go to stderr, never stdout (stdout carries the report). Warnings are one line each and must
 * never contain a secret value: callers pass paths, rule ids and reasons only.
 */
let quiet = false;

export function setQuiet(q: boolean): void {
  quiet = q;
}

export function warn(msg: string): void {
  if (!quiet) process.stderr.write(`nhi-audit: warning: ${oneLine(msg)}\n`);
}

export function error(msg: string): void {
  process.stderr.write(`nhi-audit: error: ${oneLine(msg)}\n`);
}

export function info(msg: string): void {
  if (!quiet) process.stderr.write(`nhi-audit: ${oneLine(msg)}\n`);
}

/**
 * Collapse a message to one line (errors from parsers and git often span several); control
 * characters left (an escape sequence in a file name) are shown as `\x1b`, never sent to the terminal.
 */
export function oneLine(msg: string): string {
  return visible(msg.replace(/\s*\r?\n\s*/g, ' ').trim());
}
