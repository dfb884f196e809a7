import { EventEmitter } from 'node:events';

/** Live counters a scan updates and the ink view (or nothing, when not a TTY) displays. */
export class Progress extends EventEmitter {
  phase = 'starting';
  target = '';
  files = 0;
  blobs = 0;
  bytes = 0;
  findings = 0;
  readonly startedAt = Date.now();
  private last = 0;

  update(p: Partial<Pick<Progress, 'phase' | 'target'>> & { files?: number; blobs?: number; bytes?: number; findings?: number }): void {
    if (p.phase !== undefined) this.phase = p.phase;
    if (p.target !== undefined) this.target = p.target;
    this.files += p.files ?? 0;
    this.blobs += p.blobs ?? 0;
    this.bytes += p.bytes ?? 0;
    this.findings += p.findings ?? 0;
    const now = Date.now();
    // Throttle: the view redraws at most ~10 times a second however fast files go by.
    if (p.phase !== undefined || now - this.last > 100) {
      this.last = now;
      this.emit('change');
    }
  }

  mbPerSecond(): number {
    const s = (Date.now() - this.startedAt) / 1000;
    return s > 0 ? this.bytes / 1048576 / s : 0;
  }
}
