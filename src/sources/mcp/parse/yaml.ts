import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ConfigParseError, locatedDoc, pathKey, type DocPath, type LocatedDoc } from './located.js';

/** Parse YAML (Continue's config.yaml and mcpServers blocks) keeping the line of every key and item. */
export function parseYamlLocated(text: string): LocatedDoc {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    // The parser's message may quote the text around the error; keep only its first clause.
    throw new ConfigParseError(err.message.split('\n')[0].replace(/ at line \d+, column \d+.*$/, ''), pos?.line, pos?.col);
  }
  const lines = new Map<string, number>();
  const walk = (node: Node | null | undefined, path: DocPath): void => {
    if (!node) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (k === undefined) continue;
        const child = [...path, k];
        const r = (pair.key as Node).range;
        if (r) lines.set(pathKey(child), lc.linePos(r[0]).line);
        walk(pair.value as Node, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const child = [...path, i];
        const r = (item as Node).range;
        if (r) lines.set(pathKey(child), lc.linePos(r[0]).line);
        walk(item as Node, child);
      });
    }
  };
  const root = doc.contents as Node | null;
  if (root?.range) lines.set(pathKey([]), lc.linePos(root.range[0]).line);
  walk(root, []);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new ConfigParseError((e as Error).message.split('\n')[0]);
  }
  return locatedDoc(value, lines);
}
