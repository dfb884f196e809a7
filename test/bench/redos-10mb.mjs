#!/usr/bin/env node
// Worst-case regex time of every built-in secret rule on crafted inputs (see lib/adversarial.mjs),
// in one process: rules are spread over a few worker threads; a rule still running after --cap
// seconds on one input is stopped (its worker replaced) and reported as over the cap.
//   npm run build && node test/bench/redos-10mb.mjs [--mb 10] [--workers 2] [--cap 10] [--top 10] [--only id,id] [--rules DIR] [--json FILE]
// Exits 1 when a rule takes longer than --limit seconds (default 2) on an input: CPU seconds with
// --workers 1 (the fair measure on a shared machine), wall seconds otherwise.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { compileRule, matchRule } from '../../dist/detect/rule-matcher.js';
import { loadSecretRules } from '../../dist/rules/catalog.js';
import { adversarial } from './lib/adversarial.mjs';

if (!isMainThread) {
  // One worker: times each rule it is given on each adversarial input, reporting as it goes.
  const { size, dir } = workerData;
  const rules = dir ? loadSecretRules(dir) : loadSecretRules();
  parentPort.on('message', (ri) => {
    const rule = compileRule(rules[ri]);
    for (const [name, text] of adversarial(rules[ri], size)) {
      parentPort.postMessage({ ri, name, start: true });
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      matchRule(rule, text);
      const c = process.cpuUsage(c0);
      parentPort.postMessage({ ri, name, ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 });
    }
    parentPort.postMessage({ ri, done: true });
  });
} else {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const size = Math.round(Number(arg('mb', '10')) * 1048576);
  const workers = Number(arg('workers', '2'));
  const capMs = Number(arg('cap', '10')) * 1000;
  const limitMs = Number(arg('limit', '2')) * 1000;
  const top = Number(arg('top', '10'));
  const only = arg('only', '')?.split(',').filter(Boolean) ?? [];
  const dir = arg('rules', ''); // another rules/secrets directory (an older version, to compare)
  const rules = dir ? loadSecretRules(dir) : loadSecretRules();
  const todo = rules.map((r, i) => i).filter((i) => only.length === 0 || only.includes(rules[i].id));
  /** Per rule: its slowest input and time, and the total over its inputs. */
  const worst = new Map();
  const t0 = performance.now();
  const record = (ri, name, ms, cpuMs = ms) => {
    const w = worst.get(ri) ?? { id: rules[ri].id, ms: 0, cpuMs: 0, input: '', total: 0 };
    w.total += ms;
    if (ms > w.ms) Object.assign(w, { ms, cpuMs, input: name });
    worst.set(ri, w);
  };
  const script = fileURLToPath(import.meta.url);
  await new Promise((resolveAll) => {
    let live = 0;
    const start = () => {
      const w = new Worker(script, { workerData: { size, dir } });
      live++;
      let current; // { ri, name, at }
      let timer;
      const next = () => {
        const ri = todo.shift();
        if (ri === undefined) {
          clearInterval(timer);
          void w.terminate();
          if (--live === 0) resolveAll();
          return;
        }
        w.postMessage(ri);
      };
      w.on('message', (m) => {
        if (m.start) current = { ri: m.ri, name: m.name, at: performance.now() };
        else if (m.done) next();
        else {
          current = undefined;
          record(m.ri, m.name, m.ms, m.cpuMs);
        }
      });
      // Watchdog: a rule over the cap is recorded at the cap and its worker replaced.
      timer = setInterval(() => {
        if (!current || performance.now() - current.at < capMs) return;
        record(current.ri, `${current.name} (stopped at the cap)`, capMs);
        clearInterval(timer);
        current = undefined;
        void w.terminate();
        live--;
        start();
      }, 200);
      next();
    };
    for (let i = 0; i < Math.min(workers, todo.length); i++) start();
  });
  const rows = [...worst.values()].sort((a, b) => b.ms - a.ms);
  // With one worker the CPU time is the rule's own and the fair measure; with more, wall time.
  const over = rows.filter((r) => (workers === 1 ? r.cpuMs : r.ms) > limitMs);
  console.log(`${rows.length} rules × 8 inputs of ${(size / 1048576).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s (${workers} workers)`);
  console.log(`slowest ${top} (worst input):`);
  // CPU time is the process's (every thread): it matches the rule's own time with --workers 1 only,
  // and then it does not grow when other programs load the machine, as the wall time does.
  console.log(`  ${'rule'.padEnd(40)} ${'wall'.padStart(7)} ${'cpu'.padStart(7)}  input`);
  for (const r of rows.slice(0, top)) console.log(`  ${r.id.padEnd(40)} ${(r.ms / 1000).toFixed(2).padStart(6)}s ${(r.cpuMs / 1000).toFixed(2).padStart(6)}s  ${r.input}`);
  const json = arg('json', '');
  if (json) writeFileSync(json, JSON.stringify(rows, null, 1));
  if (over.length) {
    console.log(`${over.length} rule(s) over ${limitMs / 1000} s: ${over.map((r) => r.id).join(', ')}`);
    process.exitCode = 1;
  }
}
