#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built by `npm ci` through the prepare script).
import('../dist/util/young-gen.js')
  .then((y) => {
    // Before anything is loaded: see young-gen.ts.
    y.keepYoungGenerationSmall();
    return import('../dist/cli/main.js');
  })
  .then((m) => m.main(process.argv))
  .catch((err) => {
    process.stderr.write(`nhi-audit: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 2;
  });
