// The working-tree corpus: real package sources at pinned versions, fetched from the npm registry
// with `npm pack` (the exact published tarballs, no dependency resolution that could drift), then
// unpacked into .bench/tree/<package>/, plus a directory of planted secrets.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLabeledCorpus } from './labeled-corpus.mjs';

/** Pinned packages: ~330 MB and ~15,000 files of JavaScript, TypeScript declarations, JSON, maps. */
export const PACKAGES = [
  'typescript@5.9.3',
  'aws-cdk-lib@2.276.0',
  'monaco-editor@0.57.0',
  'three@0.187.0',
  'pdfjs-dist@6.5.438',
  'rxjs@7.8.2',
  'lodash@4.18.1',
];

export const PLANTED_DIR = '_planted';

function tarballName(spec) {
  const at = spec.lastIndexOf('@');
  const name = spec.slice(0, at).replace(/^@/, '').replace('/', '-');
  return `${name}-${spec.slice(at + 1)}.tgz`;
}

function dirName(spec) {
  return spec.slice(0, spec.lastIndexOf('@')).replace('/', '__');
}

/** Total bytes and file count of a directory tree (regular files only). */
export function treeSize(dir) {
  let bytes = 0;
  let files = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) {
        bytes += statSync(p).size;
        files++;
      }
    }
  }
  return { bytes, files };
}

/**
 * Make sure .bench/tree holds the pinned packages (reused when already there) and a fresh planted
 * directory. Returns the planted manifest (paths relative to the tree root).
 */
export function buildTree(benchDir, log) {
  const tarDir = join(benchDir, 'tarballs');
  const tree = join(benchDir, 'tree');
  const marker = join(benchDir, 'tree.packages');
  const want = PACKAGES.join('\n');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== want) {
    mkdirSync(tarDir, { recursive: true });
    const missing = PACKAGES.filter((p) => !existsSync(join(tarDir, tarballName(p))));
    if (missing.length) {
      log(`fetching ${missing.length} package tarball(s) from the npm registry: ${missing.join(' ')}`);
      execFileSync('npm', ['pack', '--silent', '--pack-destination', tarDir, ...missing], { stdio: ['ignore', 'ignore', 'inherit'] });
    }
    rmSync(tree, { recursive: true, force: true });
    for (const p of PACKAGES) {
      const dest = join(tree, dirName(p));
      mkdirSync(dest, { recursive: true });
      execFileSync('tar', ['xzf', join(tarDir, tarballName(p)), '-C', dest, '--strip-components=1', '--no-same-owner']);
    }
    writeFileSync(marker, want);
    log(`unpacked ${PACKAGES.length} packages into ${tree}`);
  }
  const planted = join(tree, PLANTED_DIR);
  rmSync(planted, { recursive: true, force: true });
  const manifest = generateLabeledCorpus(planted, { seed: 'nhi-audit-bench-tree', perType: 1, perKind: 1 });
  const prefix = (l) => ({ ...l, path: `${PLANTED_DIR}/${l.path}` });
  return { ...manifest, files: manifest.files.map((f) => `${PLANTED_DIR}/${f}`), positives: manifest.positives.map(prefix), negatives: manifest.negatives.map(prefix) };
}
