import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isOwaspId, type OwaspId } from '../model/owasp.js';
import type { CheckMeta, Precision, RuleMeta, SecretRuleSpec } from '../model/rule.js';
import { isSeverity } from '../model/severity.js';
import { PACKAGE_ROOT, RULES_DIR } from '../util/paths.js';
import { parseRulesYaml } from './yaml-cache.js';

/** A rule file that is not well-formed: names the file, the rule and the key. */
export class RuleError extends Error {}

/** Decoders a rule may name as its `detector` (src/detect/decoders.ts). */
const DETECTORS = ['kubernetes-secret'];

const PRECISIONS: Precision[] = ['very-high', 'high', 'medium', 'low'];

function req<T>(cond: T, file: string, where: string, what: string): asserts cond {
  if (!cond) throw new RuleError(`${file}: ${where}: ${what}`);
}

function str(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

function strList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function metaFrom(raw: Record<string, unknown>, file: string, where: string, group: string, kind: 'secret' | 'check'): RuleMeta {
  req(str(raw.id) && /^[a-z0-9][a-z0-9.-]*$/.test(raw.id as string), file, where, 'id must be lower-case kebab-case');
  for (const k of ['title', 'description', 'remediation']) req(str(raw[k]), file, `${where} (${raw.id})`, `${k} is required`);
  req(isSeverity(raw.severity), file, `${where} (${raw.id})`, 'severity must be one of critical, high, medium, low, info');
  req(Array.isArray(raw.owasp) && raw.owasp.length > 0 && raw.owasp.every(isOwaspId), file, `${where} (${raw.id})`, 'owasp must be a non-empty list of NHI1..NHI10');
  req(raw.references === undefined || strList(raw.references), file, `${where} (${raw.id})`, 'references must be a list of URLs');
  req(raw.precision === undefined || PRECISIONS.includes(raw.precision as Precision), file, `${where} (${raw.id})`, `precision must be one of ${PRECISIONS.join(', ')}`);
  return {
    id: raw.id as string,
    kind,
    title: raw.title as string,
    description: (raw.description as string).trim(),
    severity: raw.severity as RuleMeta['severity'],
    owasp: raw.owasp as OwaspId[],
    remediation: (raw.remediation as string).trim(),
    references: (raw.references as string[] | undefined) ?? [],
    precision: (raw.precision as Precision | undefined) ?? 'high',
    group,
    file,
  };
}

/** Parse one secret-rules document ({provider, rules: [...]}) — also used for custom rules from config. */
export function parseSecretRules(doc: unknown, file: string): SecretRuleSpec[] {
  req(doc && typeof doc === 'object', file, 'top level', 'expected a mapping with provider and rules');
  const d = doc as Record<string, unknown>;
  req(str(d.provider), file, 'top level', 'provider is required');
  req(d.covers === undefined || strList(d.covers), file, 'top level', 'covers must be a list of provider names');
  // A provider file may have no rule when the provider's credentials have no shape a rule can
  // recognise; it must then say why (`no_rule`), so the coverage table shows the reason.
  if (Array.isArray(d.rules) && d.rules.length === 0 && str(d.no_rule)) return [];
  req(Array.isArray(d.rules) && d.rules.length > 0, file, 'top level', 'rules must be a non-empty list (or empty with a no_rule reason)');
  return (d.rules as Record<string, unknown>[]).map((raw, i) => {
    const where = `rules[${i}]`;
    req(raw && typeof raw === 'object', file, where, 'expected a mapping');
    const meta = metaFrom(raw, file, where, d.provider as string, 'secret');
    const w = `${where} (${meta.id})`;
    req(str(raw.pattern), file, w, 'pattern is required');
    req(strList(raw.keywords) && raw.keywords.length > 0 && raw.keywords.every((k) => k.length >= 3), file, w, 'keywords must be a non-empty list of strings of 3+ characters');
    req(strList(raw.examples) && raw.examples.length > 0, file, w, 'examples must be a non-empty list');
    req(raw.negative_examples === undefined || strList(raw.negative_examples), file, w, 'negative_examples must be a list');
    req(raw.entropy === undefined || typeof raw.entropy === 'number', file, w, 'entropy must be a number');
    req(raw.randomness === undefined || (typeof raw.randomness === 'number' && raw.randomness > 0 && raw.randomness <= 1), file, w, 'randomness must be a number in (0, 1]');
    req(raw.validator === undefined || str(raw.validator), file, w, 'validator must be a name');
    req(raw.detector === undefined || (str(raw.detector) && DETECTORS.includes(raw.detector as string)), file, w, `detector must be one of ${DETECTORS.join(', ')}`);
    req(raw.exclude_values === undefined || strList(raw.exclude_values), file, w, 'exclude_values must be a list of regexes');
    req(raw.superseded_by === undefined || strList(raw.superseded_by), file, w, 'superseded_by must be a list of rule ids');
    const pair = raw.pair as Record<string, unknown> | undefined;
    req(pair === undefined || (str(pair.pattern) && typeof pair.window === 'number'), file, w, 'pair needs pattern and window');
    return {
      ...meta,
      kind: 'secret',
      pattern: raw.pattern as string,
      keywords: raw.keywords as string[],
      entropy: raw.entropy as number | undefined,
      randomness: raw.randomness as number | undefined,
      validator: raw.validator as string | undefined,
      exclude_values: raw.exclude_values as string[] | undefined,
      pair: pair ? { pattern: pair.pattern as string, window: pair.window as number, required: pair.required !== false } : undefined,
      superseded_by: raw.superseded_by as string[] | undefined,
      skip_placeholder_check: raw.skip_placeholder_check === true,
      keywords_match_case: raw.keywords_match_case === true,
      identifier: raw.identifier === true,
      detector: raw.detector as string | undefined,
      examples: raw.examples as string[],
      negative_examples: (raw.negative_examples as string[] | undefined) ?? [],
    } satisfies SecretRuleSpec;
  });
}

function yamlFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

function readYaml(path: string): unknown {
  const rel = relative(PACKAGE_ROOT, path);
  try {
    return parseRulesYaml(path);
  } catch (e) {
    throw new RuleError(`${rel}: ${(e as Error).message.split('\n')[0]}`);
  }
}

let secretCache: SecretRuleSpec[] | undefined;
let checkCache: CheckMeta[] | undefined;

/** Every built-in secret rule, from rules/secrets/*.yaml. Duplicate ids are an error. */
export function loadSecretRules(dir = join(RULES_DIR, 'secrets')): SecretRuleSpec[] {
  if (secretCache && dir === join(RULES_DIR, 'secrets')) return secretCache;
  const out: SecretRuleSpec[] = [];
  const seen = new Map<string, string>();
  for (const f of yamlFiles(dir)) {
    const rel = relative(PACKAGE_ROOT, f);
    for (const r of parseSecretRules(readYaml(f), rel)) {
      if (seen.has(r.id)) throw new RuleError(`${rel}: rule id ${r.id} is already defined in ${seen.get(r.id)}`);
      seen.set(r.id, rel);
      out.push(r);
    }
  }
  if (dir === join(RULES_DIR, 'secrets')) secretCache = out;
  return out;
}

/** What one provider file says about coverage: the provider names it covers and its rules, or why none. */
export interface ProviderCoverage {
  file: string;
  provider: string;
  /** Normalised provider names (lower-case, no punctuation) as in the coverage checklist. */
  covers: string[];
  ruleIds: string[];
  noRule?: string;
}

/** Normalise a provider name the way the coverage checklist does: lower-case, letters and digits only. */
export function normaliseProvider(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The coverage each provider file declares (its `provider`, `covers` and rule ids, or `no_rule`). */
export function loadProviderCoverage(dir = join(RULES_DIR, 'secrets')): ProviderCoverage[] {
  return yamlFiles(dir).map((f) => {
    const rel = relative(PACKAGE_ROOT, f);
    const d = readYaml(f) as Record<string, unknown>;
    const rules = parseSecretRules(d, rel);
    const covers = new Set([normaliseProvider(d.provider as string), ...((d.covers as string[] | undefined) ?? []).map(normaliseProvider)]);
    return { file: rel, provider: d.provider as string, covers: [...covers], ruleIds: rules.map((r) => r.id), noRule: str(d.no_rule) ? (d.no_rule as string) : undefined };
  });
}

/** Every posture check's metadata, from rules/checks/*.yaml (one check per file, named by id). */
export function loadCheckMetas(dir = join(RULES_DIR, 'checks')): CheckMeta[] {
  if (checkCache && dir === join(RULES_DIR, 'checks')) return checkCache;
  const out: CheckMeta[] = [];
  for (const f of yamlFiles(dir)) {
    const rel = relative(PACKAGE_ROOT, f);
    const raw = readYaml(f) as Record<string, unknown>;
    req(raw && typeof raw === 'object', rel, 'top level', 'expected a mapping');
    req(str(raw.area), rel, 'top level', 'area is required (aws, mcp, github …)');
    const meta = metaFrom(raw, rel, 'top level', raw.area as string, 'check');
    req(rel.endsWith(`/${meta.id}.yaml`), rel, meta.id, 'file name must be <id>.yaml');
    req(str(raw.risk), rel, meta.id, 'risk is required');
    req(Array.isArray(raw.examples) && raw.examples.length > 0, rel, meta.id, 'examples are required');
    req(str(raw.reads), rel, meta.id, 'reads is required (the observation type the check reads: aws-account, mcp-config …)');
    req(raw.needs === undefined || strList(raw.needs), rel, meta.id, 'needs must be a list of data parts');
    out.push({
      ...meta,
      kind: 'check',
      area: raw.area as string,
      risk: (raw.risk as string).trim(),
      reads: raw.reads as string,
      ...(raw.needs ? { needs: raw.needs as string[] } : {}),
      examples: raw.examples as CheckMeta['examples'],
    });
  }
  if (dir === join(RULES_DIR, 'checks')) checkCache = out;
  return out;
}

let correlationCache: RuleMeta[] | undefined;

/** Metadata of the findings correlation creates (rules/correlations/<id>.yaml): they join facts of several sources. */
export function loadCorrelationMetas(dir = join(RULES_DIR, 'correlations')): RuleMeta[] {
  if (correlationCache && dir === join(RULES_DIR, 'correlations')) return correlationCache;
  const out = yamlFiles(dir).map((f) => {
    const rel = relative(PACKAGE_ROOT, f);
    const raw = readYaml(f) as Record<string, unknown>;
    req(raw && typeof raw === 'object', rel, 'top level', 'expected a mapping');
    const meta = metaFrom(raw, rel, 'top level', 'correlation', 'check');
    req(rel.endsWith(`/${meta.id}.yaml`), rel, meta.id, 'file name must be <id>.yaml');
    return meta;
  });
  if (dir === join(RULES_DIR, 'correlations')) correlationCache = out;
  return out;
}

export function correlationMeta(id: string): RuleMeta {
  const m = loadCorrelationMetas().find((c) => c.id === id);
  if (!m) throw new RuleError(`no metadata for correlation ${id} in rules/correlations/${id}.yaml`);
  return m;
}

/** Metadata of every rule and check, for `nhi-audit rules`, SARIF's rule table and the docs. */
export function allRuleMetas(extra: RuleMeta[] = []): RuleMeta[] {
  return [...loadSecretRules(), ...loadCheckMetas(), ...loadCorrelationMetas(), ...extra];
}

export function checkMeta(id: string): CheckMeta {
  const m = loadCheckMetas().find((c) => c.id === id);
  if (!m) throw new RuleError(`no metadata for check ${id} in rules/checks/${id}.yaml`);
  return m;
}
