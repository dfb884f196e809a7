import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { remoteLine } from '../../../util/redact.js';

/**
 * What an MCP server said when it refused or failed — a JSON-RPC error, an OAuth `error` /
 * `error_description`, a plain-text body — as one redacted line for a report or a warning. The
 * server's words help the user fix the problem, but they are the server's: they may echo the
 * token it was sent or a header, so they always pass through the secret redaction. HTML pages are
 * not quoted (noise, and whatever the page holds).
 */

const MAX = 160;

function fromJson(v: unknown): string | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const err = o.error;
  if (err && typeof err === 'object') {
    const e = err as Record<string, unknown>;
    if (typeof e.message === 'string') return typeof e.code === 'number' ? `${e.code}: ${e.message}` : e.message;
  }
  if (typeof o.error_description === 'string') return typeof err === 'string' ? `${err}: ${o.error_description}` : o.error_description;
  if (typeof err === 'string') return err;
  if (typeof o.message === 'string') return o.message;
  return undefined;
}

/** The server's message in a body, if it has one worth quoting. */
export function saidInBody(body: string, contentType: string | undefined, known: Array<string | undefined>): string | undefined {
  const text = body.trim();
  if (!text) return undefined;
  let raw: string | undefined;
  if (/json/i.test(contentType ?? '') || /^[{[]/.test(text)) {
    try {
      raw = fromJson(JSON.parse(text));
    } catch {
      raw = undefined;
    }
  } else if (/^text\/plain/i.test(contentType ?? '') || (!contentType && !text.startsWith('<'))) raw = text;
  if (raw === undefined) return undefined;
  return remoteLine(raw, known, MAX) || undefined;
}

/** The server's message in an error the MCP SDK threw (a JSON-RPC error, an HTTP error with its body). */
export function saidInError(e: unknown, known: Array<string | undefined>): string | undefined {
  // The SDK prefixes "MCP error <code>: " on each side (a server built on it sends it prefixed already).
  if (e instanceof McpError) return remoteLine(`${e.code}: ${e.message.replace(/^(?:MCP error -?\d+: )+/, '')}`, known, MAX) || undefined;
  if (!(e instanceof Error)) return undefined;
  const m = /Error POSTing to endpoint(?: \(HTTP \d+\))?: ([\s\S]*)$/.exec(e.message);
  return m ? saidInBody(m[1], undefined, known) : undefined;
}
