// Scores a scan report against a labeled manifest: a planted credential is found when an occurrence
// of a finding lies on its lines and the finding's rule belongs to the credential's provider.

export const GENERIC_RULE = 'generic-secret-assignment';

/**
 * Every place a secret rule reported something: one detection per (rule, path, line, commit). The
 * report joins findings of the same secret (a provider rule and the MCP literal-credential check, two
 * rules on one token): the joined finding's secret rules are its rule, `evidence.recognisedAs` and
 * `evidence.alsoMatchedBy`, and each of its places counts for all of them (the report no longer says
 * which rule saw which place).
 */
export function detections(report, ruleGroups) {
  const out = new Map();
  for (const f of report.findings) {
    const ids = [...new Set([f.ruleId, f.evidence?.recognisedAs, ...(Array.isArray(f.evidence?.alsoMatchedBy) ? f.evidence.alsoMatchedBy : [])].filter((id) => typeof id === 'string' && ruleGroups.has(id)))];
    if (ids.length === 0) continue; // posture findings (MCP config analysis …) that hold no secret rule's match
    for (const o of f.occurrences ?? [f.location]) {
      if (!o.path || !o.line) continue;
      const key = `${ids[0]}\0${o.path}\0${o.line}\0${o.commit ?? ''}`;
      if (!out.has(key)) out.set(key, { ruleId: ids[0], ruleIds: ids, groups: ids.map((id) => ruleGroups.get(id)), group: ruleGroups.get(ids[0]), path: o.path, line: o.line, commit: o.commit });
    }
  }
  return [...out.values()];
}

function index(labels) {
  const byPath = new Map();
  for (const l of labels) byPath.set(l.path, [...(byPath.get(l.path) ?? []), l]);
  return (d) => (byPath.get(d.path) ?? []).filter((l) => d.line >= l.line && d.line <= l.endLine && (!l.commit || !d.commit || l.commit === d.commit));
}

const acceptable = (label, d) => {
  const re = new RegExp(label.accept, 'i');
  return (d.ruleIds ?? [d.ruleId]).some((id, i) => re.test(`${d.groups?.[i] ?? d.group}/${id}`));
};
// A joined finding that the generic rule is part of found the place generically (at least).
const isGeneric = (d) => (d.ruleIds ?? [d.ruleId]).some((id, i) => id === GENERIC_RULE || (d.groups?.[i] ?? d.group) === 'generic');

/**
 * Recall over the manifest's positives and precision over the detections inside `scope` (a path
 * predicate: the labeled corpus, or the planted directory of the tree).
 */
export function score(manifest, dets, { scope = () => true, requireCommit = false } = {}) {
  const inScope = dets.filter((d) => scope(d.path) && (!requireCommit || d.commit));
  const posAt = index(manifest.positives);
  const negAt = index(manifest.negatives ?? []);
  const found = new Map(); // positive id → rule ids that found it
  const wrongRule = new Map();
  const covered = new Set(); // positive ids with any finding on their lines, whatever the rule
  let correct = 0;
  const falsePositives = [];
  const perGroup = {}; // detections and correct detections by the family of the detection's rule
  const tally = (d, ok) => {
    const g = (perGroup[d.group] ??= { detections: 0, correct: 0 });
    g.detections++;
    if (ok) g.correct++;
  };
  for (const d of inScope) {
    const ps = posAt(d);
    for (const p of ps) covered.add(p.id);
    if (ps.length) {
      let ok = false;
      for (const p of ps) {
        if (acceptable(p, d)) {
          found.set(p.id, [...(found.get(p.id) ?? []), d.ruleId]);
          ok = true;
        } else wrongRule.set(p.id, [...(wrongRule.get(p.id) ?? []), d.ruleId]);
      }
      // A generic match on a real planted secret is a true alarm, just less specific.
      if (ok || isGeneric(d)) correct++;
      else falsePositives.push({ ...d, reason: `wrong provider for ${ps.map((p) => p.type).join(',')}` });
      tally(d, ok || isGeneric(d));
      continue;
    }
    tally(d, false);
    const ns = negAt(d);
    falsePositives.push({ ...d, reason: ns.length ? `look-alike ${ns.map((n) => n.kind).join(',')}` : 'unlabeled line' });
  }
  const perProvider = {};
  const perType = {};
  const misses = [];
  const rulesUsed = {};
  for (const p of manifest.positives) {
    const pp = (perProvider[p.provider] ??= { total: 0, found: 0 });
    const pt = (perType[p.type] ??= { total: 0, found: 0 });
    pp.total++;
    pt.total++;
    const rules = found.get(p.id);
    if (rules) {
      pp.found++;
      pt.found++;
      for (const r of new Set(rules)) (rulesUsed[p.type] ??= {})[r] = ((rulesUsed[p.type] ??= {})[r] ?? 0) + 1;
    } else {
      misses.push({ id: p.id, type: p.type, provider: p.provider, path: p.path, line: p.line, format: p.format, ...(p.commit ? { commit: p.commit } : {}), wrongRules: [...new Set(wrongRule.get(p.id) ?? [])] });
    }
  }
  const fpByKind = {};
  for (const fp of falsePositives) fpByKind[fp.reason] = (fpByKind[fp.reason] ?? 0) + 1;
  const fpByRule = {};
  for (const fp of falsePositives) fpByRule[fp.ruleId] = (fpByRule[fp.ruleId] ?? 0) + 1;
  return {
    positives: manifest.positives.length,
    negatives: (manifest.negatives ?? []).length,
    found: found.size,
    recall: manifest.positives.length ? found.size / manifest.positives.length : 1,
    /** Reported by some rule, possibly only the generic one: the leak is not missed, just less specific. */
    recallAnyRule: manifest.positives.length ? covered.size / manifest.positives.length : 1,
    detections: inScope.length,
    correctDetections: correct,
    precision: inScope.length ? correct / inScope.length : 1,
    misses,
    falsePositives,
    fpByKind,
    fpByRule,
    perProvider,
    perGroup,
    perType,
    rulesUsed,
  };
}

/**
 * Recall and precision per provider family: recall over the family's planted credentials, precision
 * over the detections its rules made (1 when they made none). Sorted worst first (the lower of the two).
 */
export function perFamily(result) {
  const fams = new Set([...Object.keys(result.perProvider), ...Object.keys(result.perGroup ?? {})]);
  const rows = [];
  for (const f of fams) {
    const p = result.perProvider[f] ?? { total: 0, found: 0 };
    const g = result.perGroup?.[f] ?? { detections: 0, correct: 0 };
    const recall = p.total ? p.found / p.total : 1;
    const precision = g.detections ? g.correct / g.detections : 1;
    rows.push({ family: f, planted: p.total, found: p.found, recall, detections: g.detections, correct: g.correct, precision });
  }
  return rows.sort((a, b) => Math.min(a.recall, a.precision) - Math.min(b.recall, b.precision) || a.family.localeCompare(b.family));
}
