import type pg from 'pg';
import { inTransaction } from '../database/transaction.ts';

/**
 * Runs `action` in one transaction on OptiSchema's database under the collector's bounds (10 s per
 * statement, 1 s to get a lock: the same as optischema.snapshot() sets for itself), so recording
 * waits neither on a stuck lock nor forever.
 */
export function inCollectorTransaction<T>(system: pg.Pool, action: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(system, { statement_timeout: '10s', lock_timeout: '1s' }, action);
}
