import pg from 'pg';
import { connectionError } from '../database/connection.ts';
import { TARGET_SESSION } from '../collector/target-connection.ts';

/**
 * Runs `work` with a pool on a target, for the advisor (which takes a pool: it needs a dedicated
 * session for its rolled-back transaction). 'local' is OptiSchema's own database: the worker's
 * pool itself. A remote target gets a one-session pool with the collector's application_name and
 * connect timeout, ended afterwards.
 */
export async function withTargetPool<T>(system: pg.Pool, location: string, work: (pool: pg.Pool) => Promise<T>): Promise<T> {
  if (location === 'local') return work(system);
  const pool = new pg.Pool({
    connectionString: location,
    application_name: TARGET_SESSION.applicationName,
    connectionTimeoutMillis: TARGET_SESSION.connectTimeoutMs,
    max: 1,
  });
  // A server that goes away emits 'error' on idle sessions; the pending query rejects on its own.
  pool.on('error', () => undefined);
  try {
    // Connect once up front: a target that cannot be reached fails with one line, password hidden.
    const probe = await pool.connect().catch((error: unknown) => {
      throw connectionError(error, location);
    });
    probe.release();
    return await work(pool);
  } finally {
    await pool.end().catch(() => undefined);
  }
}
