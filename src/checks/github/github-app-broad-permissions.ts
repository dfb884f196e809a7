import type { Check } from '../types.js';
import { ghResource, githubFinding, type Orgs } from './lib/finding.js';

/** Permissions that let an app change code, workflows, secrets or the organisation itself. */
const SENSITIVE = new Set(['administration', 'organization_administration', 'contents', 'workflows', 'secrets', 'actions', 'organization_secrets', 'members', 'environments']);

export const check: Check<Orgs> = {
  id: 'github-app-broad-permissions',
  run(orgs) {
    return orgs.flatMap((o) =>
      (o.installations ?? []).flatMap((i) => {
        if (i.suspendedAt) return [];
        const admin = Object.entries(i.permissions).filter(([k, v]) => v === 'admin' || ((k === 'administration' || k === 'organization_administration') && v === 'write'));
        const writes = Object.entries(i.permissions).filter(([k, v]) => v === 'write' && SENSITIVE.has(k));
        const all = i.repositorySelection === 'all';
        if (admin.length === 0 && !(all && writes.length > 0)) return [];
        const perms = [...new Set([...admin, ...writes].map(([k, v]) => `${k}:${v}`))];
        return [
          githubFinding(this.id, {
            resource: ghResource(o.login, 'app-installation', i.id),
            severity: admin.length > 0 ? 'high' : undefined,
            message: `GitHub App ${i.appSlug} is installed on ${all ? 'all repositories' : 'selected repositories'} of ${o.login} with ${perms.join(', ')}: the vendor's app (and anyone who steals its private key) can change code and settings there.`,
            evidence: { app: i.appSlug, repositorySelection: i.repositorySelection, permissions: perms },
          }),
        ];
      }),
    );
  },
};
