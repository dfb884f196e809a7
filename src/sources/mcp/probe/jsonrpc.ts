/** JSON-RPC over HTTP bodies: plain JSON or a Server-Sent Events stream of messages. */

export interface SseEvent {
  event: string;
  data: string;
}

/** Parse an SSE body (text/event-stream) into events; tolerant of CRLF and partial streams. */
export function sseEvents(text: string): SseEvent[] {
  const out: SseEvent[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) continue;
      const m = /^([^:]+):?\s?(.*)$/.exec(line);
      if (!m) continue;
      if (m[1] === 'event') event = m[2];
      else if (m[1] === 'data') data.push(m[2]);
    }
    if (data.length) out.push({ event, data: data.join('\n') });
  }
  return out;
}

export interface JsonRpcAnswer {
  result?: Record<string, unknown>;
  error?: { code?: number; message?: string };
}

function asAnswer(v: unknown, id: number | string): JsonRpcAnswer | undefined {
  const list = Array.isArray(v) ? v : [v];
  for (const m of list) {
    if (!m || typeof m !== 'object') continue;
    const o = m as Record<string, unknown>;
    if (o.jsonrpc !== '2.0' || (o.id !== id && o.id !== null)) continue;
    if (o.result && typeof o.result === 'object') return { result: o.result as Record<string, unknown> };
    if (o.error && typeof o.error === 'object') return { error: o.error as JsonRpcAnswer['error'] };
  }
  return undefined;
}

/** The JSON-RPC response with `id` in a body, whichever way it was framed. */
export function jsonRpcAnswer(body: string, contentType: string | undefined, id: number | string): JsonRpcAnswer | undefined {
  const parse = (s: string): unknown => {
    try {
      return JSON.parse(s);
    } catch {
      return undefined;
    }
  };
  if (/event-stream/i.test(contentType ?? '')) {
    for (const e of sseEvents(body)) {
      const a = asAnswer(parse(e.data), id);
      if (a) return a;
    }
    return undefined;
  }
  return asAnswer(parse(body), id);
}

export function jsonRpcRequest(id: number, method: string, params: Record<string, unknown> = {}): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params });
}
