import type pg from 'pg';
import { waitFor } from '../collector/fixtures.ts';

/**
 * Waits until the inserts of a test's set-up have reached the shared statistics. PostgreSQL 15
 * flushes a session's table counters at most once a second (at the end of a transaction, or when
 * it goes idle), so a test that reads or resets them right after a bulk load would pass or fail by
 * the machine's speed. `pg_stat_force_next_flush()` makes the next transaction end flush; it is
 * asked again on each probe, since the pool may hand out another session each time.
 *
 * @example await settleTableCounters(db.pool, { 'public.orders': 100_000 });
 */
export async function settleTableCounters(pool: pg.Pool, inserted: Record<string, number>): Promise<void> {
  await waitFor('the set-up to reach the table counters', async () => {
    const client = await pool.connect();
    try {
      await client.query('select pg_stat_force_next_flush()');
    } finally {
      client.release();
    }
    for (const [table, rows] of Object.entries(inserted)) {
      const { rows: found } = await pool.query<{ n: string }>(`select n_tup_ins::text as n from pg_stat_user_tables where relid = $1::regclass`, [table]);
      if (Number(found[0]?.n ?? 0) < rows) return false;
    }
    return true;
  });
}
