import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { expect } from 'vitest';

/**
 * The OASIS SARIF 2.1.0 schema (a draft-04 document; copied into test/fixtures so CI does not need
 * ../shared). Ajv 8 has no draft-04 meta-schema, but this schema uses nothing draft-04-specific
 * beyond the top-level `id`, so it compiles as draft-07 with meta-validation off; the formats it uses are checked
 * with small validators so a bad URI or timestamp fails too.
 */
const schema = JSON.parse(readFileSync(new URL('../fixtures/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));
delete schema.$schema;
schema.$id = schema.id; // draft-04's `id` is draft-07's `$id`
delete schema.id;

const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(s));
ajv.addFormat('uri-reference', (s: string) => !/[\s\\]/.test(s) && !/%(?![0-9A-Fa-f]{2})/.test(s));
ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)));

export const validateSarif = ajv.compile(schema);

export type Sarif = {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; semanticVersion: string; informationUri: string; rules: SarifRule[] } };
    automationDetails: { id: string };
    results: SarifResult[];
    invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications?: Array<{ level: string; message: { text: string } }> }>;
  }>;
};
export type SarifRule = {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  properties: { tags: string[]; 'security-severity': string; precision: string };
};
export type SarifLocation = {
  physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn?: number } };
  logicalLocations?: Array<{ fullyQualifiedName: string; kind: string }>;
};
export type SarifResult = {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
};

/** Schema-valid, and everything GitHub code scanning needs to accept the upload. */
export function expectGithubReadySarif(text: string): Sarif {
  const sarif = JSON.parse(text) as Sarif;
  expect(validateSarif(sarif), JSON.stringify(validateSarif.errors?.slice(0, 5), null, 1)).toBe(true);
  expect(sarif.version).toBe('2.1.0');
  expect(sarif.runs).toHaveLength(1);
  const run = sarif.runs[0];
  const d = run.tool.driver;
  expect(d.name).toBe('nhi-audit');
  expect(d.semanticVersion).toMatch(/^\d+\.\d+\.\d+/);
  expect(d.informationUri).toMatch(/^https:\/\//);
  const ids = d.rules.map((r) => r.id);
  expect(new Set(ids).size, `duplicate rule ids: ${ids}`).toBe(ids.length);
  for (const r of d.rules) {
    expect(r.shortDescription.text.length).toBeGreaterThan(0);
    expect(r.fullDescription.text.length).toBeGreaterThan(0);
    expect(r.help.text).toContain('Remediation');
    expect(r.help.markdown).toContain('### Remediation');
    expect(r.properties['security-severity']).toMatch(/^\d+\.\d$/);
    expect(r.properties.tags).toContain('security');
    expect(r.properties.tags.some((t) => /^NHI\d+$/.test(t))).toBe(true);
    expect(['very-high', 'high', 'medium', 'low']).toContain(r.properties.precision);
  }
  expect(run.automationDetails.id).toMatch(/^nhi-audit\/.+\/$/);
  for (const res of run.results) {
    expect(d.rules[res.ruleIndex].id).toBe(res.ruleId);
    expect(['error', 'warning', 'note']).toContain(res.level);
    expect(res.message.text.length).toBeGreaterThan(0);
    expect(res.locations.length).toBeGreaterThan(0);
    const pl = res.locations[0].physicalLocation;
    expect(pl.artifactLocation.uri).not.toMatch(/^(\/|[a-z]+:)/i); // relative to the repository root
    expect(pl.region.startLine).toBeGreaterThanOrEqual(1);
    expect(res.partialFingerprints).not.toHaveProperty('primaryLocationLineHash');
    expect(res.partialFingerprints['nhiAuditFindingId/v1']).toMatch(/^[0-9a-f]{32}$/);
  }
  const referenced = new Set(run.results.map((r) => r.ruleId));
  expect(new Set(ids)).toEqual(referenced);
  return sarif;
}
