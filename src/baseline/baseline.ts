import { writeFileSync } from 'node:fs';
import { jsonErrorReason, readRegularText } from '../util/safe-read.js';
import { UsageError } from '../cli/errors.js';
import type { Finding } from '../model/finding.js';
import { TOOL_NAME, TOOL_VERSION } from '../util/version.js';
import { fingerprintSalt, setFingerprintSalt } from '../model/fingerprint.js';
import { randomBytes } from 'node:crypto';

/**
 * A baseline records the findings a team has accepted, by fingerprint only: the finding id (rule +
 * secret hash, or check + resource) and the secret's sha256. No values, so it can be committed.
 * Ids carry no path or line, so moving a secret or renaming its file keeps it baselined, while a
 * different secret on the same line has a different id and is new.
 */

/**
 * Version 2: fingerprints and ids are keyed with the baseline's own random `salt` (see
 * model/fingerprint.ts). Version 1 (plain sha256) is still read, matched in legacy mode, with a
 * warning to re-create it.
 */
export const BASELINE_VERSION = 2;
export const DEFAULT_BASELINE_FILE = '.nhi-audit-baseline.json';

export interface BaselineEntry {
  id: string;
  ruleId: string;
  /** sha256 of the secret (secret findings only). */
  fingerprint?: string;
  /** Where it was when the baseline was made, for people reviewing the file (not used to match). */
  where?: string;
}

export interface BaselineFile {
  version: number;
  tool: string;
  createdAt: string;
  /** Salt of the keyed fingerprints (hex); absent in version 1. */
  salt?: string;
  findings: BaselineEntry[];
}

function whereOf(f: Finding): string | undefined {
  const l = f.location;
  if (l.path) return `${l.path}${l.line ? `:${l.line}` : ''}${l.commit ? `@${l.commit.slice(0, 12)}` : ''}`;
  return l.resource;
}

/** A baseline of these (already grouped) findings, sorted by id so re-creating it gives small diffs. */
export function createBaseline(findings: Finding[], now = new Date(), salt: string = fingerprintSalt()): BaselineFile {
  const byId = new Map<string, BaselineEntry>();
  for (const f of findings) {
    if (byId.has(f.id)) continue;
    const e: BaselineEntry = { id: f.id, ruleId: f.ruleId };
    if (f.secret) e.fingerprint = f.secret.fingerprint;
    const w = whereOf(f);
    if (w) e.where = w;
    byId.set(f.id, e);
  }
  return {
    version: BASELINE_VERSION,
    tool: `${TOOL_NAME} ${TOOL_VERSION}`,
    createdAt: now.toISOString(),
    salt,
    findings: [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
}

export function writeBaseline(path: string, b: BaselineFile): void {
  try {
    writeFileSync(path, `${JSON.stringify(b, null, 2)}\n`);
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The accepted findings, ready to test a finding against. */
export class Baseline {
  private readonly ids: Set<string>;
  private readonly fingerprints: Set<string>;

  constructor(readonly file: BaselineFile) {
    this.ids = new Set(file.findings.map((e) => e.id));
    this.fingerprints = new Set(file.findings.flatMap((e) => (e.fingerprint ? [e.fingerprint] : [])));
  }

  get size(): number {
    return this.file.findings.length;
  }

  /** Same finding id, or the same secret found by another rule (e.g. after a rule was renamed). */
  has(f: Finding): boolean {
    return this.ids.has(f.id) || (f.secret !== undefined && this.fingerprints.has(f.secret.fingerprint));
  }
}

function invalid(path: string, what: string): never {
  throw new UsageError(`${path}: not a valid nhi-audit baseline: ${what} (create one with: nhi-audit baseline create -o ${path})`);
}

/** Read and check a baseline file; any problem is a usage error naming the file. */
export function loadBaseline(path: string): Baseline {
  let text: string;
  try {
    text = readRegularText(path, 64 << 20);
  } catch (e) {
    throw new UsageError(`${path}: cannot read the baseline (${(e as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    invalid(path, `not JSON (${jsonErrorReason(e)})`);
  }
  const d = data as Partial<BaselineFile>;
  if (!d || typeof d !== 'object' || Array.isArray(d)) invalid(path, 'expected a JSON object');
  if (d.version !== BASELINE_VERSION && d.version !== 1) invalid(path, `unsupported version ${JSON.stringify(d.version)} (expected ${BASELINE_VERSION})`);
  if (d.version === BASELINE_VERSION && (typeof d.salt !== 'string' || d.salt.length < 16 || d.salt.length > 256)) invalid(path, 'salt must be a string (16 to 256 characters)');
  if (!Array.isArray(d.findings)) invalid(path, 'findings must be a list');
  d.findings.forEach((e, i) => {
    if (!e || typeof e.id !== 'string' || !/^[0-9a-f]{32}$/.test(e.id)) invalid(path, `findings[${i}].id must be a 32-hex finding id`);
    if (e.fingerprint !== undefined && !/^(hmac-sha256|sha256):[0-9a-f]{64}$/.test(e.fingerprint)) invalid(path, `findings[${i}].fingerprint must be hmac-sha256:<64 hex>`);
  });
  return new Baseline(d as BaselineFile);
}

/** Split findings into new ones and baselined ones (counted per target index). */
export function filterBaseline(findings: Finding[], baseline: Baseline): { kept: Finding[]; suppressed: Map<number, Set<string>> } {
  const suppressed = new Map<number, Set<string>>();
  const kept = findings.filter((f) => {
    if (!baseline.has(f)) return true;
    const t = f.location.target ?? 0;
    if (!suppressed.has(t)) suppressed.set(t, new Set());
    suppressed.get(t)!.add(f.id);
    return false;
  });
  return { kept, suppressed };
}

/** A new random salt for a baseline's keyed fingerprints. */
export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Key this run's fingerprints the way the baseline was made, so its ids and fingerprints match:
 * its salt (version 2), or plain sha256 (version 1, with a warning to re-create it).
 */
export function useBaselineKey(b: Baseline, warn: (msg: string) => void, path: string): void {
  if (b.file.version === 1) {
    setFingerprintSalt(undefined, { legacy: true });
    warn(`${path}: a version 1 baseline stores unsalted sha256 fingerprints, which a weak secret can be guessed from; re-create it with \`nhi-audit baseline create\``);
  } else setFingerprintSalt(b.file.salt);
}
