import picomatch from 'picomatch';
import type { Finding } from '../model/finding.js';
import { DEFAULT_SALT, findingId, saltedFingerprint, secretFingerprint } from '../model/fingerprint.js';
import type { SecretRuleSpec } from '../model/rule.js';
import { isExcluded, loadExcludes } from '../sources/fs/ignore.js';
import { allRuleMetas } from '../rules/catalog.js';
import { warn } from '../util/log.js';
import { BoundedRegexes } from './bounded-regex.js';
import type { NhiConfig } from './load.js';

/** What a config file changes in a run, as small predicates the scan and the report stage apply. */

/** true for a rule or check id that `disable-rules` names (ids or globs such as generic-*). */
export function disabledRule(cfg: NhiConfig): (id: string) => boolean {
  if (cfg.disableRules.length === 0) return () => false;
  const match = picomatch(cfg.disableRules);
  return (id) => match(id);
}

/** Warn about disable-rules entries that name no known rule (a typo would silently disable nothing). */
export function warnUnknownDisabled(cfg: NhiConfig): void {
  const ids = [...allRuleMetas().map((m) => m.id), ...cfg.customRules.map((r) => r.id)];
  for (const pat of cfg.disableRules) {
    const m = picomatch(pat);
    if (!ids.some((id) => m(id))) warn(`${cfg.file ?? 'config'}: disable-rules: '${pat}' matches no rule or check`);
  }
}

/** The secret rules a scan runs: built-in ones minus the disabled, plus the custom ones. */
export function activeSecretRules(cfg: NhiConfig, builtin: SecretRuleSpec[]): SecretRuleSpec[] {
  const off = disabledRule(cfg);
  return [...builtin, ...cfg.customRules].filter((r) => !off(r.id));
}

function fingerprintSet(cfg: NhiConfig): Set<string> {
  return new Set(cfg.allowlist.fingerprints);
}

/**
 * The scan-time allowlist hook: drops a match by path, by a regex on the value, or by the secret's
 * fingerprint (or finding id), before any finding (and so any report) holds it.
 */
export function secretAllowlist(cfg: NhiConfig): ((ruleId: string, secret: string, path: string | undefined) => boolean) | undefined {
  const { paths, secrets } = cfg.allowlist;
  const fps = fingerprintSet(cfg);
  // Custom rules' own examples (in the config file itself) are known not to be secrets.
  const examples = cfg.customRules.flatMap((r) => r.examples);
  if (paths.length === 0 && secrets.length === 0 && fps.size === 0 && examples.length === 0) return undefined;
  const ig = paths.length ? loadExcludes(undefined, paths) : undefined;
  // The scanned repository may write these: they run under the same time budget as its custom rules.
  const allowed = new BoundedRegexes(secrets, (ms) =>
    warn(`${cfg.file ?? 'config'}: allowlist.secrets: a pattern ran longer than the regex time budget (${Math.round(ms / 1000)} s) on a found value; its patterns are ignored for the rest of the scan, so nothing more is allowlisted by them`),
  );
  return (ruleId, secret, path) => {
    if (ig && path && isExcluded(ig, path)) return true;
    if (examples.some((ex) => ex.includes(secret))) return true;
    if (allowed.test(secret)) return true;
    if (fps.size > 0) {
      // This run's fingerprint, and the default-salt one a report without a baseline shows.
      for (const fp of new Set([secretFingerprint(secret), saltedFingerprint(secret, DEFAULT_SALT)])) {
        if (fps.has(fp) || fps.has(findingId(ruleId, fp))) return true;
      }
    }
    return false;
  };
}

/**
 * The report-time filter for findings from every source (posture checks included): disabled rules,
 * allowlisted finding ids or secret fingerprints, allowlisted paths. Returns the kept findings and
 * how many were dropped per target index.
 */
export function applyConfigFilters(findings: Finding[], cfg: NhiConfig): { kept: Finding[]; dropped: Map<number, number> } {
  const off = disabledRule(cfg);
  const fps = fingerprintSet(cfg);
  const ig = cfg.allowlist.paths.length ? loadExcludes(undefined, cfg.allowlist.paths) : undefined;
  const dropped = new Map<number, number>();
  const kept = findings.filter((f) => {
    const drop =
      off(f.ruleId) ||
      fps.has(f.id) ||
      (f.secret !== undefined && fps.has(f.secret.fingerprint)) ||
      (ig !== undefined && f.occurrences.length > 0 && f.occurrences.every((o) => o.path !== undefined && !o.path.startsWith('/') && isExcluded(ig, o.path)));
    if (drop) dropped.set(f.location.target ?? 0, (dropped.get(f.location.target ?? 0) ?? 0) + 1);
    return !drop;
  });
  return { kept, dropped };
}
