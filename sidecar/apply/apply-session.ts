/**
 * The session an apply or a rollback runs in: bounded waits and one applier per index.
 *
 * - lock_timeout and statement_timeout are set for the session (set_config(…, false) is SET in
 *   function form, so the value is a bind parameter), not for a transaction: CREATE INDEX
 *   CONCURRENTLY cannot run in one. The values the session had before are put back afterwards, so
 *   a caller's own SET survives.
 * - A session-level advisory lock keyed on the qualified index name serialises two appliers (two
 *   sidecars, a retry racing a slow first attempt) of the same index. Its wait is bounded by the
 *   same lock_timeout as every other lock the apply waits for (see withAdvisoryLock for how). It is
 *   released in `finally`; when the session is lost, PostgreSQL releases it with the session.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { ApplyError } from './apply-errors.ts';

export interface ApplySettings {
  /** Longest wait for any one lock (the advisory lock, the table's, a snapshot's), in ms. Default 5000. */
  lockTimeoutMs?: number;
  /** Longest any one statement may run, the build included, in ms. Default 2 hours. */
  statementTimeoutMs?: number;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 2 * 60 * 60 * 1000;

/**
 * The first key of pg_advisory_lock(int4, int4) for applies ("OSIX" in ASCII): the two-key space
 * is separate from the one-key (int8) space applications use most, and this constant keeps
 * OptiSchema's apply locks apart from any other two-key lock. The second key is
 * hashtext(qualified index name); a hash collision only makes two different applies take turns.
 */
export const APPLY_LOCK_CLASS = 0x4f534958;

/** The settings with their defaults, checked: 0 would mean "wait forever" to PostgreSQL. */
export function resolveSettings(settings: ApplySettings = {}): Required<ApplySettings> {
  const resolved = {
    lockTimeoutMs: settings.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    statementTimeoutMs: settings.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
  };
  for (const [name, ms] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(ms) || ms <= 0) throw new RangeError(`${name} must be a positive whole number of ms, not ${ms}`);
  }
  return resolved;
}

/**
 * Runs `action` with the timeouts set and the advisory lock on `index` (schema-qualified, quoted)
 * held; both undone afterwards, whatever happens.
 *
 * @example
 *   await withApplySession(target, 'public.orders_x_idx', { lockTimeoutMs: 5000, statementTimeoutMs: 7_200_000 },
 *     () => target.query('create index concurrently …'));
 */
export async function withApplySession<T>(target: pg.ClientBase, index: string, settings: Required<ApplySettings>, action: () => Promise<T>): Promise<T> {
  const saved = await target.query<{ lock_timeout: string; statement_timeout: string }>(
    `select current_setting('lock_timeout') as lock_timeout, current_setting('statement_timeout') as statement_timeout`,
  );
  const before = saved.rows[0]!;
  let failed = true;
  try {
    await setTimeouts(target, `${settings.lockTimeoutMs}ms`, `${settings.statementTimeoutMs}ms`);
    const result = await withAdvisoryLock(target, index, settings.lockTimeoutMs, action);
    failed = false;
    return result;
  } finally {
    // After a failure the session may be gone; the failure is what the caller needs to see.
    await setTimeouts(target, before.lock_timeout, before.statement_timeout).catch((error: unknown) => {
      if (!failed) throw error;
    });
  }
}

async function setTimeouts(target: pg.ClientBase, lockTimeout: string, statementTimeout: string): Promise<void> {
  await target.query(`select set_config('lock_timeout', $1, false), set_config('statement_timeout', $2, false)`, [lockTimeout, statementTimeout]);
}

/**
 * Why tries, not one waiting pg_advisory_lock: a session waiting in `select pg_advisory_lock(…)`
 * holds that statement's snapshot all the while, and CREATE INDEX CONCURRENTLY in the session that
 * holds the lock waits for every older snapshot in the database before it marks its index valid.
 * Each would wait for the other (PostgreSQL breaks it with 40P01 deadlock_detected; the concurrent
 * apply test found it). pg_try_advisory_lock returns at once, so between tries the waiter holds no
 * snapshot. The tries stop after lock_timeout, the bound of every other lock wait.
 */
async function withAdvisoryLock<T>(target: pg.ClientBase, index: string, lockTimeoutMs: number, action: () => Promise<T>): Promise<T> {
  const deadline = performance.now() + lockTimeoutMs;
  for (let pause = 10; ; pause = Math.min(pause * 2, MAX_TRY_PAUSE_MS)) {
    const { rows } = await target.query<{ locked: boolean }>(`select pg_try_advisory_lock($1, hashtext($2)) as locked`, [APPLY_LOCK_CLASS, index]);
    if (rows[0]?.locked) break;
    const left = deadline - performance.now();
    if (left <= 0) throw new ApplyError('lock_timeout', `another apply or rollback of ${index} is still running (waited lock_timeout ${lockTimeoutMs} ms); retry later`, { retryable: true });
    await sleep(Math.min(pause, left));
  }
  let failed = true;
  try {
    const result = await action();
    failed = false;
    return result;
  } finally {
    await target.query(`select pg_advisory_unlock($1, hashtext($2))`, [APPLY_LOCK_CLASS, index]).catch((error: unknown) => {
      if (!failed) throw error;
    });
  }
}

/** The longest pause between two tries: how late, at most, a waiting apply notices the lock is free. */
const MAX_TRY_PAUSE_MS = 250;
