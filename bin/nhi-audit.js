#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built by `npm ci` through the prepare script).
import { setFlagsFromString } from 'node:v8';

// Keep the young generation small before the heap grows: the main thread streams files and blobs
// through short-lived buffers, and V8's default sizing would hold tens of MB of them for no gain.
setFlagsFromString('--max-semi-space-size=4');

import('../dist/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  process.stderr.write(`nhi-audit: ${err && err.message ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
