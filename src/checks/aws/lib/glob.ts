/**
 * IAM wildcards as regular expressions: `*` any run, `?` one character. A `*` or `?` preceded by
 * NUL is literal (how a resolved `${*}` / `${?}` policy variable escape is marked). Resource and
 * action matching is case-insensitive; StringLike conditions are case-sensitive.
 */
const cache = new Map<string, RegExp>();

export function globRegExp(pattern: string, caseSensitive = false): RegExp {
  const k = `${caseSensitive ? 1 : 0}${pattern}`;
  let re = cache.get(k);
  if (!re) {
    const body = pattern.replace(/\u0000([*?])|([.+^${}()|[\]\\])|(\*)|(\?)/g, (_m, lit?: string, esc?: string, star?: string) => (lit ? `\\${lit}` : esc ? `\\${esc}` : star ? '.*' : '.'));
    re = new RegExp(`^${body}$`, caseSensitive ? 's' : 'is');
    if (cache.size > 10_000) cache.clear();
    cache.set(k, re);
  }
  return re;
}
