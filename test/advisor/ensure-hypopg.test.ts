import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseQueries } from '../../sidecar/advisor/advise.ts';
import { ensureHypopg } from '../../sidecar/advisor/ensure-hypopg.ts';
import { UserError } from '../../sidecar/errors.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/** advise needs only hypopg in the database it advises on: it creates it when it may, or says how. */
describe('hypopg on the database advised on', () => {
  let db: TestDatabase;
  const role = `advisor_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    db = await createTestDatabase(); // empty: no OptiSchema schema, no hypopg
    await db.pool.query(`create table public.t (id int primary key, k int); insert into public.t select g, g % 500 from generate_series(1, 20000) g; analyze public.t;
                         create role ${role} login password 'pw'; grant select on public.t to ${role};`);
  });
  afterAll(async () => {
    await db?.pool.query(`drop owned by ${role}; drop role ${role}`).catch(() => undefined);
    await db?.close();
  });

  it('tells a role that may not create hypopg what to ask for, and advises nothing', async () => {
    const url = new URL(db.url);
    url.username = role;
    url.password = 'pw';
    const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
    try {
      const refused = await adviseQueries(pool, ['select * from t where k = 3']).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(UserError);
      expect((refused as Error).message).toMatch(/^hypopg is available but not created in this database, and this role may not create it \(.*\): ask an owner to run CREATE EXTENSION hypopg;$/);
    } finally {
      await pool.end();
    }
    const { rows } = await db.pool.query(`select count(*)::int as n from pg_extension where extname = 'hypopg'`);
    expect(rows[0].n).toBe(0);
  });

  it('gives up creating hypopg behind another session\'s CREATE EXTENSION after its lock_timeout, on a session with no timeout', async () => {
    // The other session has created hypopg and not committed: ours waits on its pg_extension row.
    const other = new pg.Client({ connectionString: db.url });
    const ours = new pg.Client({ connectionString: db.url }); // no statement_timeout of its own
    await other.connect();
    await ours.connect();
    try {
      await other.query('begin; create extension hypopg');
      const started = performance.now();
      const refused = await ensureHypopg(ours, { statementTimeoutMs: 5_000, lockTimeoutMs: 300 }).catch((error: unknown) => error);
      expect((refused as Error).message).toMatch(/^creating hypopg in this database timed out \(canceling statement due to lock timeout\): .*CREATE EXTENSION hypopg;$/);
      expect(performance.now() - started).toBeLessThan(5_000);
      // Our session is usable and outside any transaction; its own settings are untouched.
      const { rows } = await ours.query(`select current_setting('statement_timeout') as st, current_setting('lock_timeout') as lt, now() = statement_timestamp() as outside`);
      expect(rows[0]).toEqual({ st: '0', lt: '0', outside: true });
    } finally {
      await other.query('rollback').catch(() => undefined);
      await Promise.all([other.end(), ours.end()]);
    }
  });

  it('creates hypopg when the role may, then advises', async () => {
    const { results } = await adviseQueries(db.pool, ['select * from t where k = 3']);
    expect(results[0]!.recommendations[0]?.sql).toBe('CREATE INDEX CONCURRENTLY t_k_idx ON public.t (k)');
    const { rows } = await db.pool.query(`select count(*)::int as n from pg_extension where extname = 'hypopg'`);
    expect(rows[0].n).toBe(1);
  });
});
