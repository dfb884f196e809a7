import { describe, expect, it } from 'vitest';
import { safeToCall } from '../src/sources/mcp/probe/session.js';
import { redactText } from '../src/util/redact.js';
import { fake } from './helpers/tokens.js';

describe('trust: --call-tools calls only tools that cannot hand back a secret', () => {
  const t = (name: string, description = '', readOnlyHint = true) => ({ name, description, readOnlyHint });
  it('a read-only tool about time or status is callable', () => {
    expect(safeToCall(t('get_time', 'Current time.'))).toBe(true);
    expect(safeToCall(t('listEvents'))).toBe(true);
  });
  it('tools whose name or description reads environment, files or secrets are not', () => {
    for (const x of [t('get_env'), t('printEnvVars'), t('read_file'), t('list-secrets'), t('whoami', 'Returns the API key in use'), t('status', 'Shows the process environment'), t('cat')]) {
      expect(safeToCall(x), x.name).toBe(false);
    }
  });
  it('never a tool without readOnlyHint', () => {
    expect(safeToCall(t('get_time', '', false))).toBe(false);
  });
});

describe('trust: remote error text is redacted like scanned text', () => {
  it('a token a rule knows, and credential-shaped parameters, are replaced by their redacted form', () => {
    const pat = fake.githubPat();
    const out = redactText(`Bad credentials for ${pat}; X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr0123456789abcdef&X-Amz-Date=1 Authorization: Bearer abcdefghijklmnop`);
    expect(out).not.toContain(pat);
    expect(out).not.toContain('IQoJb3JpZ2luX2VjEJr0123456789abcdef');
    expect(out).not.toContain('abcdefghijklmnop');
    expect(out).toContain('X-Amz-Security-Token=');
  });
});
