#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built by `npm ci` through the prepare script).
import('../dist/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  process.stderr.write(`nhi-audit: ${err && err.message ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
