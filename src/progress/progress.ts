import { EventEmitter } from 'node:events';

/** What a source (or the pipeline) tells the live view; every count is an increment. */
export interface ProgressUpdate {
  /** The target being read (a path, an account, a URL, an organisation); switches the current row. */
  target?: string;
  phase?: string;
  files?: number;
  blobs?: number;
  bytes?: number;
  findings?: number;
  /** A finding's id: counted once per target however many places it is seen in (preferred to `findings`). */
  finding?: string;
  /** Repositories finished (increment) and the total to expect (absolute, when known). */
  repos?: number;
  reposTotal?: number;
  /** Principals/keys, MCP servers, tools … read (increments): shown as "items". */
  items?: number;
}

/** The counters of one target. */
export interface TargetProgress {
  target: string;
  phase: string;
  files: number;
  blobs: number;
  bytes: number;
  findings: number;
  repos: number;
  reposTotal?: number;
  items: number;
  /** Distinct finding ids seen (when sources send `finding`). */
  ids?: Set<string>;
  startedAt: number;
  /** Set when the next target starts (or the run ends). */
  finishedAt?: number;
}

/**
 * Live counters a run updates and the ink view (or nothing, when stderr is not a TTY) displays.
 * Sources call update(); the view polls snapshot() on its own timer, so a busy scan never floods
 * the terminal and a quiet one still ticks.
 */
export class Progress extends EventEmitter {
  readonly startedAt: number;
  private rows: TargetProgress[] = [];
  private current: TargetProgress | undefined;
  private last = 0;

  constructor(private readonly now: () => number = Date.now) {
    super();
    this.startedAt = now();
  }

  private row(target: string | undefined): TargetProgress {
    if (target !== undefined && target !== this.current?.target) {
      const existing = this.rows.find((r) => r.target === target);
      if (this.current && this.current !== existing && this.current.finishedAt === undefined) this.current.finishedAt = this.now();
      if (existing) {
        existing.finishedAt = undefined;
        this.current = existing;
      } else {
        this.current = { target, phase: 'starting', files: 0, blobs: 0, bytes: 0, findings: 0, repos: 0, items: 0, startedAt: this.now() };
        this.rows.push(this.current);
      }
    }
    if (!this.current) {
      this.current = { target: '', phase: 'starting', files: 0, blobs: 0, bytes: 0, findings: 0, repos: 0, items: 0, startedAt: this.now() };
      this.rows.push(this.current);
    }
    return this.current;
  }

  update(p: ProgressUpdate): void {
    const r = this.row(p.target);
    if (p.phase !== undefined) r.phase = p.phase;
    r.files += p.files ?? 0;
    r.blobs += p.blobs ?? 0;
    r.bytes += p.bytes ?? 0;
    r.findings += p.findings ?? 0;
    if (p.finding !== undefined) {
      r.ids ??= new Set();
      if (!r.ids.has(p.finding)) {
        r.ids.add(p.finding);
        r.findings++;
      }
    }
    r.repos += p.repos ?? 0;
    r.items += p.items ?? 0;
    if (p.reposTotal !== undefined) r.reposTotal = p.reposTotal;
    const now = this.now();
    if (p.phase !== undefined || p.target !== undefined || now - this.last > 100) {
      this.last = now;
      this.emit('change');
    }
  }

  /** Mark the run finished (the current target's clock stops). */
  end(): void {
    if (this.current && this.current.finishedAt === undefined) this.current.finishedAt = this.now();
  }

  targets(): TargetProgress[] {
    return this.rows.filter((r) => r.target !== '' || r.files + r.blobs + r.items + r.findings > 0);
  }

  get files(): number {
    return this.rows.reduce((a, r) => a + r.files, 0);
  }
  get blobs(): number {
    return this.rows.reduce((a, r) => a + r.blobs, 0);
  }
  get bytes(): number {
    return this.rows.reduce((a, r) => a + r.bytes, 0);
  }
  get findings(): number {
    return this.rows.reduce((a, r) => a + r.findings, 0);
  }
  get phase(): string {
    return this.current?.phase ?? 'starting';
  }
  get target(): string {
    return this.current?.target ?? '';
  }

  elapsedSeconds(): number {
    return (this.now() - this.startedAt) / 1000;
  }

  mbPerSecond(): number {
    const s = this.elapsedSeconds();
    return s > 0 ? this.bytes / 1048576 / s : 0;
  }
}

/** One target's line: `path · phase · 1,204 files · 3,310 blobs · 41.2 MB · 12.3 MB/s · repos 3/8 · 2 findings · 4.1 s`. */
export function targetLine(r: TargetProgress, now: number): string {
  const secs = ((r.finishedAt ?? now) - r.startedAt) / 1000;
  const parts = [r.target || 'scan', r.finishedAt !== undefined ? 'done' : r.phase];
  if (r.files) parts.push(`${count(r.files)} file${r.files === 1 ? '' : 's'}`);
  if (r.blobs) parts.push(`${count(r.blobs)} blob${r.blobs === 1 ? '' : 's'}`);
  if (r.bytes) parts.push(`${(r.bytes / 1048576).toFixed(1)} MB`, `${(secs > 0 ? r.bytes / 1048576 / secs : 0).toFixed(1)} MB/s`);
  if (r.reposTotal !== undefined || r.repos) parts.push(`repositories ${r.repos}${r.reposTotal !== undefined ? `/${r.reposTotal}` : ''}`);
  if (r.items) parts.push(`${count(r.items)} item${r.items === 1 ? '' : 's'}`);
  parts.push(`${r.findings} finding${r.findings === 1 ? '' : 's'} so far`, `${secs.toFixed(1)} s`);
  return parts.join(' · ');
}

/** The line that stays after the run: what was read, how fast, and the number of findings in the report. */
export function summaryLine(p: Progress, findings: number): string {
  const secs = p.elapsedSeconds();
  const read: string[] = [];
  if (p.files) read.push(`${count(p.files)} file${p.files === 1 ? '' : 's'}`);
  if (p.blobs) read.push(`${count(p.blobs)} blob${p.blobs === 1 ? '' : 's'}`);
  const items = p.targets().reduce((a, r) => a + r.items, 0);
  if (items) read.push(`${count(items)} item${items === 1 ? '' : 's'}`);
  const mb = p.bytes / 1048576;
  const speed = p.bytes ? ` (${mb.toFixed(1)} MB, ${(secs > 0 ? mb / secs : 0).toFixed(1)} MB/s)` : '';
  const n = p.targets().length;
  return `nhi-audit: read ${read.length ? read.join(', ') : 'nothing'}${speed} from ${n} target${n === 1 ? '' : 's'} in ${secs.toFixed(1)} s: ${findings} finding${findings === 1 ? '' : 's'}`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Whether the live view may draw: stderr is a terminal with a size, the user did not ask for quiet,
 * and neither CI nor TERM=dumb says escape codes are unwelcome. A terminal reporting no rows makes
 * ink clear the whole screen (and scrollback) on every frame, so it gets no live view either.
 */
export function liveViewWanted(stream: { isTTY?: boolean; columns?: number; rows?: number }, env: NodeJS.ProcessEnv, quiet: boolean): boolean {
  if (quiet || stream.isTTY !== true) return false;
  if (env.TERM === 'dumb' || (env.CI !== undefined && env.CI !== '0' && env.CI !== 'false') || env.CONTINUOUS_INTEGRATION) return false;
  return (stream.columns ?? 0) >= 20 && (stream.rows ?? 0) >= 5;
}

/** The live view drawing now, if any: the command's run leaves it open so the summary line can give the report's count. */
let active: { finish(totalFindings: number): void } | undefined;

export function setLiveView(view: { finish(totalFindings: number): void } | undefined): void {
  active = view;
}

/** Replace the live view with its summary line (the report's finding count); a no-op when none is drawing. */
export function endLiveView(totalFindings: number): void {
  const v = active;
  active = undefined;
  v?.finish(totalFindings);
}
