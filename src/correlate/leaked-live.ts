import type { AwsInventory } from '../model/aws.js';
import type { Finding } from '../model/finding.js';
import type { IdentityRecord } from '../model/identity.js';
import type { ScoreFacts } from '../score/score.js';

const DAY = 86_400_000;

/**
 * Leaked and live: a secret finding whose AWS key id the IAM inventory of the run knows. The
 * `aws-leaked-access-key` check already matched them by fingerprint; here the two findings become
 * one story: the code finding takes the IAM facts (user, status, last use, key age, what the user's
 * policies allow) and, when the key is active, critical severity; the IAM finding stays, linked.
 * A key id checked against accounts that do not know it says which accounts it was checked against.
 */
export function joinLeakedAndLive(findings: Finding[], accounts: AwsInventory[], identities: IdentityRecord[], facts: Map<string, ScoreFacts>, now: Date): void {
  const iam = findings.filter((f) => f.ruleId === 'aws-leaked-access-key');
  const privilegeOf = new Map<string, 'admin' | 'escalation'>();
  for (const f of findings) {
    const r = f.location.resource;
    if (!r) continue;
    if (f.ruleId === 'aws-admin-access' || f.ruleId === 'aws-root-access-key') privilegeOf.set(r, 'admin');
    else if (f.ruleId === 'aws-privilege-escalation' && privilegeOf.get(r) !== 'admin') privilegeOf.set(r, 'escalation');
  }
  for (const rec of identities) if (privilegeOf.has(rec.id)) rec.privilege = privilegeOf.get(rec.id);
  const checked = accounts.filter((a) => a.accessKeys || a.credentials).map((a) => (a.accountId ? `aws:${a.accountId}` : 'aws'));
  for (const code of findings) {
    const fp = code.secret?.identifierFingerprint;
    if (!fp) continue;
    const match = iam.find((i) => i.evidence?.codeFinding === code.id || (i.evidence?.identifierFingerprint as string | undefined) === fp);
    if (!match) {
      if (checked.length && accounts.some((a) => a.accessKeys)) code.evidence = { ...code.evidence, checkedAgainst: checked, inAccount: false };
      continue;
    }
    const ev = match.evidence ?? {};
    const active = ev.status === 'Active';
    const owner = match.location.resource!;
    const privilege = privilegeOf.get(owner);
    const created = typeof ev.created === 'string' && ev.created !== 'unknown' ? ev.created : undefined;
    const ageDays = created ? Math.floor((now.getTime() - Date.parse(created)) / DAY) : undefined;
    code.evidence = {
      ...code.evidence,
      iamUser: ev.user,
      iamUserArn: owner,
      iamKeyStatus: ev.status,
      iamKeyLastUsed: ev.lastUsed,
      ...(ageDays !== undefined ? { iamKeyAgeDays: ageDays } : {}),
      ...(privilege ? { iamPrivilege: privilege === 'admin' ? 'administrator access' : 'privilege-escalation actions' } : {}),
    };
    code.related = [...new Set([...(code.related ?? []), match.id])];
    match.related = [...new Set([...(match.related ?? []), code.id])];
    if (active) {
      code.severity = 'critical';
      code.message = `${code.message.replace(/ It is an active key of IAM user .*$/, '')} It is an active key of IAM user ${String(ev.user)}${privilege ? ` with ${privilege === 'admin' ? 'administrator access' : 'privilege-escalation actions'}` : ''} (last used ${String(ev.lastUsed)}).`;
    } else if (!code.message.includes('inactive key of IAM user')) code.message += ` It is an inactive (not deleted) key of IAM user ${String(ev.user)}.`;
    const f = facts.get(code.id) ?? {};
    facts.set(code.id, { ...f, confirmedActive: active, privilege: privilege ?? f.privilege, ageDays });
    facts.set(match.id, { ...(facts.get(match.id) ?? {}), confirmedActive: active, privilege, ageDays });
  }
}
