import { ConfigParseError, locatedDoc, pathKey, type DocPath, type LocatedDoc } from './located.js';

export interface JsonParseOptions {
  /** JSONC: allow // and /* *\/ comments and trailing commas (VS Code, Zed, Gemini CLI). */
  comments: boolean;
}

/**
 * A small JSON / JSONC parser that records the line of every key and array item. Error messages
 * name the line and column and what was expected, never the text found there (it may be a secret).
 */
export function parseJsonLocated(text: string, opts: JsonParseOptions): LocatedDoc {
  const p = new Parser(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, opts.comments);
  const lines = new Map<string, number>();
  p.skip();
  lines.set(pathKey([]), p.line);
  const value = p.value([], lines, 0);
  p.skip();
  if (p.i < p.s.length) p.fail('unexpected content after the end of the document');
  return locatedDoc(value, lines);
}

const MAX_DEPTH = 200;

class Parser {
  i = 0;
  line = 1;
  private lineStart = 0;

  constructor(
    readonly s: string,
    private readonly jsonc: boolean,
  ) {}

  fail(msg: string): never {
    throw new ConfigParseError(msg, this.line, this.i - this.lineStart + 1);
  }

  private nl(at: number): void {
    this.line++;
    this.lineStart = at + 1;
  }

  /** Skip whitespace and, in JSONC, comments. */
  skip(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === '\n') {
        this.nl(this.i);
        this.i++;
      } else if (c === ' ' || c === '\t' || c === '\r') this.i++;
      else if (c === '/' && (s[this.i + 1] === '/' || s[this.i + 1] === '*')) {
        if (!this.jsonc) this.fail('comments are not allowed in this file (the client reads strict JSON)');
        if (s[this.i + 1] === '/') {
          while (this.i < s.length && s[this.i] !== '\n') this.i++;
        } else {
          const end = s.indexOf('*/', this.i + 2);
          if (end < 0) this.fail('unterminated /* comment');
          for (let k = this.i; k < end; k++) if (s[k] === '\n') this.nl(k);
          this.i = end + 2;
        }
      } else break;
    }
  }

  value(path: DocPath, lines: Map<string, number>, depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const c = this.s[this.i];
    if (c === '{') return this.object(path, lines, depth);
    if (c === '[') return this.array(path, lines, depth);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    if (this.i >= this.s.length) this.fail('unexpected end of file, expected a value');
    if (c === "'") this.fail('strings must use double quotes');
    return this.fail('expected a value (object, array, string, number, true, false or null)');
  }

  private object(path: DocPath, lines: Map<string, number>, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    this.skip();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.skip();
      if (this.s[this.i] === '}' && this.jsonc) {
        this.i++;
        return out;
      }
      if (this.s[this.i] !== '"') {
        if (this.i >= this.s.length) this.fail('unexpected end of file, expected a property name or }');
        if (this.s[this.i] === '}') this.fail('trailing comma before } (not allowed in strict JSON)');
        this.fail('expected a property name in double quotes');
      }
      const keyLine = this.line;
      const key = this.string();
      const child = [...path, key];
      lines.set(pathKey(child), keyLine);
      this.skip();
      if (this.s[this.i] !== ':') this.fail("expected ':' after a property name");
      this.i++;
      this.skip();
      // Own-property assignment that cannot touch the prototype ("__proto__" is just a key here).
      Object.defineProperty(out, key, { value: this.value(child, lines, depth + 1), enumerable: true, writable: true, configurable: true });
      this.skip();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === '}') {
        this.i++;
        return out;
      }
      if (this.i >= this.s.length) this.fail('unexpected end of file, expected , or }');
      this.fail("expected ',' or '}' after a property value");
    }
  }

  private array(path: DocPath, lines: Map<string, number>, depth: number): unknown[] {
    const out: unknown[] = [];
    this.i++;
    this.skip();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.skip();
      if (this.s[this.i] === ']') {
        if (!this.jsonc) this.fail('trailing comma before ] (not allowed in strict JSON)');
        this.i++;
        return out;
      }
      const child = [...path, out.length];
      lines.set(pathKey(child), this.line);
      out.push(this.value(child, lines, depth + 1));
      this.skip();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ']') {
        this.i++;
        return out;
      }
      if (this.i >= this.s.length) this.fail('unexpected end of file, expected , or ]');
      this.fail("expected ',' or ']' after an array item");
    }
  }

  private string(): string {
    const s = this.s;
    let out = '';
    let start = ++this.i;
    for (;;) {
      if (this.i >= s.length) this.fail('unterminated string');
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(start, this.i);
        this.i++;
        return out;
      }
      if (c === 0x0a) this.fail('line break inside a string');
      if (c === 0x5c) {
        out += s.slice(start, this.i);
        const e = s[this.i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) {
          out += simple[e];
          this.i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(this.i + 2, this.i + 6))) {
          out += String.fromCharCode(parseInt(s.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
        } else this.fail('invalid escape sequence in a string');
        start = this.i;
        continue;
      }
      this.i++;
    }
  }

  private number(): number {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) this.fail('invalid number');
    this.i += m[0].length;
    return Number(m[0]);
  }
}
