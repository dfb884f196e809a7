import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { expect } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { runCli } from './cli.js';

const schema = JSON.parse(readFileSync(new URL('../../src/report/report.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
/** The shipped JSON Schema of the report, compiled once for every end-to-end test. */
export const validateReport = ajv.compile(schema);

export function expectValidReport(report: unknown): asserts report is Report {
  expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
}

/** Run the built CLI with `-f json` and return its schema-checked report. */
export async function runJson(args: string[], opts: Parameters<typeof runCli>[1] = {}): Promise<{ code: number; report: Report; stderr: string }> {
  const r = await runCli([...args, '-f', 'json'], opts);
  let report: unknown;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new Error(`no JSON on stdout (exit ${r.code}): ${r.stderr}`);
  }
  expectValidReport(report);
  return { code: r.code, report, stderr: r.stderr };
}
