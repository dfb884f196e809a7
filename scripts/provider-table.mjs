#!/usr/bin/env node
// Writes the README's provider table (between the provider-table markers) from rules/secrets/*.yaml and
// the coverage checklist (../shared/coverage/providers.tsv, or $NHI_AUDIT_CHECKLIST). Run after `npm run build`.
//   npm run docs            rewrite README.md
//   npm run docs -- --check exit 1 when README.md is stale
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { coverageSummary, findChecklist, loadChecklist, renderProviderTable, withProviderTable } from '../dist/rules/coverage.js';
import { PACKAGE_ROOT } from '../dist/util/paths.js';

const check = process.argv.includes('--check');
const path = findChecklist();
if (!path) {
  console.error('provider-table: no coverage checklist found (shared/coverage/providers.tsv beside the repository, or set NHI_AUDIT_CHECKLIST)');
  process.exit(2);
}
const checklist = loadChecklist(path);
const readmePath = join(PACKAGE_ROOT, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const next = withProviderTable(readme, renderProviderTable(checklist));
const s = coverageSummary(checklist);
console.error(`provider-table: ${s.providers} providers, ${s.withRules} with rules, ${s.withReason} with a no-rule reason, ${s.missing.length} not covered`);
if (s.unknownCovers.length) console.error(`provider-table: covers entries not in the checklist: ${s.unknownCovers.map((u) => `${u.file}:${u.name}`).join(', ')}`);
if (check) {
  if (next !== readme) {
    console.error('provider-table: README.md is stale; run `npm run docs`');
    process.exit(1);
  }
} else if (next !== readme) {
  writeFileSync(readmePath, next);
  console.error('provider-table: README.md updated');
}
