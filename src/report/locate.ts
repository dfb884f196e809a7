import { posix, relative } from 'node:path';
import type { Finding, Location, Occurrence } from '../model/finding.js';
import type { Report, TargetResult } from '../model/report.js';
import { nameOfLocation, percentEncodeName } from '../util/raw-path.js';

/**
 * Where the SARIF, Markdown and GitHub formats point a reader. Report paths are relative to each
 * target's root; CI tools want them relative to the repository (the working directory of the run),
 * so a relative target path such as `services/api` becomes a prefix.
 */

function toPosix(p: string): string {
  return p.replace(/\\/g, '/');
}

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:\//.test(p);
}

export function targetOf(report: Report, loc: Location): TargetResult | undefined {
  if (loc.target !== undefined) return report.targets[loc.target];
  return report.targets.length === 1 ? report.targets[0] : undefined;
}

/**
 * The prefix a code target adds to its findings' paths, relative to the working directory of the
 * run (the repository root in CI): '' for `.`, the directory for `services/api` (or for an
 * absolute path inside the working directory), the file's directory when the target is a single
 * file (whose findings carry its base name). An absolute target elsewhere is taken to be a
 * repository root itself.
 */
function targetPrefix(t: TargetResult | undefined, rel: string): string {
  if (!t || t.kind !== 'code') return '';
  let tp = toPosix(t.path);
  if (isAbsolutePath(tp)) {
    const fromCwd = toPosix(relative(process.cwd(), t.path));
    if (fromCwd === '' || fromCwd.startsWith('..') || isAbsolutePath(fromCwd)) return '';
    tp = fromCwd;
  }
  const norm = posix.normalize(tp).replace(/\/+$/, '');
  if (norm === '.' || norm === '') return '';
  if (posix.basename(norm) === rel) {
    const dir = posix.dirname(norm);
    return dir === '.' ? '' : dir;
  }
  return norm;
}

/** Repository-relative POSIX path of a location, or undefined when it has no file. */
export function repoPath(report: Report, loc: Location): string | undefined {
  if (!loc.path) return undefined;
  const rel = toPosix(loc.path);
  if (isAbsolutePath(rel)) return rel;
  const prefix = targetPrefix(targetOf(report, loc), rel);
  return prefix ? posix.join(prefix, rel) : posix.normalize(rel);
}

/**
 * repoPath with the file name's exact bytes when they are not UTF-8 (a lossless name,
 * src/util/raw-path.ts): for a URI (percent-encoded bytes) and the terminal (`\xe9`).
 */
export function repoName(report: Report, loc: Location): string | undefined {
  if (loc.pathBase64 === undefined) return repoPath(report, loc);
  const { pathBase64: _b, ...rest } = loc;
  return repoPath(report, { ...rest, path: nameOfLocation(loc) });
}

/**
 * The occurrence a CI reader should be sent to: one in the current files (working tree or staged)
 * when there is one — an alert on a file deleted long ago cannot be opened in a pull request —
 * otherwise the finding's primary location (the commit that introduced it).
 */
export function displayLocation(f: Finding): Location {
  const current = f.occurrences.find((o) => o.path && (o.source === 'file' || o.source === 'git-staged'));
  if (!current) return f.location;
  const { source: _s, ...loc } = current;
  if (loc.resource === undefined && f.location.resource !== undefined) loc.resource = f.location.resource;
  return loc;
}

/**
 * The other places a finding was seen (for related locations and "also in" lists): one per
 * distinct file line or resource, skipping the shown place (its history copies are the same place).
 */
export function otherOccurrences(f: Finding, shown: Location): Occurrence[] {
  const key = (l: Location) => `${l.target ?? 0}\0${l.path ?? ''}\0${l.pathBase64 ?? ''}\0${l.line ?? 0}\0${l.path ? '' : (l.resource ?? '')}`;
  const seen = new Set([key(shown)]);
  return f.occurrences.filter((o) => {
    const k = key(o);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The first paragraph of a remediation, on one line (for annotations and table cells). */
export function firstParagraph(text: string): string {
  return text.trim().split(/\n\s*\n/)[0].replace(/\s*\n\s*/g, ' ');
}

/** Target kinds as a category: both MCP kinds are "mcp". */
export function kindFamily(kind: string): string {
  return kind.startsWith('mcp') ? 'mcp' : kind;
}

/** Characters safe in one path segment of a placeholder path. */
function segment(s: string): string {
  return s.replace(/[^A-Za-z0-9._@+=-]/g, '_').replace(/^\.+$/, '_');
}

/**
 * A stable, documented placeholder path for a finding with no file (an IAM role, an MCP endpoint, a
 * GitHub setting): `nhi-audit-resources/<target kind>/<resource with ':' and '/' as separators>`.
 * e.g. arn:aws:iam::123456789012:role/deploy → nhi-audit-resources/aws/arn/aws/iam/123456789012/role/deploy
 */
export function placeholderPath(report: Report, loc: Location): string {
  const t = targetOf(report, loc);
  const resource = loc.resource ?? 'unknown';
  const kind = t ? kindFamily(t.kind) : /^arn:/.test(resource) ? 'aws' : /^https?:/.test(resource) ? 'mcp' : 'resource';
  const parts = resource
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, (m) => `${m.slice(0, -3)}/`)
    .split(/[:/]+/)
    .filter(Boolean)
    .map(segment);
  return ['nhi-audit-resources', segment(kind), ...(parts.length ? parts : ['unknown'])].join('/');
}

/** Percent-encode a POSIX path (a lossless name: bytes that are not UTF-8 as %XX) as a URI reference, segment by segment. */
export function pathToUriRef(p: string): string {
  return p
    .split('/')
    .map((s) => percentEncodeName(s))
    .join('/');
}
