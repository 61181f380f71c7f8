import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFacts } from '../../plv8/catalog/table-facts.ts';
import { runStep } from '../../sidecar/advisor/run-step.ts';
import { adviseQueries } from '../../sidecar/advisor/advise.ts';
import { privateCluster } from '../support/cluster.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { settleTableCounters } from '../support/table-counters.ts';
import { waitFor } from '../collector/fixtures.ts';

/**
 * Write rates as the advisor reads them from pg_stat_user_tables on a real server: a bulk load
 * followed by ANALYZE is not the application's write rate; the rows written since are.
 */
describe('write rates since the last ANALYZE', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.pool.query(`
      create table public.readings (id bigserial primary key, sensor int not null, at timestamptz not null, value float8 not null);
      insert into public.readings (sensor, at, value) select g % 500, timestamptz '2025-01-01' + g * interval '1 second', g from generate_series(1, 200000) g;`);
    await settleTableCounters(db.pool, { 'public.readings': 200_000 });
    await db.pool.query('analyze public.readings');
  });
  afterAll(async () => {
    await db?.close();
  });

  const facts = async () => {
    const client = await db.pool.connect();
    try {
      return await runStep(tableFacts('public', 'readings'), client);
    } finally {
      client.release();
    }
  };

  it('a bulk load before the ANALYZE counts as no writes, and advice on the loaded table is low risk', async () => {
    const loaded = await facts();
    expect(loaded.insertsPerSecond).toBe(0);
    const [result] = (await adviseQueries(db.pool, ['select * from readings where sensor = 42'])).results;
    expect(result!.recommendations[0]?.risk.level).toBe('low');
  });

  it('rows written after the ANALYZE are the write rate', async () => {
    for (let i = 0; i < 50; i++) await db.pool.query('insert into public.readings (sensor, at, value) values ($1, now(), 1)', [i]);
    await waitFor('the inserts to reach the counters', async () => {
      await db.pool.query('select pg_stat_force_next_flush()');
      const { rows } = await db.pool.query<{ n: number }>(`select n_mod_since_analyze::int as n from pg_stat_user_tables where relid = 'public.readings'::regclass`);
      return (rows[0]?.n ?? 0) >= 50;
    });
    const written = await facts();
    expect(written.insertsPerSecond).toBeGreaterThan(0);
    // 50 inserts over the seconds since the ANALYZE, not 200,050 over the life of the counters.
    expect(written.insertsPerSecond * written.statsSeconds).toBeCloseTo(50, 0);
  });
});

/**
 * PostgreSQL 15 keeps the table counters across a clean restart, and pg_stat_database.stats_reset
 * stays null until someone resets them: the server's start is not where the counters begin. A load
 * and its ANALYZE before a restart must still count as no writes after it.
 */
describe('write rates after a restart', () => {
  let cluster: Awaited<ReturnType<typeof privateCluster>> | undefined;
  afterAll(async () => {
    await cluster?.close();
  });

  it('a load analyzed before the restart is not read as writes since the start', async () => {
    cluster = await privateCluster();
    const pool = new pg.Pool({ connectionString: cluster.url, max: 1 });
    try {
      await pool.query(`create table public.loaded (id int primary key, v int not null);
        insert into public.loaded select g, g % 7 from generate_series(1, 50000) g;`);
      await settleTableCounters(pool, { 'public.loaded': 50_000 });
      await pool.query('analyze public.loaded');
    } finally {
      await pool.end();
    }
    await cluster.cluster.stop();
    const { url } = await cluster.cluster.start();
    const after = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const { rows } = await after.query<{ n: string }>(`select n_tup_ins::text as n from pg_stat_user_tables where relid = 'public.loaded'::regclass`);
      // The counters survived the restart: the case this test is about.
      expect(Number(rows[0]?.n)).toBe(50_000);
      const client = await after.connect();
      try {
        const facts = await runStep(tableFacts('public', 'loaded'), client);
        expect(facts.insertsPerSecond).toBe(0);
      } finally {
        client.release();
      }
    } finally {
      await after.end();
    }
  });
});
