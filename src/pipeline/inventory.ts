import type { Finding } from '../model/finding.js';
import type { IdentityRecord, InventoryRow } from '../model/identity.js';

const DAY = 86_400_000;
const MAX_WHERE = 5;

/** A leaked credential as an identity: one per secret finding (the credential, never its value). */
function leakedRecord(f: Finding): IdentityRecord {
  const intro = f.occurrences.find((o) => o.commit) ?? f.occurrences[0];
  const places = [...new Set(f.occurrences.map((o) => `${o.resource && !o.path ? o.resource : `${o.path ?? '?'}${o.line ? `:${o.line}` : ''}`}`))];
  const ev = f.evidence ?? {};
  return {
    id: `secret:${f.secret!.fingerprint}`,
    kind: 'leaked-credential',
    name: `${f.title} (${f.secret!.redacted})`,
    provider: 'code',
    ...(intro?.author ? { owner: intro.author } : typeof ev.iamUser === 'string' ? { owner: ev.iamUser } : {}),
    ...(intro?.commitDate ? { created: intro.commitDate } : {}),
    status: ev.iamKeyStatus === 'Active' ? 'active' : ev.iamKeyStatus === 'Inactive' ? 'inactive' : 'unknown',
    where: places.slice(0, MAX_WHERE).concat(places.length > MAX_WHERE ? [`… ${places.length - MAX_WHERE} more places`] : []),
    keys: [f.secret!.fingerprint, ...(f.secret!.identifierFingerprint ? [f.secret!.identifierFingerprint] : [])],
  };
}

/**
 * The inventory: one row per identity or credential the run saw, with or without findings. Findings
 * join rows by the row's id (a finding's resource: ARN, URL, GitHub resource), by join keys (secret
 * and key-id fingerprints) and by the places that name the row.
 */
export function buildInventory(identities: IdentityRecord[], identityTargets: Record<string, number[]>, findings: Finding[], now: Date): InventoryRow[] {
  const rows = new Map<string, InventoryRow>();
  const add = (r: IdentityRecord, targets: number[]) => {
    const prev = rows.get(r.id);
    if (prev) {
      prev.targets = [...new Set([...prev.targets, ...targets])];
      return;
    }
    const row: InventoryRow = { ...r, findings: [], highestScore: 0, targets: [...new Set(targets)] };
    if (r.created) row.ageDays = Math.max(0, Math.floor((now.getTime() - Date.parse(r.created)) / DAY));
    rows.set(r.id, row);
  };
  for (const r of identities) add(r, identityTargets[r.id] ?? []);
  for (const f of findings) if (f.secret) add(leakedRecord(f), [...new Set(f.occurrences.map((o) => o.target ?? 0))]);
  const byKey = new Map<string, InventoryRow[]>();
  for (const row of rows.values()) for (const k of [row.id, ...(row.keys ?? [])]) byKey.set(k, [...(byKey.get(k) ?? []), row]);
  for (const f of findings) {
    const keys = new Set<string>();
    if (f.secret) {
      keys.add(`secret:${f.secret.fingerprint}`);
      if (f.secret.identifierFingerprint) keys.add(f.secret.identifierFingerprint);
    }
    for (const o of [f.location, ...f.occurrences]) if (o.resource) keys.add(o.resource);
    if (typeof f.evidence?.iamUserArn === 'string') keys.add(f.evidence.iamUserArn);
    const hit = new Set<InventoryRow>();
    for (const k of keys) for (const row of byKey.get(k) ?? []) hit.add(row);
    for (const row of hit) {
      if (!row.findings.includes(f.id)) row.findings.push(f.id);
      row.highestScore = Math.max(row.highestScore, f.score);
    }
  }
  return [...rows.values()].sort((a, b) => b.highestScore - a.highestScore || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}
