import type { Finding } from './finding.js';
import type { InventoryRow } from './identity.js';
import type { OwaspId } from './owasp.js';
import type { Severity } from './severity.js';

export const SCHEMA_VERSION = '1.1.0';

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

/** One OWASP NHI category as the run saw it (all ten are always listed). */
export interface CategoryPosture {
  id: OwaspId;
  name: string;
  /** false: no source of the run could assess it ("not assessed", never "pass"). */
  assessed: boolean;
  /** Findings that carry the category (primary or not). */
  findings: number;
  bySeverity: Record<Severity, number>;
  /** Highest score among them (0 with none). */
  highestScore: number;
  /** Distinct identities (inventory rows) affected. */
  identities: number;
}

/** The run's overall posture: a 0–100 score, its A–F grade (README "Posture grade") and the ten categories. */
export interface Posture {
  score: number;
  grade: 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
  categories: CategoryPosture[];
}

export interface Report {
  schemaVersion: string;
  tool: { name: string; version: string };
  startedAt?: string;
  finishedAt?: string;
  targets: TargetResult[];
  findings: Finding[];
  summary: Summary;
  /** OWASP NHI Top 10 posture (absent in reports written before schema 1.1). */
  posture?: Posture;
  /** Every non-human identity or credential the run saw, with or without findings. */
  inventory?: InventoryRow[];
}
