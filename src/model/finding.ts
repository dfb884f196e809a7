import type { OwaspId } from './owasp.js';
import type { Severity } from './severity.js';

/**
 * Where a finding is. File findings carry path/line/column (path relative to the scanned root);
 * history findings add the commit that introduced it; cloud and endpoint findings carry `resource`
 * (an ARN, a URL, `github:org/repo:deploy-key:42`) and, when a file declares it, path and line too.
 */
export interface Location {
  path?: string;
  /** The file name's exact bytes, base64, only when they are not UTF-8 (`path` shows each such byte as U+FFFD). */
  pathBase64?: string;
  line?: number;
  column?: number;
  commit?: string;
  /** ISO 8601 author date of `commit`. */
  commitDate?: string;
  author?: string;
  /** false when the secret is only in a file git does not track (or in an uncommitted change). */
  committed?: boolean;
  resource?: string;
  /** Index into Report.targets when a run has several targets. */
  target?: number;
}

/** One more place the same finding was seen (same rule, same secret or resource). */
export interface Occurrence extends Location {
  source: string;
}

export interface SecretRef {
  /** A form safe to show: a few characters at each end at most. */
  redacted: string;
  /** sha256 of the secret value, `sha256:<hex>`; joins the same secret across places and sources. */
  fingerprint: string;
  /** The value itself: only present when the user passed --show-secrets. */
  value?: string;
  /**
   * For paired credentials (an AWS key id with its secret key): `sha256:` of the public identifier
   * alone, so other sources (the IAM inventory) can recognise the key without seeing the secret.
   */
  identifierFingerprint?: string;
}

/** One documented factor of a finding's score (README "Scoring"). */
export interface ScoreFactor {
  factor: string;
  delta: number;
}

export interface Finding {
  /** Stable fingerprint: rule + secret hash (or resource) — survives line moves and renames. */
  id: string;
  ruleId: string;
  title: string;
  severity: Severity;
  /** 0–10 risk score (README "Scoring"): the severity's base plus `factors`. */
  score: number;
  /** What moved the score from its severity's base. */
  factors?: ScoreFactor[];
  /** OWASP NHI ids, primary first. */
  owasp: OwaspId[];
  /** Where it came from: file, git-history, git-staged, mcp-config, mcp-endpoint, aws-iam, github … */
  source: string;
  /** The primary (earliest / most significant) place. */
  location: Location;
  secret?: SecretRef;
  /** Every place it was seen, primary included. */
  occurrences: Occurrence[];
  message: string;
  remediation: string;
  /** Ids of other findings this one is linked with by correlation (a leaked key and its live IAM user …). */
  related?: string[];
  /** Facts that justify the finding (dates, policy statements, tool names) — never secret values. */
  evidence?: Record<string, unknown>;
}
