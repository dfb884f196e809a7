#!/usr/bin/env node
// Build step (after tsc): parse every YAML file under rules/ and write the documents, keyed by path
// and content hash, to dist/rules-compiled.json (read by src/rules/yaml-cache.ts). A document that
// JSON cannot carry unchanged is left out; it is parsed at run time instead.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';
import { COMPILED_RULES, contentHash } from '../dist/rules/yaml-cache.js';
import { PACKAGE_ROOT, RULES_DIR } from '../dist/util/paths.js';

const out = {};
let skipped = 0;
for (const e of readdirSync(RULES_DIR, { recursive: true, withFileTypes: true })) {
  if (!e.isFile() || !/\.ya?ml$/.test(e.name)) continue;
  const path = join(e.parentPath ?? e.path, e.name);
  const text = readFileSync(path, 'utf8');
  const doc = YAML.parse(text);
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(doc)), doc)) {
    skipped++;
    continue;
  }
  out[relative(PACKAGE_ROOT, path)] = { sha: contentHash(text), doc };
}
writeFileSync(COMPILED_RULES, JSON.stringify(out));
if (skipped) process.stderr.write(`compile-rules: ${skipped} file(s) left to be parsed at run time\n`);
