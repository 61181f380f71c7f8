import type pg from 'pg';

export interface TransactionLimits {
  /** statement_timeout for every statement inside, in milliseconds. */
  statementTimeoutMs: number;
  /** lock_timeout, in milliseconds: planning takes AccessShareLock and must not queue behind DDL. */
  lockTimeoutMs: number;
  /**
   * 'read write' for a transaction that creates the planning guard's temporary functions
   * (plv8/engine/guard/): the guard makes its own subtransaction READ ONLY before anyone else's
   * code runs, and the whole transaction is rolled back anyway. Default 'read only'.
   */
  mode?: 'read only' | 'read write';
}

/**
 * Runs `action` inside `BEGIN READ ONLY … ROLLBACK` (or `limits.mode`) on `client`, with the
 * limits set locally, so whatever happens inside leaves nothing behind: no rows, no settings. The
 * client must be idle (not in a transaction of its caller's).
 *
 * READ ONLY holds even for plain EXPLAIN of INSERT/UPDATE/DELETE: the server checks it only for
 * statements that execute, and planning never writes. It guards against functions that write
 * while being folded at plan time or run by EXPLAIN ANALYZE.
 */
export async function inRolledBackTransaction<T>(
  client: pg.ClientBase,
  limits: TransactionLimits,
  action: () => Promise<T>,
): Promise<T> {
  await client.query(limits.mode === 'read write' ? 'begin read write' : 'begin read only');
  try {
    // set_config(…, true) is SET LOCAL with bind parameters: it ends with the transaction.
    await client.query(`select set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true)`, [
      `${Math.round(limits.statementTimeoutMs)}ms`,
      `${Math.round(limits.lockTimeoutMs)}ms`,
    ]);
    return await action();
  } finally {
    // ROLLBACK also clears an aborted transaction; if the connection is gone, the caller's error
    // (from the action) is the one worth reporting, so this one is dropped.
    await client.query('rollback').catch(() => undefined);
  }
}
