import pg from 'pg';
import { connectionError } from '../database/connection.ts';
import { describeQueryTimeout, targetClientConfig, targetSettings, type TargetSettings } from '../database/target-settings.ts';

/**
 * Runs `work` with a pool on a target, for the advisor (which takes a pool: it needs a dedicated
 * session for its rolled-back transaction). 'local' is OptiSchema's own database: the worker's
 * pool itself. A remote target gets a one-session pool with the advisor's bounds (target-settings.ts:
 * connect, statement, lock and client query timeouts, TCP keepalive; `overrides` for a job that
 * legitimately runs longer), ended afterwards. A target that stops answering fails `work` with one
 * line saying so.
 */
export async function withTargetPool<T>(
  system: pg.Pool,
  location: string,
  work: (pool: pg.Pool) => Promise<T>,
  overrides: Partial<TargetSettings> = {},
): Promise<T> {
  if (location === 'local') return work(system);
  const settings = targetSettings('advise', overrides);
  const pool = new pg.Pool({ ...targetClientConfig(location, 'advise', settings), max: 1 });
  // A server that goes away emits 'error' on idle sessions; the pending query rejects on its own.
  pool.on('error', () => undefined);
  try {
    // Connect once up front: a target that cannot be reached fails with one line, password hidden.
    const probe = await pool.connect().catch((error: unknown) => {
      throw connectionError(error, location);
    });
    probe.release();
    return await work(pool).catch((error: unknown) => {
      throw describeQueryTimeout(error, settings);
    });
  } finally {
    await pool.end().catch(() => undefined);
  }
}
