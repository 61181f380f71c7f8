import type pg from 'pg';

/**
 * Runs `action` in one transaction on a pooled connection, with transaction-local settings
 * (set_config(…, true)), committing on success and rolling back on any error. The settings end
 * with the transaction, so the pooled session keeps its own.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  settings: Record<string, string>,
  action: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const entries = Object.entries(settings);
    if (entries.length > 0) {
      await client.query('select set_config(s ->> 0, s ->> 1, true) from json_array_elements($1::json) s', [JSON.stringify(entries)]);
    }
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
