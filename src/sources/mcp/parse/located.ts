/** A key path into a parsed document: object keys and array indexes. */
export type DocPath = ReadonlyArray<string | number>;

/**
 * A parsed config document with the line each key (or array item) is written on, so findings can
 * point at the file and line whatever the format (JSON, JSONC, YAML, TOML).
 */
export interface LocatedDoc {
  value: unknown;
  /** 1-based line of the key at `path` (or of the item, for array elements); undefined if unknown. */
  lineOf(path: DocPath): number | undefined;
}

/** A file that does not parse: a one-line message with the line, never the offending text. */
export class ConfigParseError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line !== undefined ? `line ${line}${column !== undefined ? `, column ${column}` : ''}: ${message}` : message);
  }
}

export function pathKey(path: DocPath): string {
  return path.map(String).join('\u0000');
}

/** A LocatedDoc over a map of path keys to lines; a missing path falls back to its nearest parent. */
export function locatedDoc(value: unknown, lines: Map<string, number>): LocatedDoc {
  return {
    value,
    lineOf(path) {
      for (let n = path.length; n >= 0; n--) {
        const l = lines.get(pathKey(path.slice(0, n)));
        if (l !== undefined) return l;
      }
      return undefined;
    },
  };
}
