/** What to do about a file that could not be read, appended to its one-line reason (an errno code, or EWORKER). */
export function unreadableFix(code: string | undefined): string {
  if (code === 'EACCES' || code === 'EPERM') return ' (run the scan as a user who can read it, or --exclude it)';
  if (code === 'EWORKER') return ' (the detection worker failed on it)';
  return '';
}
