import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import YAML from 'yaml';
import { PACKAGE_ROOT } from '../util/paths.js';

/**
 * The build parses every YAML file under rules/ once and writes the documents to this file, keyed by
 * path and content hash: parsing ~900 YAML files took ~0.8 s of every run and left ~40 MB of garbage
 * on the heap before the scan began. A file whose content no longer matches its hash (edited since
 * the build, or not in the cache) is parsed as before, so the cache can be stale but never wrong.
 */
export const COMPILED_RULES = join(PACKAGE_ROOT, 'dist', 'rules-compiled.json');

export type Compiled = Record<string, { sha: string; doc: unknown }>;
let compiled: Compiled | undefined;

export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

function cache(): Compiled {
  if (compiled) return compiled;
  try {
    compiled = JSON.parse(readFileSync(COMPILED_RULES, 'utf8')) as Compiled;
  } catch {
    compiled = {}; // no build output (running from sources): parse everything
  }
  return compiled;
}

/** The document of `text` (the content of `rel`): the compiled one if it was built from this very content. */
export function documentOf(compiledDocs: Compiled, rel: string, text: string): unknown {
  const hit = compiledDocs[rel];
  if (hit && hit.sha === contentHash(text)) return hit.doc;
  return YAML.parse(text);
}

/** A YAML file's document: from the build's cache when the content is unchanged, else parsed. */
export function parseRulesYaml(path: string): unknown {
  return documentOf(cache(), relative(PACKAGE_ROOT, path), readFileSync(path, 'utf8'));
}
