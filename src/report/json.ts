import type { Report } from '../model/report.js';
import { topRisks } from './view.js';

/**
 * The JSON report, as described by src/report/report.schema.json. `summary.topRisks` lists the ids
 * of the highest-scoring findings (at most 5), the same the pretty, Markdown and HTML views lead with.
 */
export function renderJson(report: Report): string {
  const out = { ...report, summary: { ...report.summary, topRisks: topRisks(report, 5).map((f) => f.id) } };
  return `${JSON.stringify(out, null, 2)}\n`;
}
