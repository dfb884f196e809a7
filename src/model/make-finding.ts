import { checkMeta } from '../rules/catalog.js';
import type { Finding, Location } from './finding.js';
import { findingId } from './fingerprint.js';
import type { OwaspId } from './owasp.js';
import type { Severity } from './severity.js';

export interface PostureFindingInput {
  /** The principal or endpoint: an ARN, a URL, `github:org/repo:deploy-key:42`. */
  resource: string;
  /** Distinguishes several findings of one check on one resource (a key id, a statement index). */
  discriminator?: string;
  source: string;
  message: string;
  evidence?: Record<string, unknown>;
  /** File and line that declare the resource, when known (an MCP config, a workflow). */
  path?: string;
  line?: number;
  column?: number;
  severity?: Severity;
  owasp?: OwaspId[];
  title?: string;
  target?: number;
}

/** Build a posture finding from a check's metadata (rules/checks/<id>.yaml) and what it saw. */
export function makePostureFinding(checkId: string, i: PostureFindingInput): Finding {
  const meta = checkMeta(checkId);
  const location: Location = { resource: i.resource };
  if (i.path !== undefined) location.path = i.path;
  if (i.line !== undefined) location.line = i.line;
  if (i.column !== undefined) location.column = i.column;
  if (i.target !== undefined) location.target = i.target;
  const f: Finding = {
    id: findingId(checkId, `${i.resource}\0${i.discriminator ?? ''}`),
    ruleId: checkId,
    title: i.title ?? meta.title,
    severity: i.severity ?? meta.severity,
    score: 0,
    owasp: i.owasp ?? meta.owasp,
    source: i.source,
    location,
    occurrences: [{ source: i.source, ...location }],
    message: i.message,
    remediation: meta.remediation,
  };
  if (i.evidence) f.evidence = i.evidence;
  return f;
}
