import { CONFIG_CHECKS } from '../../checks/mcp/lib/registry.js';
import type { CheckContext } from '../../checks/types.js';
import { DEFAULT_THRESHOLDS } from '../../config/load.js';
import type { Finding } from '../../model/finding.js';
import { clientFileForPath, genericClientFile, type ClientFile } from './clients.js';
import { extractConfig } from './normalize.js';
import { parseJsonLocated } from './parse/jsonc.js';
import { ConfigParseError, type LocatedDoc } from './parse/located.js';
import { parseTomlLocated } from './parse/toml.js';
import { parseYamlLocated } from './parse/yaml.js';
import type { McpConfigFile } from '../../model/mcp.js';

export interface ParsedConfig {
  file?: McpConfigFile;
  warnings: string[];
  /** One line: why the file could not be read as a config (path, format, line, parser message). */
  error?: string;
}

const FORMAT_NAMES = { json: 'JSON', jsonc: 'JSONC', yaml: 'YAML', toml: 'TOML' };

function parseDoc(text: string, spec: ClientFile): LocatedDoc {
  switch (spec.format) {
    case 'json':
      return parseJsonLocated(text, { comments: false });
    case 'jsonc':
      return parseJsonLocated(text, { comments: true });
    case 'yaml':
      return parseYamlLocated(text);
    case 'toml':
      return parseTomlLocated(text);
  }
}

/** Parse one client config into servers, approvals and inputs. Never throws on bad content. */
export function parseMcpConfig(path: string, text: string, spec: ClientFile = clientFileForPath(path) ?? genericClientFile(path)): ParsedConfig {
  let doc: LocatedDoc;
  try {
    doc = parseDoc(text, spec);
  } catch (e) {
    const msg = e instanceof ConfigParseError ? e.message : (e as Error).message.split('\n')[0];
    return { warnings: [], error: `${path}: not valid ${FORMAT_NAMES[spec.format]}: ${msg}` };
  }
  const { file, warnings } = extractConfig(doc, spec, path);
  return { file, warnings };
}

export function configCheckContext(): CheckContext {
  return { now: new Date(), thresholds: { ...DEFAULT_THRESHOLDS } };
}

/** Run every config check over a set of parsed files (reuse is judged across all of them). */
export function runConfigChecks(files: McpConfigFile[], ctx: CheckContext = configCheckContext()): Finding[] {
  const inv = { files };
  return CONFIG_CHECKS.flatMap((c) => c.run(inv, ctx));
}
