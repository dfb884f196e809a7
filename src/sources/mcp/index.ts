export { parseMcpConfig } from './analyze.js';
export { clientFileForPath } from './clients.js';
export { isMcpConfigPath } from './paths.js';
export type * from '../../model/mcp.js';
