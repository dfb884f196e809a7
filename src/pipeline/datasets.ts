import { hasData, type AwsDataKind, type AwsInventory } from '../model/aws.js';
import type { McpEndpointObservation } from '../model/mcp.js';

/**
 * How the pipeline turns a run's observations of one type into the inputs of the checks that
 * read that type (rules/checks/<id>.yaml `reads:`), and which declared `needs:` each observation
 * meets. A type not listed here gives its checks the list of all its observations in one call.
 */
export interface Dataset {
  /** Group the observations' data into check inputs (each input is one `check.run` call). */
  inputs(items: unknown[]): unknown[];
  /** Does this observation carry the part a check needs? */
  has?(data: unknown, part: string): boolean;
  /** Parts whose absence is not a coverage gap (they are only there when the user asked for them). */
  optional?: string[];
}

const all = (items: unknown[]): unknown[] => (items.length ? [items] : []);

export const DATASETS: Record<string, Dataset> = {
  'aws-account': {
    inputs: (items) => items,
    has: (d, part) => hasData(d as AwsInventory, part as AwsDataKind),
    optional: ['leaked-key-ids'],
  },
  'mcp-config': { inputs: (items) => (items.length ? [{ files: items }] : []) },
  'mcp-endpoint': {
    inputs: (items) => (items.length ? [{ endpoints: items }] : []),
    has: (d, part) => {
      const o = d as McpEndpointObservation;
      if (part === 'listen') return o.listen !== undefined;
      if (part === 'user-token') return o.userToken !== undefined;
      if (part === 'pins') return o.pins !== undefined;
      return true;
    },
    optional: ['listen', 'user-token', 'pins'],
  },
};

export function datasetOf(type: string): Dataset {
  return DATASETS[type] ?? { inputs: all };
}
