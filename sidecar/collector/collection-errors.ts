import { maskUrlSecrets } from '../database/redact-url.ts';
import type { TargetProblem } from './types.ts';

/**
 * SQLSTATEs that mean "pg_stat_statements is not usable here", when the message names it:
 * 42P01 undefined_table (the view: extension not created), 42883 undefined_function (its function),
 * 55000 object_not_in_prerequisite_state (created but not in shared_preload_libraries).
 * Retrying does not help: the target gets status no_statistics and the normal schedule.
 * Everything else (refused connections, 57P01 shutdown, 57014 timeout, 28P01 authentication…) is
 * an error: status error, and the job fails so graphile-worker retries it with backoff.
 */
const NO_STATISTICS_CODES = new Set(['42P01', '42883', '55000']);

/** The fix a DBA needs, per cause. */
const FIX = {
  notCreated: 'run CREATE EXTENSION pg_stat_statements; in this database',
  notPreloaded: "add pg_stat_statements to shared_preload_libraries (ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'), restart PostgreSQL, then run CREATE EXTENSION pg_stat_statements; in this database",
};

/** Decides what a failed collection means for its target's status. */
export function classifyCollectionError(error: unknown, url?: string): TargetProblem {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && NO_STATISTICS_CODES.has(code) && /pg_stat_statements/.test(message)) {
    const fix = code === '55000' ? FIX.notPreloaded : FIX.notCreated;
    return { status: 'no_statistics', message: statusLine(`pg_stat_statements is not available (${message}): ${fix}`, url) };
  }
  return { status: 'error', message: statusLine(message, url) };
}

const MAX_STATUS_LENGTH = 500;

/**
 * One line for targets.status_message: whitespace collapsed, the URL's secrets (password, also as
 * `?password=` or `?sslpassword=`) masked wherever they appear, length bounded.
 */
export function statusLine(message: string, url?: string): string {
  const line = maskUrlSecrets(message.replace(/\s+/g, ' ').trim(), url);
  return line.length > MAX_STATUS_LENGTH ? `${line.slice(0, MAX_STATUS_LENGTH - 1)}…` : line;
}

/** Thrown after the target's status was recorded, so the worker's retry/backoff applies. */
export class CollectionError extends Error {
  override name = 'CollectionError';
}
