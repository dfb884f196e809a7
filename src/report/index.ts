import { renderJson } from './json.js';
import { renderPretty } from './pretty.js';
import type { Renderer } from './types.js';

/** Every output format, by the name `--format` takes. Add a format: one file + one line here. */
export const RENDERERS: Record<string, Renderer> = {
  pretty: renderPretty,
  json: renderJson,
};

export const FORMATS = Object.keys(RENDERERS);
