/**
 * The one error an apply or a rollback throws. Inside, the modules of sidecar/apply throw what
 * PostgreSQL throws; applyIndex and rollbackIndex convert it here, once, into an ApplyError whose
 * message says what happened to the index and what to do, and whose `retryable` tells a job queue
 * whether trying again later can succeed.
 *
 * Kinds:
 * - table_missing: the recommendation's table is gone. Not retryable.
 * - changed: the table no longer matches the recommendation (a column gone, the index's name taken
 *   by another relation or on another table). Not retryable: the advice must be made again.
 * - rights: the apply role may not index the table. Not retryable until a DBA runs the GRANT.
 * - lock_timeout: a lock was not granted within lock_timeout. Retryable.
 * - canceled: statement_timeout ran out or someone cancelled the statement. Retryable.
 * - failed: anything else; retryable only when the session was lost or the statement deadlocked.
 */
import pg from 'pg';
import { messageOf, UserError } from '../errors.ts';

export type ApplyErrorKind = 'table_missing' | 'changed' | 'rights' | 'lock_timeout' | 'canceled' | 'failed';

/** A UserError, so an edge (CLI, HTTP) prints its message as it is. */
export class ApplyError extends UserError {
  override name = 'ApplyError';
  readonly kind: ApplyErrorKind;
  readonly retryable: boolean;
  /** The statements that ran and changed something before the failure (cleanup included), in order. */
  statements: string[] = [];

  constructor(kind: ApplyErrorKind, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.retryable = options.retryable ?? false;
  }
}

/** A failed build whose invalid leftover could not be dropped either (see dropInvalidLeftover). */
export class LeftoverError extends Error {
  readonly build: unknown;
  readonly cleanup: unknown;

  constructor(build: unknown, cleanup: unknown) {
    super(messageOf(build), { cause: build });
    this.build = build;
    this.cleanup = cleanup;
  }
}

const LOCK_NOT_AVAILABLE = '55P03';
const QUERY_CANCELED = '57014';
const INSUFFICIENT_PRIVILEGE = '42501';
/** A retry is PostgreSQL's own advice for a deadlock: one of the two transactions was chosen to fail. */
const DEADLOCK_DETECTED = '40P01';
/**
 * The recommendation no longer fits the table: 42703 undefined_column, 42P01 undefined_table,
 * 42704 undefined_object (an operator class, a collation), 42883 undefined_function (an expression),
 * 42P07 duplicate_table (the name was taken between the check and the build).
 */
const CHANGED = new Set(['42703', '42P01', '42704', '42883', '42P07']);
/** The session is gone (class 08, or the server shutting the backend down): a new session may succeed. */
const SESSION_LOST = new Set(['57P01', '57P02', '57P03']);

export interface ErrorContext {
  /** What was being done, for the message: "building public.orders_x_idx". */
  doing: string;
  lockTimeoutMs: number;
}

/** Any error thrown while applying or rolling back, as the ApplyError a caller can act on. */
export function toApplyError(error: unknown, context: ErrorContext): ApplyError {
  if (error instanceof ApplyError) return error;
  if (error instanceof LeftoverError) {
    const converted = toApplyError(error.build, context);
    const note = `; the invalid index it left could not be dropped (${messageOf(error.cleanup)}): the next apply drops it`;
    return new ApplyError(converted.kind, converted.message + note, { retryable: converted.retryable, cause: error.build });
  }
  const message = messageOf(error);
  if (!(error instanceof pg.DatabaseError)) {
    // Not from the server: the socket broke (pg's "Connection terminated unexpectedly").
    return new ApplyError('failed', `${context.doing} failed, the session to the target was lost: ${message}; retry`, { retryable: true, cause: error });
  }
  const code = error.code ?? '';
  if (code === LOCK_NOT_AVAILABLE) {
    return new ApplyError('lock_timeout', `${context.doing} timed out waiting for a lock (lock_timeout ${context.lockTimeoutMs} ms): another session holds a conflicting lock; retry later`, { retryable: true, cause: error });
  }
  if (code === QUERY_CANCELED) {
    return new ApplyError('canceled', `${context.doing} was canceled (${message}); retry, with a longer statement timeout if it ran out`, { retryable: true, cause: error });
  }
  if (CHANGED.has(code)) return new ApplyError('changed', `${context.doing} failed, the table changed since the recommendation: ${message}`, { cause: error });
  if (code === INSUFFICIENT_PRIVILEGE) return new ApplyError('rights', `${context.doing} failed: ${message}`, { cause: error });
  const retryable = code.startsWith('08') || SESSION_LOST.has(code) || code === DEADLOCK_DETECTED;
  return new ApplyError('failed', `${context.doing} failed: ${message}`, { retryable, cause: error });
}
