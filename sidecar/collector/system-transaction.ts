import type pg from 'pg';

/**
 * Runs `action` in one transaction on OptiSchema's database under the collector's bounds (10 s per
 * statement, 1 s to get a lock: the same as optischema.snapshot() sets for itself), so recording
 * waits neither on a stuck lock nor forever. SET LOCAL keeps the pooled session's own settings.
 */
export async function inCollectorTransaction<T>(system: pg.Pool, action: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await system.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('statement_timeout', '10s', true), set_config('lock_timeout', '1s', true)`);
    const result = await action(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
