import type { PolicyDocument } from '../../model/aws.js';

/**
 * A policy document in any of the forms AWS hands out: an object (the AWS CLI decodes them), a
 * JSON string, or a URL-encoded JSON string (the IAM API and the JS SDK return them that way).
 * Returns undefined when the value is none of these; the caller records a warning.
 */
export function decodePolicyDocument(v: unknown): PolicyDocument | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object' && !Array.isArray(v)) return v as PolicyDocument;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  for (const text of s.startsWith('{') ? [s] : [safeDecode(s), s]) {
    if (text === undefined) continue;
    try {
      const doc = JSON.parse(text) as unknown;
      if (doc && typeof doc === 'object' && !Array.isArray(doc)) return doc as PolicyDocument;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
