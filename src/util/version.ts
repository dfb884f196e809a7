import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './paths.js';

export const TOOL_NAME = 'nhi-audit';
export const TOOL_VERSION: string = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;
export const INFORMATION_URI = 'https://github.com/nhi-audit/nhi-audit';
