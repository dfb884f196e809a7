import { renderGithub } from './github.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderCompact, renderPretty } from './pretty.js';
import { renderSarif } from './sarif.js';
import type { Renderer } from './types.js';

/** Every output format, by the name `--format` takes. Add a format: one file + one line here. */
export const RENDERERS: Record<string, Renderer> = {
  pretty: renderPretty,
  compact: renderCompact,
  json: renderJson,
  sarif: renderSarif,
  markdown: renderMarkdown,
  github: renderGithub,
  html: renderHtml,
};

export const FORMATS = Object.keys(RENDERERS);
