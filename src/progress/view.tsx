import { Box, render, Text } from 'ink';
import { useEffect, useState } from 'react';
import type { Progress } from './progress.js';

function ProgressView({ progress }: { progress: Progress }) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const on = () => setTick((t) => t + 1);
    progress.on('change', on);
    const timer = setInterval(on, 250);
    return () => {
      progress.off('change', on);
      clearInterval(timer);
    };
  }, [progress]);
  const secs = (Date.now() - progress.startedAt) / 1000;
  return (
    <Box flexDirection="column">
      <Text>
        <Text color="cyan">nhi-audit</Text> {progress.target} <Text dimColor>· {progress.phase}</Text>
      </Text>
      <Text>
        files {progress.files} · blobs {progress.blobs} · {(progress.bytes / 1048576).toFixed(1)} MB · {progress.mbPerSecond().toFixed(1)} MB/s ·{' '}
        <Text color={progress.findings > 0 ? 'red' : 'green'}>findings {progress.findings}</Text> <Text dimColor>({secs.toFixed(1)} s)</Text>
      </Text>
    </Box>
  );
}

function SummaryView({ progress, total }: { progress: Progress; total: number }) {
  const secs = (Date.now() - progress.startedAt) / 1000;
  return (
    <Text>
      <Text color="cyan">nhi-audit</Text> scanned {progress.files} files and {progress.blobs} blobs ({(progress.bytes / 1048576).toFixed(1)} MB) in {secs.toFixed(1)} s:{' '}
      <Text color={total > 0 ? 'red' : 'green'} bold>
        {total} finding{total === 1 ? '' : 's'}
      </Text>
    </Text>
  );
}

/**
 * Live progress on stderr (never stdout, which carries the report). The caller only starts it when
 * stderr is a TTY, so pipes and CI logs never see escape codes.
 */
export function startProgressView(progress: Progress): { finish(total: number): void } {
  const app = render(<ProgressView progress={progress} />, { stdout: process.stderr, stdin: undefined as never, patchConsole: false, exitOnCtrlC: false });
  return {
    finish(total: number) {
      app.rerender(<SummaryView progress={progress} total={total} />);
      app.unmount();
    },
  };
}
