import type { IdentityRecord } from './identity.js';
import type { OwaspId } from './owasp.js';

/**
 * What a source yields, and the only thing that crosses from a source to the pipeline (DESIGN.md,
 * "Sources, artifacts and the one pipeline"). A source reaches one kind of target and knows
 * nothing of detection, checks, scoring or reports.
 */

/** One thing a run was asked to look at. The pipeline numbers targets by first appearance of (kind, path). */
export interface TargetRef {
  /** code | mcp-config | mcp-endpoint | aws | github … */
  kind: string;
  /** The path, URL, account or organisation as the user would recognise it. */
  path: string;
}

/** Where a piece of text came from. Paths are relative to the target's root; `resource` names a remote object. */
export interface Where {
  /** file | git-history | git-staged | github-file | github-workflow … (becomes Occurrence.source). */
  source: string;
  path?: string;
  /** The name's exact bytes when it is not UTF-8 (`path` then shows them as U+FFFD); src/util/raw-path.ts. */
  pathBase64?: string;
  /** Line number of the text's first line in its file (default 1), for text cut out of a larger file. */
  lineBase?: number;
  commit?: string;
  commitDate?: string;
  author?: string;
  /** false when only in the working tree (untracked, ignored or modified). */
  committed?: boolean;
  /** A remote object: `github:org/repo@ref:path`, a URL … */
  resource?: string;
  /** Only findings on these (1-based) lines count (git --staged: the added lines). */
  onlyLines?: ReadonlySet<number>;
}

/** A git blob whose places (commit, path, author) are known only after detection says it matters. */
export interface DeferredWhere {
  source: string;
  /** Path to show when attribution finds nothing. */
  path: string;
  pathBase64?: string;
  blob: string;
  /** Resolve the introducing commits of the blobs that had findings (one call per target, batched). */
  attribute: (blobs: string[]) => Promise<Map<string, Where[]>>;
}

export type TextContent =
  /** Bytes already in memory (git blobs, API-fetched files). */
  | { bytes: Uint8Array }
  /** A file on disk that a detection worker reads itself (size-limited there); a lossless name (src/util/raw-path.ts). */
  | { file: string };

export interface TextArtifact {
  kind: 'text';
  target: TargetRef;
  where: Where | DeferredWhere;
  content: TextContent;
}

/** Bytes an artifact holds in memory (queues between stages bound what they hold by it). */
export function heldBytes(a: { kind: string; content?: TextContent }): number {
  return a.kind === 'text' && a.content && 'bytes' in a.content ? a.content.bytes.byteLength : 0;
}

/** How many bytes of artifacts one queue between stages may hold before its producer waits. */
export const QUEUE_BYTES = 4 << 20;

export interface InventoryArtifact {
  kind: 'inventory';
  target: TargetRef;
  record: IdentityRecord;
}

/**
 * A structured observation that posture checks read: an AWS account's IAM data, a parsed MCP client
 * config, what a probe saw at an MCP endpoint, a GitHub organisation's settings, a parsed workflow.
 * `type` names the dataset (rules/checks/<id>.yaml `reads:` names the same string); `data`'s shape is
 * the dataset's type in src/model/ (AwsInventory, McpConfigFile, McpEndpointObservation, …).
 */
export interface ObservationArtifact {
  kind: 'observation';
  target: TargetRef;
  type: string;
  data: unknown;
  /** The data describes the target as of this date (an export's generation time): checks measure ages from it. */
  asOf?: string;
}

/** Something a source could not read, and why; makes the target partial (or failed when `fatal`). */
export interface CoverageGap {
  /** One line, no secret values, naming the fix when there is one (a permission, a flag). */
  reason: string;
  /** The target could not be scanned at all. */
  fatal?: boolean;
  /** A counter to bump in the target's stats (skippedUnreadable, skippedMissingObjects …). */
  stat?: string;
  /** A warning that does not make the target partial (a skipped binary file, an unused option). */
  informational?: boolean;
  /**
   * The part of the target's data that is missing (aws-account: credential-report …). The pipeline
   * names the checks that could not run for want of it in the same line.
   */
  part?: string;
  /** What would provide the part: `needs iam:GetCredentialReport`, `give --credential-report FILE`. */
  fix?: string;
  /** With `part`: say it only when a check needed the part. */
  onlyIfNeeded?: boolean;
}

export interface CoverageArtifact {
  kind: 'coverage';
  target: TargetRef;
  gap: CoverageGap;
}

/** Counters and assessed categories a source reports about a target it read (merged into the target's stats). */
export interface StatsArtifact {
  kind: 'stats';
  target: TargetRef;
  stats?: Record<string, number>;
  /** OWASP categories this source's data lets the run assess for the target (beyond its checks'). */
  assessed?: OwaspId[];
  /** Where a discovery looked (so one that found nothing says where). */
  looked?: string[];
}

export type Artifact = TextArtifact | InventoryArtifact | ObservationArtifact | CoverageArtifact | StatsArtifact;

/** What a source may use from the run: the clock, a progress sink and a cancellation signal. */
export interface SourceContext {
  now: Date;
  signal?: AbortSignal;
  progress?: {
    update(p: { target?: string; phase?: string; files?: number; blobs?: number; bytes?: number; repos?: number; reposTotal?: number }): void;
  };
}

/** A source reaches one kind of target and yields artifacts (src/sources/<name>/). */
export interface Source {
  id: string;
  open(ctx: SourceContext): AsyncIterable<Artifact>;
}

/** A source's complaint about what the user gave it (an unreadable export, a bad pin file): a usage error, not a failed target. */
export class SourceInputError extends Error {}
