/** A wrong command line or an unusable input file: exit status 2, one line on stderr. */
export class UsageError extends Error {}
