import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';

interface QueryStateProps<T> {
  /** What is being loaded, for the loading and error lines ("recommendations"). */
  what: string;
  fetching: boolean;
  error?: CombinedError | undefined;
  data: T | null | undefined;
  /** True when the data holds nothing to show. */
  empty?: (data: T) => boolean;
  /** Shown when empty: say what will make something appear. */
  emptyText?: ReactNode;
  children: (data: T) => ReactNode;
}

/**
 * Loading, error and empty states in one place: every list and detail on every page says which
 * of the four it is in, and an error keeps the last data on screen under the message.
 */
export function QueryState<T>({ what, fetching, error, data, empty, emptyText, children }: QueryStateProps<T>) {
  const message = error ? errorText(error) : null;
  if (data === null || data === undefined) {
    if (message) return <p role="alert" className="error">Could not load {what}: {message}</p>;
    return fetching ? <p role="status" className="muted">Loading {what}…</p> : <p className="muted">No {what}.</p>;
  }
  return (
    <>
      {message && <p role="alert" className="error">Could not refresh {what}: {message}</p>}
      {empty?.(data) ? <p className="muted" data-testid="empty-state">{emptyText ?? `No ${what} yet.`}</p> : children(data)}
    </>
  );
}

/** The server's own message for a GraphQL error; a network failure says the server is unreachable. */
export function errorText(error: CombinedError): string {
  if (error.networkError) return 'the OptiSchema server did not answer (is it running?)';
  return error.graphQLErrors.map((e) => e.message).join('; ') || error.message;
}
