/** A usage or configuration error: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {}

/** Exit codes every command shares (POSIX style; see README "Exit codes"). */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;
