import { render } from 'ink';
import type { Report } from '../../model/report.js';
import { Dashboard } from './Dashboard.js';

export { Dashboard } from './Dashboard.js';

/** Whether the dashboard can run here: stdin and stderr are terminals with a size. */
export function canRunDashboard(stdin: { isTTY?: boolean } = process.stdin, out: { isTTY?: boolean; columns?: number; rows?: number } = process.stderr): boolean {
  return stdin.isTTY === true && out.isTTY === true && (out.columns ?? 0) > 0 && (out.rows ?? 0) > 0;
}

/**
 * Show the interactive dashboard for a finished run and resolve when the user quits (q). Drawn on
 * stderr (stdout stays the report's), read from stdin; callers check canRunDashboard() first —
 * `audit -i` when stdin and stderr are terminals. It never draws more rows than the terminal has,
 * so ink never falls back to clearing the screen.
 */
export async function runDashboard(report: Report, opts: { showSecrets?: boolean } = {}): Promise<void> {
  const out = process.stderr;
  const size = () => ({ columns: out.columns || 100, rows: out.rows || 30 });
  const app = render(<Dashboard report={report} showSecrets={opts.showSecrets} {...size()} />, { stdout: out, stdin: process.stdin, exitOnCtrlC: true, patchConsole: false });
  const onResize = () => app.rerender(<Dashboard report={report} showSecrets={opts.showSecrets} {...size()} />);
  out.on('resize', onResize);
  try {
    await app.waitUntilExit();
  } finally {
    out.off('resize', onResize);
    app.unmount();
  }
}
