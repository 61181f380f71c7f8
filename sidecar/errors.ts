/**
 * Errors that reach a person.
 *
 * Inside OptiSchema code throws ordinary errors (wrapped with `{ cause }`); at an edge (the CLI, the
 * HTTP server) they become one line of text. A `UserError` is already that line: it says what is
 * wrong and what to do about it, so the edge prints its message as it is and no stack.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** The command line itself was wrong (unknown option, bad value). The CLI exits 2 for these. */
export class UsageError extends UserError {
  override name = 'UsageError';
}

/** The message of an unknown thrown value, for the one-line report at an edge. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
