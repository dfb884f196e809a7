import type { OwaspId } from './owasp.js';
import type { Severity } from './severity.js';

export type Precision = 'very-high' | 'high' | 'medium' | 'low';

/** What every rule (secret rule or posture check) tells a user and a report. */
export interface RuleMeta {
  id: string;
  kind: 'secret' | 'check';
  title: string;
  description: string;
  severity: Severity;
  owasp: OwaspId[];
  remediation: string;
  references: string[];
  precision: Precision;
  /** Provider or area (file-level `provider` for secrets, `area` for checks). */
  group: string;
  /** The file the rule came from, relative to the package root (or the config file). */
  file: string;
}

/** A secret rule as written in rules/secrets/*.yaml (see README "Adding a rule"). */
export interface SecretRuleSpec extends RuleMeta {
  kind: 'secret';
  /** JS regular expression; a leading (?i) makes it case-insensitive. Secret = group `secret`, else group 1, else the match. */
  pattern: string;
  /** Literal strings (case-insensitive); the rule runs only near where one occurs (see detect/window.ts). */
  keywords: string[];
  /** The keywords must occur with exactly this case (for short case-significant prefixes such as Twilio's AC/SK). */
  keywords_match_case?: boolean;
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  /**
   * Minimum tokens per character of the secret under the byte-pair tokenizer of src/detect/randomness.ts
   * (0–1): names and phrases split into few long tokens, random strings into many short ones.
   */
  randomness?: number;
  /** Name of a validator in src/detect/validators.ts (e.g. github-crc32). */
  validator?: string;
  /** Secret values matching any of these regexes are not findings (rule-specific look-alikes). */
  exclude_values?: string[];
  /** A second part that must (or may) appear near the first, e.g. an AWS secret key near its key id. */
  pair?: { pattern: string; window: number; required: boolean };
  /** Rule ids whose match on the same secret makes this one redundant (the paired form wins). */
  superseded_by?: string[];
  /** The match is a public identifier (an AWS key id) rather than a secret: findings carry identifierFingerprint. */
  identifier?: boolean;
  /** Skip the generic placeholder filter (for multi-line keys whose bodies legitimately repeat characters). */
  skip_placeholder_check?: boolean;
  /**
   * Found by a decoder of src/detect/decoders.ts (e.g. kubernetes-secret: base64 `data:` values of a
   * Secret manifest, decoded), not by its pattern; the pattern then only documents the shape.
   */
  detector?: string;
  examples: string[];
  negative_examples: string[];
}

/** Metadata of a posture check, rules/checks/<id>.yaml; its logic is src/checks/<area>/<id>.ts. */
export interface CheckMeta extends RuleMeta {
  kind: 'check';
  area: string;
  risk: string;
  /** The observation type the check reads (ObservationArtifact.type): aws-account, mcp-config, github-repo … */
  reads: string;
  /** Parts of that observation the check cannot run without (aws-account: credential-report, authorization-details …). */
  needs?: string[];
  /** Inputs run through the check by the generic test: `fires` says whether it must report. */
  examples: Array<{ name: string; input: unknown; fires: boolean }>;
}
