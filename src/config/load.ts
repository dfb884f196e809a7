import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { UsageError } from '../cli/errors.js';
import { compileRule, parsePattern } from '../detect/rule-matcher.js';
import { budgetFloorMs } from '../detect/watch.js';
import type { SecretRuleSpec } from '../model/rule.js';
import type { FailOn } from '../model/severity.js';
import { allRuleMetas, parseSecretRules, RuleError } from '../rules/catalog.js';
import { warn } from '../util/log.js';
import { PACKAGE_ROOT } from '../util/paths.js';
import { readRegularText } from '../util/safe-read.js';
import { boundedExampleFailures } from './examples.js';

/** Largest config file read (a repository controls it: a symlink to /dev/zero must not exhaust memory). */
export const MAX_CONFIG_BYTES = 1 << 20;

/** Thresholds posture checks use (CheckContext.thresholds). */
export interface Thresholds {
  maxKeyAgeDays: number;
  maxUnusedDays: number;
  /** Rotation threshold for GitHub Actions secrets, deploy keys and tokens. */
  maxSecretAgeDays: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { maxKeyAgeDays: 90, maxUnusedDays: 90, maxSecretAgeDays: 365 };

/** A validated configuration, with defaults filled in and paths made absolute. */
export interface NhiConfig {
  /** The file it came from (absolute), or undefined when no config file applies. */
  file?: string;
  failOn?: FailOn;
  failOnScore?: number;
  exclude: string[];
  /** Rule and check ids (or globs) that do not run or report. */
  disableRules: string[];
  /** Absolute path of the baseline file named in the config. */
  baseline?: string;
  allowlist: { paths: string[]; secrets: RegExp[]; fingerprints: string[] };
  thresholds: Thresholds;
  customRules: SecretRuleSpec[];
  /** Found by looking in the current or scanned directory (not named by --config): the scanned repository's own settings. */
  fromRepo?: boolean;
  /** `targets:` for `nhi-audit audit` (paths absolute). */
  targets?: AuditTargets;
}

export interface AuditTargets {
  paths: string[];
  github?: { orgs: string[]; users: string[]; repos: string[]; apiUrl?: string };
  aws?: { live: boolean; profile?: string; region?: string; endpointUrl?: string; authorizationDetails?: string; credentialReport?: string; accessKeys?: string };
  mcp?: { urls: string[]; discover: boolean; configs: string[] };
}

export const CONFIG_FILE_NAMES = ['.nhi-audit.yaml', '.nhi-audit.yml'];
export const CONFIG_SCHEMA_FILE = join(PACKAGE_ROOT, 'src', 'config', 'config.schema.json');

export function emptyConfig(): NhiConfig {
  return { exclude: [], disableRules: [], allowlist: { paths: [], secrets: [], fingerprints: [] }, thresholds: { ...DEFAULT_THRESHOLDS }, customRules: [] };
}

let validator: ValidateFunction | undefined;
function validateFn(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(CONFIG_SCHEMA_FILE, 'utf8'));
    validator = new Ajv({ allErrors: false, strict: false, verbose: true }).compile(schema);
  }
  return validator;
}

/** A JSON pointer as a key path users recognise: /allowlist/secrets/1 → allowlist.secrets[1]. */
function keyPath(segments: Array<string | number>): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out || '(top level)';
}

function segmentsOf(pointer: string): Array<string | number> {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function typeName(t: unknown): string {
  const names: Record<string, string> = { array: 'a list', object: 'a mapping', string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false' };
  return Array.isArray(t) ? t.map((x) => names[x] ?? x).join(' or ') : (names[String(t)] ?? String(t));
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  return String(v);
}

/** One schema violation as "<key>: <what is wrong>". */
function explain(e: ErrorObject): { segments: Array<string | number>; text: string } {
  const segments = segmentsOf(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const known = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {}).filter((k) => k !== '$schema');
      return { segments: [...segments, String(p.additionalProperty)], text: `unknown key (expected one of: ${known.join(', ')})` };
    }
    case 'required':
      return { segments, text: `missing required key '${String(p.missingProperty)}'` };
    case 'enum':
      return { segments, text: `must be one of ${(p.allowedValues as unknown[]).join(', ')} (got ${describeValue(e.data)})` };
    case 'type':
      return { segments, text: `must be ${typeName(p.type)} (got ${describeValue(e.data)})` };
    case 'pattern':
      return {
        segments,
        text: segments.includes('fingerprints')
          ? `must be a secret fingerprint hmac-sha256:<64 hex> or a 32-hex finding id (got ${describeValue(e.data)})`
          : segments.includes('disable-rules') || segments.at(-1) === 'id'
            ? `must be a rule id in lower-case kebab-case (got ${describeValue(e.data)})`
            : `must match ${String(p.pattern)}`,
      };
    case 'minimum':
    case 'maximum':
      return { segments, text: `must be ${e.keyword === 'minimum' ? '>=' : '<='} ${String(p.limit)} (got ${describeValue(e.data)})` };
    case 'minItems':
    case 'minLength':
      return { segments, text: Number(p.limit) <= 1 ? 'must not be empty' : `must have at least ${String(p.limit)} ${e.keyword === 'minItems' ? 'items' : 'characters'}` };
    case 'uniqueItems':
      return { segments, text: 'must not repeat an item' };
    default:
      return { segments, text: e.message ?? 'is not valid' };
  }
}

/** Finds the line of a key (or value) in the YAML source, so errors point at it. */
class SourceMap {
  constructor(
    private readonly doc: ReturnType<typeof parseDocument>,
    private readonly lines: LineCounter,
  ) {}

  line(segments: Array<string | number>): number | undefined {
    for (let n = segments.length; n >= 0; n--) {
      const at = segments.slice(0, n);
      const last = at.at(-1);
      // Prefer the key's own position (works for unknown keys too), else the value's.
      if (typeof last === 'string') {
        const parent = at.length === 1 ? this.doc.contents : this.doc.getIn(at.slice(0, -1), true);
        if (isMap(parent)) {
          const pair = parent.items.find((i) => isPair(i) && isScalar(i.key) && i.key.value === last);
          const range = (pair?.key as Node | undefined)?.range;
          if (range) return this.lines.linePos(range[0]).line;
        }
      }
      const node = at.length === 0 ? this.doc.contents : (this.doc.getIn(at, true) as Node | undefined);
      if (node && typeof node === 'object' && 'range' in node && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return undefined;
  }
}

function fail(display: string, line: number | undefined, key: string, what: string): never {
  throw new UsageError(`${display}${line ? `:${line}` : ''}: ${key}: ${what}`);
}

function compileAllowRegex(s: string): RegExp {
  const { source, flags } = parsePattern(s);
  return new RegExp(source, flags);
}

/** Custom rules: the rule-file format, checked like built-in rules (pattern compiles, examples match). */
function customRules(raw: { provider?: string; rules: unknown[] }, display: string, src: SourceMap): SecretRuleSpec[] {
  let specs: SecretRuleSpec[];
  try {
    specs = parseSecretRules({ provider: raw.provider ?? 'custom', rules: raw.rules }, `${display}: custom-rules`);
  } catch (e) {
    if (e instanceof RuleError) throw new UsageError(e.message);
    throw e;
  }
  const builtin = new Map(allRuleMetas().map((m) => [m.id, m.file]));
  const seen = new Set<string>();
  specs.forEach((spec, i) => {
    const key = `custom-rules.rules[${i}]`;
    const line = src.line(['custom-rules', 'rules', i]);
    if (builtin.has(spec.id)) fail(display, line, `${key}.id`, `'${spec.id}' is already a built-in rule (${builtin.get(spec.id)}); choose another id`);
    if (seen.has(spec.id)) fail(display, line, `${key}.id`, `'${spec.id}' is defined twice`);
    seen.add(spec.id);
    try {
      compileRule(spec);
    } catch (e) {
      fail(display, line, key, (e as Error).message);
    }
  });
  const { failures, overran } = boundedExampleFailures(specs);
  if (overran !== undefined) {
    const why = `took longer than the regex time budget (${budgetFloorMs() / 1000} s): a pattern that backtracks catastrophically; rewrite it without nested or overlapping repeats`;
    if (overran < 0) fail(display, src.line(['custom-rules']), 'custom-rules', `checking the rules' examples ${why}`);
    fail(display, src.line(['custom-rules', 'rules', overran]), `custom-rules.rules[${overran}]`, `rule ${specs[overran].id}: checking its examples ${why}`);
  }
  const f = failures[0];
  if (f) {
    const spec = specs[f.rule];
    const line = src.line(['custom-rules', 'rules', f.rule]);
    if (f.negative) fail(display, line, `custom-rules.rules[${f.rule}].negative_examples[${f.example}]`, `rule ${spec.id} matches this negative example`);
    fail(display, line, `custom-rules.rules[${f.rule}].examples[${f.example}]`, `rule ${spec.id} does not match this example (check pattern, keywords, entropy and validator)`);
  }
  return specs;
}

/**
 * Parse and validate a config document. `display` names the file in errors; `dir` resolves the
 * relative paths it contains. Every problem is a UsageError naming the file, line and key.
 */
/**
 * A path a config file names (baseline:) must stay inside the config's directory: a repository's
 * config must not make the scan read, or report about, files elsewhere on the machine.
 */
function insideDir(dir: string, p: string, display: string, line: number | undefined): string {
  const abs = resolve(dir, p);
  let real = abs;
  let base = dir;
  try {
    base = realpathSync(dir);
    real = existsSync(abs) ? realpathSync(abs) : resolve(base, relative(dir, abs));
  } catch {
    // keep the lexical paths
  }
  if (real !== base && !real.startsWith(base.endsWith(sep) ? base : base + sep)) fail(display, line, 'baseline', `must be a path inside ${dir} (got a path outside it)`);
  return abs;
}

export function parseConfig(text: string, display: string, dir: string): NhiConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new UsageError(`${display}:${e.linePos?.[0].line ?? '?'}: invalid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const data = doc.toJS() as unknown;
  const cfg = emptyConfig();
  if (data === null || data === undefined) return cfg;
  const src = new SourceMap(doc, lines);
  if (typeof data !== 'object' || Array.isArray(data)) fail(display, 1, '(top level)', 'expected a mapping of settings such as fail-on, exclude, allowlist');
  const validate = validateFn();
  if (!validate(data)) {
    const { segments, text: what } = explain(validate.errors![0]);
    fail(display, src.line(segments), keyPath(segments), what);
  }
  const d = data as Record<string, any>;
  if (d['fail-on'] !== undefined) cfg.failOn = d['fail-on'];
  if (d['fail-on-score'] !== undefined) cfg.failOnScore = d['fail-on-score'];
  cfg.exclude = d.exclude ?? [];
  cfg.disableRules = d['disable-rules'] ?? [];
  if (d.baseline !== undefined) cfg.baseline = insideDir(dir, d.baseline, display, src.line(['baseline']));
  const allow = d.allowlist ?? {};
  cfg.allowlist.paths = allow.paths ?? [];
  cfg.allowlist.fingerprints = allow.fingerprints ?? [];
  cfg.allowlist.secrets = (allow.secrets ?? []).map((s: string, i: number) => {
    try {
      return compileAllowRegex(s);
    } catch (e) {
      return fail(display, src.line(['allowlist', 'secrets', i]), `allowlist.secrets[${i}]`, `invalid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
    }
  });
  const th = d.thresholds ?? {};
  cfg.thresholds = {
    maxKeyAgeDays: th['max-key-age-days'] ?? DEFAULT_THRESHOLDS.maxKeyAgeDays,
    maxUnusedDays: th['max-unused-days'] ?? DEFAULT_THRESHOLDS.maxUnusedDays,
    maxSecretAgeDays: th['max-secret-age-days'] ?? DEFAULT_THRESHOLDS.maxSecretAgeDays,
  };
  if (d['custom-rules']) cfg.customRules = customRules(d['custom-rules'], display, src);
  if (d.targets) {
    const t = d.targets;
    const abs = (p: string | undefined) => (p === undefined ? undefined : resolve(dir, p));
    cfg.targets = { paths: (t.paths ?? []).map((p: string) => resolve(dir, p)) };
    if (t.github) cfg.targets.github = { orgs: t.github.orgs ?? [], users: t.github.users ?? [], repos: t.github.repos ?? [], apiUrl: t.github['api-url'] };
    if (t.aws)
      cfg.targets.aws = {
        live: t.aws.live === true,
        profile: t.aws.profile,
        region: t.aws.region,
        endpointUrl: t.aws['endpoint-url'],
        authorizationDetails: abs(t.aws['authorization-details']),
        credentialReport: abs(t.aws['credential-report']),
        accessKeys: abs(t.aws['access-keys']),
      };
    if (t.mcp) cfg.targets.mcp = { urls: t.mcp.urls ?? [], discover: t.mcp.discover === true, configs: (t.mcp.configs ?? []).map((p: string) => resolve(dir, p)) };
  }
  return cfg;
}

/** Load one config file; a missing or unreadable file is a usage error naming it. */
export function loadConfigFile(path: string, cwd = process.cwd()): NhiConfig {
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  const display = rel && !rel.startsWith('..') ? rel : abs;
  let text: string;
  try {
    text = readRegularText(abs, MAX_CONFIG_BYTES);
  } catch (e) {
    throw new UsageError(`${display}: cannot read the config file (${(e as Error).message})`);
  }
  const cfg = parseConfig(text, display, dirname(abs));
  cfg.file = abs;
  return cfg;
}

/** The first .nhi-audit.yaml / .nhi-audit.yml in these directories. */
export function findConfigFile(dirs: string[]): string | undefined {
  for (const d of dirs) {
    for (const name of CONFIG_FILE_NAMES) {
      const p = join(d, name);
      if (existsSync(p)) return p;
    }
  }
  return undefined;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export interface ConfigSelection {
  /** --config FILE, or false for --no-config. */
  config?: string | false;
  /** The paths a scan was given: with exactly one directory, its config applies when the cwd has none. */
  roots?: string[];
  /** false with --no-repo-config: do not look for .nhi-audit.yaml (only --config FILE applies). */
  repoConfig?: boolean;
  cwd?: string;
}

/**
 * The configuration for a run: --config FILE, else .nhi-audit.yaml in the current directory, else
 * in the one directory being scanned; --no-config uses none.
 */
export function resolveConfig(sel: ConfigSelection = {}): NhiConfig {
  const cwd = sel.cwd ?? process.cwd();
  if (sel.config === false) return emptyConfig();
  if (typeof sel.config === 'string') return loadConfigFile(sel.config, cwd);
  const dirs = [cwd];
  const roots = (sel.roots ?? []).map((r) => resolve(cwd, r));
  if (roots.length === 1 && isDir(roots[0]) && roots[0] !== cwd) dirs.push(roots[0]);
  if (sel.repoConfig === false) return emptyConfig();
  const found = findConfigFile(dirs);
  if (!found) return emptyConfig();
  const cfg = loadConfigFile(found, cwd);
  cfg.fromRepo = true;
  const settings = repoSettings(cfg);
  if (settings.length) warn(`settings from the scanned repository's ${relative(cwd, found) || found}: ${settings.join(', ')} (--no-repo-config ignores them)`);
  return cfg;
}

/** The settings a config file changes, named for the stderr notice (no values that could be secrets). */
export function repoSettings(cfg: NhiConfig): string[] {
  const out: string[] = [];
  if (cfg.failOn !== undefined) out.push(`fail-on ${cfg.failOn}`);
  if (cfg.failOnScore !== undefined) out.push(`fail-on-score ${cfg.failOnScore}`);
  if (cfg.exclude.length) out.push(`exclude (${cfg.exclude.length})`);
  if (cfg.disableRules.length) out.push(`disable-rules (${cfg.disableRules.length})`);
  const allow = cfg.allowlist.paths.length + cfg.allowlist.secrets.length + cfg.allowlist.fingerprints.length;
  if (allow) out.push(`allowlist (${allow})`);
  if (cfg.baseline) out.push('baseline');
  if (cfg.customRules.length) out.push(`custom-rules (${cfg.customRules.length})`);
  if (cfg.thresholds.maxKeyAgeDays !== DEFAULT_THRESHOLDS.maxKeyAgeDays || cfg.thresholds.maxUnusedDays !== DEFAULT_THRESHOLDS.maxUnusedDays) out.push('thresholds');
  return out;
}
