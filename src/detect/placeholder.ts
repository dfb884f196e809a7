/**
 * Values that are documentation, templates or references rather than credentials. Applies to every
 * rule (unless a rule opts out with skip_placeholder_check), so no rule has to repeat these.
 */
const PLACEHOLDER_RES: RegExp[] = [
  /example/i, // AKIAIOSFODNN7EXAMPLE, wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, example.com
  /\$\{|\$\(|\{\{|\}\}|%\(|<[a-z_ -]*>|\[\[/i, // ${VAR}, $(cmd), {{ .Values.x }}, ${{ secrets.X }}, <your-key>
  /process\.env|os\.environ|getenv|env\[|ENV\[|System\.getenv|secrets\./i,
  /changeme|change_me|redacted|placeholder|dummy|your[_-]?(api[_-]?)?(key|token|secret|password)|insert[_-]?(your|key|token)|replace[_-]?me|todo|fixme|\bsample\b|notasecret|not-a-real|fake[_-]?(key|token|secret)/i,
  /x{5,}|X{5,}|\*{3,}|\.{4,}|#{4,}|0{10,}/,
  /^(.)\1+$/, // one repeated character
  /0123456789|123456789|abcdefghij|ABCDEFGHIJ|qwerty/i,
];

export function isPlaceholder(value: string): boolean {
  for (const re of PLACEHOLDER_RES) if (re.test(value)) return true;
  // Very low variety for its length: aaaaabbbbb, 1111-2222 …
  if (value.length >= 12 && new Set(value).size <= 4) return true;
  return false;
}
