import { Box, render, Text } from 'ink';
import { useEffect, useState } from 'react';
import { summaryLine, targetLine, type Progress } from './progress.js';

/** At most this many target rows (the rest are summed up), so the view never fills the terminal. */
function maxRows(): number {
  const rows = process.stderr.rows ?? 0;
  return Math.max(1, Math.min(8, rows - 3));
}

function ProgressView({ progress }: { progress: Progress }) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), 200);
    return () => clearInterval(timer);
  }, [progress]);
  const now = Date.now();
  const rows = progress.targets();
  const limit = maxRows();
  const hidden = rows.length > limit ? rows.length - limit : 0;
  const shown = rows.slice(hidden);
  const width = Math.max(20, (process.stderr.columns ?? 80) - 1);
  return (
    <Box flexDirection="column">
      {hidden > 0 ? <Text dimColor>… {hidden} earlier target{hidden === 1 ? '' : 's'} done</Text> : null}
      {shown.length === 0 ? <Text color="cyan">nhi-audit: starting…</Text> : null}
      {shown.map((r) => (
        <Text key={r.target} wrap="truncate-end">
          <Text color={r.finishedAt !== undefined ? 'green' : 'cyan'}>{r.finishedAt !== undefined ? '✔' : '›'}</Text> {targetLine(r, now).slice(0, width)}
        </Text>
      ))}
      <Text dimColor>
        total {progress.elapsedSeconds().toFixed(1)} s · {progress.mbPerSecond().toFixed(1)} MB/s · {progress.findings} finding{progress.findings === 1 ? '' : 's'} so far
      </Text>
    </Box>
  );
}

function SummaryView({ line, total }: { line: string; total: number }) {
  return <Text color={total > 0 ? 'yellow' : 'green'}>{line}</Text>;
}

export interface ProgressViewHandle {
  /**
   * Replace the live rows with the one summary line (which stays in the scrollback) and release the
   * terminal. Synchronous: ink's unmount renders the last frame immediately.
   */
  finish(totalFindings: number): void;
}

/**
 * Live progress on stderr (never stdout, which carries the report). Callers start it only when
 * liveViewWanted() says so, so pipes, CI logs and TERM=dumb never see escape codes.
 *
 * ink must keep its default stdin: passing `stdin: undefined` made ink 6 throw inside its App and
 * render nothing at all (issue 11: "nothing during a 14 s scan, not even the final line").
 */
export function startProgressView(progress: Progress): ProgressViewHandle {
  const app = render(<ProgressView progress={progress} />, {
    stdout: process.stderr,
    stderr: process.stderr,
    patchConsole: false,
    exitOnCtrlC: false,
    maxFps: 10,
  });
  let done = false;
  return {
    finish(total: number) {
      if (done) return;
      done = true;
      progress.end();
      app.rerender(<SummaryView line={summaryLine(progress, total)} total={total} />);
      app.unmount();
    },
  };
}
