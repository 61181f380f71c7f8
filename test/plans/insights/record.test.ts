import { readFileSync } from 'node:fs';
import { EXPLAIN } from '../../../plv8/plan/explain-keys.ts';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { waitFor } from '../../collector/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { recordFixtures, SETUP_ROWS, SETUP_SQL, SHAPES, STATISTICS_SQL } from './record.ts';

// Re-records the fixtures (record.ts); skipped unless asked for, since it rewrites files in the repository.
const record = process.env.RECORD_PLAN_INSIGHTS === '1';

let db: TestDatabase;

beforeAll(async () => {
  if (record) db = await createTestDatabase();
});

afterAll(async () => {
  await db?.close();
});

test.skipIf(!record)('records the plan-insight fixtures from real plans', async () => {
  const client = await db.pool.connect();
  try {
    const run = async (sql: string) => {
      // One statement at a time: a multi-statement text runs as one transaction, which VACUUM refuses.
      for (const statement of sql.split(/;\n/).map((s) => s.replace(/^--.*$/gm, '').trim()).filter((s) => s !== '')) await client.query(statement);
    };
    /** Waits until this session's writes show in pg_stat_user_tables (PostgreSQL 15: force the flush, then look). */
    const countersReach = (counter: string, tables: Record<string, number>) =>
      waitFor(`${counter} of ${Object.keys(tables).join(', ')}`, async () => {
        await client.query('select pg_stat_force_next_flush()');
        await client.query('select 1');
        const { rows } = await client.query<{ relname: string; n: number }>(`select relname, ${counter}::int as n from pg_stat_user_tables`);
        return Object.entries(tables).every(([table, n]) => (rows.find((r) => r.relname === table)?.n ?? 0) >= n);
      });
    await run(SETUP_SQL);
    // Inserts not yet flushed when ANALYZE resets n_mod_since_analyze would count as changes after it.
    await countersReach('n_tup_ins', SETUP_ROWS);
    await run(STATISTICS_SQL);
    // stale's 39,000 new rows must reach n_mod_since_analyze before the context is read.
    await countersReach('n_mod_since_analyze', { stale: 39_000 });
    const { rows } = await client.query<{ jit: string; available: boolean }>(`select current_setting('jit') as jit, pg_jit_available() as available`);
    console.log(`jit = ${rows[0]!.jit}, JIT available: ${rows[0]!.available}`);
    await recordFixtures(client, new URL('./', import.meta.url));
  } finally {
    client.release();
  }
  for (const shape of SHAPES) {
    const plan = JSON.parse(readFileSync(new URL(`./${shape.file}.plan.json`, import.meta.url), 'utf8')) as Record<string, unknown>[];
    expect(plan[0]?.[EXPLAIN.executionTime], shape.file).toBeTypeOf('number');
  }
});
