import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import type {
  RoleAssumption,
  SecretExpression,
  StaticCloudKey,
  WorkflowFile,
  WorkflowJob,
  WorkflowPermissions,
  WorkflowStep,
  WorkflowValue,
} from '../../model/github.js';

/**
 * Parse a GitHub Actions workflow file into what the checks read, with the line of everything a
 * finding may land on. Shared: the GitHub source parses workflows of each repository's default
 * branch, the code source those of a local scan. Never throws: a file that is not a mapping comes
 * back with `parseError` set and nothing else.
 */
export function parseWorkflow(path: string, text: string): WorkflowFile {
  const out: WorkflowFile = { path, triggers: [], onLine: 1, env: {}, jobs: [], roleAssumptions: [], staticCloudKeys: [], secretExpressions: [] };
  const lc = new LineCounter();
  let doc;
  try {
    doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, strict: false });
  } catch (e) {
    out.parseError = (e as Error).message.split('\n')[0];
    return out;
  }
  if (doc.errors.length > 0) {
    out.parseError = doc.errors[0].message.split('\n')[0];
    return out;
  }
  const root = doc.contents;
  if (!isMap(root)) {
    out.parseError = 'not a YAML mapping';
    return out;
  }
  const lineOf = (n: Node | null | undefined): number => (n?.range ? lc.linePos(n.range[0]).line : 1);
  const pairLine = (p: Pair): number => lineOf(p.key as Node);
  const str = (n: unknown): string | undefined => (isScalar(n) ? (n.value === null ? '' : String(n.value)) : undefined);
  const get = (m: YAMLMap, key: string): Pair | undefined => m.items.find((p) => str(p.key) === key);
  const valueMap = (n: unknown): Record<string, WorkflowValue> => {
    const r: Record<string, WorkflowValue> = {};
    if (!isMap(n)) return r;
    for (const p of n.items) {
      const k = str(p.key);
      const v = str(p.value);
      if (k !== undefined && v !== undefined) r[k] = { value: v, line: lineOf(p.value as Node) };
    }
    return r;
  };
  const permissionsOf = (p: Pair | undefined): WorkflowPermissions | undefined => {
    if (!p) return undefined;
    const line = pairLine(p);
    const s = str(p.value);
    if (s !== undefined) {
      const all = s === 'write-all' ? 'write-all' : s === 'read-all' ? 'read-all' : undefined;
      return { line, all, scopes: {} };
    }
    if (isMap(p.value)) {
      const scopes: Record<string, string> = {};
      for (const q of p.value.items) {
        const k = str(q.key);
        const v = str(q.value);
        if (k !== undefined && v !== undefined) scopes[k] = v;
      }
      return Object.keys(scopes).length === 0 ? { line, all: 'none', scopes } : { line, scopes };
    }
    return { line, scopes: {} };
  };

  const nameP = get(root, 'name');
  if (nameP) out.name = str(nameP.value);
  // YAML 1.1 turns a bare `on` key into true; the yaml package (1.2 core) keeps it a string, but accept both.
  const onP = root.items.find((p) => str(p.key) === 'on' || (isScalar(p.key) && p.key.value === true));
  if (onP) {
    out.onLine = pairLine(onP);
    const v = onP.value;
    if (isScalar(v)) out.triggers = [String(v.value)];
    else if (isSeq(v)) out.triggers = v.items.map(str).filter((x): x is string => x !== undefined);
    else if (isMap(v)) out.triggers = v.items.map((p) => str(p.key)).filter((x): x is string => x !== undefined);
  }
  out.permissions = permissionsOf(get(root, 'permissions'));
  out.env = valueMap(get(root, 'env')?.value);

  const jobsP = get(root, 'jobs');
  if (jobsP && isMap(jobsP.value)) {
    for (const jp of jobsP.value.items) {
      const id = str(jp.key);
      if (id === undefined || !isMap(jp.value)) continue;
      const jm = jp.value;
      const job: WorkflowJob = { id, line: pairLine(jp), env: valueMap(get(jm, 'env')?.value), steps: [] };
      job.permissions = permissionsOf(get(jm, 'permissions'));
      const envP = get(jm, 'environment');
      if (envP) {
        const name = str(envP.value) ?? (isMap(envP.value) ? str(get(envP.value, 'name')?.value) : undefined);
        if (name !== undefined) job.environment = { value: name, line: lineOf(envP.value as Node) };
      }
      const usesP = get(jm, 'uses');
      if (usesP && str(usesP.value) !== undefined) job.uses = { value: str(usesP.value)!, line: lineOf(usesP.value as Node) };
      const secP = get(jm, 'secrets');
      if (secP && str(secP.value) === 'inherit') job.secretsInherit = pairLine(secP);
      const stepsP = get(jm, 'steps');
      if (stepsP && isSeq(stepsP.value)) {
        for (const sn of stepsP.value.items) {
          if (!isMap(sn)) continue;
          const step: WorkflowStep = { line: lineOf(sn as Node), with: valueMap(get(sn, 'with')?.value), env: valueMap(get(sn, 'env')?.value) };
          const n = get(sn, 'name');
          if (n) step.name = str(n.value);
          const u = get(sn, 'uses');
          if (u && str(u.value) !== undefined) step.uses = { value: str(u.value)!, line: lineOf(u.value as Node) };
          const r = get(sn, 'run');
          if (r && str(r.value) !== undefined) step.run = { value: str(r.value)!, line: lineOf(r.value as Node) };
          job.steps.push(step);
        }
      }
      out.jobs.push(job);
    }
  }

  collectCloud(out);
  out.secretExpressions = secretExpressions(text, out);
  return out;
}

/** The action name of a `uses:` value, lower-cased, without the version: `aws-actions/configure-aws-credentials`. */
export function actionName(uses: string): string {
  return uses.split('@')[0].trim().toLowerCase();
}

const SECRET_REF = /secrets\.([A-Za-z_][A-Za-z0-9_]*)|secrets\[\s*['"]([^'"]+)['"]\s*\]/g;

/** Names of the secrets an expression reads. */
export function secretNamesIn(s: string): string[] {
  const names: string[] = [];
  for (const m of s.matchAll(SECRET_REF)) names.push(m[1] ?? m[2]);
  return [...new Set(names)];
}

const AWS_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
const GCP_ENV = ['GOOGLE_CREDENTIALS', 'GOOGLE_APPLICATION_CREDENTIALS_JSON', 'GCP_SA_KEY', 'GCLOUD_SERVICE_KEY'];
const AZURE_ENV = ['AZURE_CLIENT_SECRET', 'ARM_CLIENT_SECRET', 'AZURE_CREDENTIALS'];

function collectCloud(wf: WorkflowFile): void {
  const roles: RoleAssumption[] = [];
  const keys: StaticCloudKey[] = [];
  const fromEnv = (env: Record<string, WorkflowValue>, job?: string): void => {
    for (const [provider, names] of [
      ['aws', AWS_ENV],
      ['gcp', GCP_ENV],
      ['azure', AZURE_ENV],
    ] as const) {
      const hits = names.filter((n) => env[n] && secretNamesIn(env[n].value).length > 0);
      if (hits.length === 0) continue;
      const secretNames = [...new Set(hits.flatMap((n) => secretNamesIn(env[n].value)))];
      keys.push({ provider, secretNames, line: Math.min(...hits.map((n) => env[n].line)), job, via: `env ${hits.join(', ')}` });
    }
  };
  fromEnv(wf.env);
  for (const job of wf.jobs) {
    fromEnv(job.env, job.id);
    for (const step of job.steps) {
      fromEnv(step.env, job.id);
      if (!step.uses) continue;
      const action = actionName(step.uses.value);
      const w = step.with;
      const names = (...ks: string[]): string[] => [...new Set(ks.flatMap((k) => (w[k] ? secretNamesIn(w[k].value) : [])))];
      const lineOfKeys = (...ks: string[]): number => Math.min(...ks.filter((k) => w[k]).map((k) => w[k].line));
      if (action === 'aws-actions/configure-aws-credentials') {
        if (w['role-to-assume'] && !w['aws-access-key-id']) roles.push({ roleArn: w['role-to-assume'].value, line: w['role-to-assume'].line, job: job.id });
        if (w['aws-access-key-id'] || w['aws-secret-access-key']) {
          const n = names('aws-access-key-id', 'aws-secret-access-key');
          keys.push({ provider: 'aws', secretNames: n, line: lineOfKeys('aws-access-key-id', 'aws-secret-access-key'), job: job.id, via: action });
        }
      } else if (action === 'google-github-actions/auth' || action === 'google-github-actions/setup-gcloud') {
        const k = w['credentials_json'] ? 'credentials_json' : w['service_account_key'] ? 'service_account_key' : undefined;
        if (k && !w['workload_identity_provider']) keys.push({ provider: 'gcp', secretNames: names(k), line: w[k].line, job: job.id, via: action });
      } else if (action === 'azure/login') {
        if (w['creds'] && !(w['client-id'] && w['tenant-id'])) keys.push({ provider: 'azure', secretNames: names('creds'), line: w['creds'].line, job: job.id, via: action });
      }
    }
  }
  wf.roleAssumptions = roles;
  wf.staticCloudKeys = keys;
}

/** Every `${{ … }}` expression that mentions `secrets`, with its line and job (by the jobs' line ranges). */
function secretExpressions(text: string, wf: WorkflowFile): SecretExpression[] {
  const out: SecretExpression[] = [];
  const lines = text.split(/\r?\n/);
  const runLines = new Set<number>();
  for (const job of wf.jobs) {
    for (const s of job.steps) {
      if (!s.run) continue;
      const n = s.run.value.split('\n').length;
      // A block scalar starts on the line after `run: |`.
      const first = lines[s.run.line - 1]?.trimEnd().match(/[|>][-+0-9]*$/) ? s.run.line + 1 : s.run.line;
      for (let l = first; l < first + n; l++) runLines.add(l);
      runLines.add(s.run.line);
    }
  }
  const jobStarts = [...wf.jobs].sort((a, b) => a.line - b.line);
  const jobAt = (line: number): string | undefined => {
    let j: string | undefined;
    for (const x of jobStarts) if (x.line <= line) j = x.id;
    return j;
  };
  lines.forEach((l, i) => {
    for (const m of l.matchAll(/\$\{\{([^}]*)\}\}/g)) {
      if (!/\bsecrets\b/.test(m[1])) continue;
      const inRun = runLines.has(i + 1);
      const echoed = inRun && /\b(echo|printf)\b/.test(l) && !/add-mask|GITHUB_(ENV|OUTPUT|STEP_SUMMARY)\b/.test(l);
      out.push({ expression: m[1].trim(), line: i + 1, job: jobAt(i + 1), inRun, echoed });
    }
  });
  return out;
}

/** Is this repository-relative path a GitHub Actions workflow (`.github/workflows/*.yml|yaml`)? */
export function isWorkflowPath(rel: string): boolean {
  return /^\.github\/workflows\/[^/]+\.ya?ml$/i.test(rel.replace(/\\/g, '/').replace(/^\.\//, ''));
}

/**
 * A workflow as a structured file of a local scan (the code source's STRUCTURED_FILES shape):
 * `scan` of a repository hands its workflows to the same checks as `github`.
 */
export const WORKFLOW_STRUCTURED_FILE = {
  matches: isWorkflowPath,
  type: 'github-workflow',
  parse(rel: string, text: string): { data?: WorkflowFile; warnings: string[] } {
    const wf = parseWorkflow(rel, text);
    return wf.parseError ? { warnings: [`${rel}: not a readable workflow (${wf.parseError})`] } : { data: wf, warnings: [] };
  },
};
