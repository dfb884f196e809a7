// Runs the built CLI in this process and, at exit, prints its resource usage on stderr: maxRSS
// covers the whole process, worker threads included (they share it); git children are not counted.
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/nhi-audit.js', import.meta.url));
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\n@@bench ${JSON.stringify({ maxRSSKB: u.maxRSS, userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000 })}\n`);
});
process.argv = [process.argv[0], bin, ...process.argv.slice(2)];
await import(bin);
