// Test-only entry: show the dashboard for a saved JSON report (until `audit -i` calls runDashboard).
// Usage: node test/helpers/dashboard-entry.mjs REPORT.json
import { readFileSync } from 'node:fs';
import { runDashboard } from '../../dist/report/dashboard/index.js';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
await runDashboard(report);
process.stderr.write('DASHBOARD-CLOSED\n');
