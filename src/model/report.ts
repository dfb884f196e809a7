import type { Finding } from './finding.js';
import type { OwaspId } from './owasp.js';
import type { Severity } from './severity.js';

export const SCHEMA_VERSION = '1.0.0';

export type TargetStatus = 'ok' | 'partial' | 'error';

/** One thing a run was asked to scan: a path, an AWS account, an MCP endpoint, a GitHub org. */
export interface TargetResult {
  /** code | mcp-config | mcp-endpoint | aws | github */
  kind: string;
  /** The path, URL or account the user named. */
  path: string;
  status: TargetStatus;
  /** One line: why the target (or part of it) could not be scanned. */
  error?: string;
  /** Items skipped or degraded, each a one-line reason (no secret values). */
  warnings?: string[];
  /** Counters: files, bytes, blobs, skipped items by reason, API calls … */
  stats: Record<string, number>;
  /** OWASP categories this target's checks could assess. */
  assessed?: OwaspId[];
}

export interface Summary {
  total: number;
  bySeverity: Record<Severity, number>;
  /** Per OWASP id: number of findings (primary or secondary), or 'not assessed'. */
  byOwasp: Record<OwaspId, number | 'not assessed'>;
}

export interface Report {
  schemaVersion: string;
  tool: { name: string; version: string };
  startedAt?: string;
  finishedAt?: string;
  targets: TargetResult[];
  findings: Finding[];
  summary: Summary;
}
