#!/usr/bin/env node
// Triage helper: why did (or didn't) the rules report something on a line?
//   node test/bench/explain.mjs FILE LINE [RULE-ID-SUBSTRING]
// Runs every rule whose keywords occur in the file over the whole file and prints, for matches that
// touch the line, the rule, the captured value's length, and which filter accepted or rejected it.
// Values are shown redacted (first and last 4 characters); the bench corpora hold only fake ones.
import { readFileSync } from 'node:fs';
import { shannonEntropy } from '../../dist/detect/entropy.js';
import { isPlaceholder } from '../../dist/detect/placeholder.js';
import { compileRule, matchRule } from '../../dist/detect/rule-matcher.js';
import { loadSecretRules } from '../../dist/rules/catalog.js';

const [file, lineArg, only] = process.argv.slice(2);
if (!file || !lineArg) {
  process.stderr.write('usage: node test/bench/explain.mjs FILE LINE [RULE-ID-SUBSTRING]\n');
  process.exit(2);
}
const text = readFileSync(file, 'latin1');
const line = Number(lineArg);
let start = 0;
for (let i = 1; i < line; i++) start = text.indexOf('\n', start) + 1;
const endNl = text.indexOf('\n', start);
const end = endNl < 0 ? text.length : endNl;
const short = (v) => (v.length <= 12 ? v : `${v.slice(0, 4)}…${v.slice(-4)}`);
process.stdout.write(`${file}:${line}: ${text.slice(start, Math.min(end, start + 160))}\n`);

const lower = text.toLowerCase();
for (const spec of loadSecretRules()) {
  if (only && !spec.id.includes(only)) continue;
  if (!spec.keywords.some((k) => lower.includes(k.toLowerCase()))) continue;
  const rule = compileRule(spec);
  const accepted = matchRule(rule, text).filter((m) => m.index <= end && m.end >= start);
  const raw = [];
  rule.re.lastIndex = 0;
  for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
    if (m[0].length === 0) rule.re.lastIndex++;
    if (m.index > end || m.index + m[0].length < start) continue;
    const v = m.groups?.secret ?? m[1] ?? m[0];
    raw.push(v);
  }
  if (!raw.length && !accepted.length) continue;
  for (const v of raw) {
    const why = [];
    if (!spec.skip_placeholder_check && isPlaceholder(v)) why.push('placeholder');
    if (spec.entropy !== undefined && shannonEntropy(v) < spec.entropy) why.push(`entropy ${shannonEntropy(v).toFixed(2)} < ${spec.entropy}`);
    for (const ex of spec.exclude_values ?? []) if (new RegExp(ex.replace(/^\(\?i\)/, ''), ex.startsWith('(?i)') ? 'i' : '').test(v)) why.push(`exclude_values ${ex}`);
    const ok = accepted.some((a) => a.value === v);
    process.stdout.write(`  ${spec.id}: regex matched ${short(v)} (${v.length} chars) → ${ok ? 'REPORTED' : `dropped${why.length ? ` (${why.join('; ')})` : ' (validator, pair or suppression)'}`}\n`);
  }
}
