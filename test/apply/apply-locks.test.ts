import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplyError, applyIndex } from '../../sidecar/apply/apply-index.ts';
import { APPLY_LOCK_CLASS } from '../../sidecar/apply/apply-session.ts';
import { rollbackIndex } from '../../sidecar/apply/rollback-index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * An apply never blocks the application: it waits for locks (bounded by lock_timeout), the
 * application's writes do not wait for it, and whatever ends the wait leaves no index behind.
 * Every wait here is observed in pg_locks, never timed.
 */
describe('applyIndex under locks', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const ddl = 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)';
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 8 });
    pool.on('error', () => undefined);
    await pool.query('create table public.orders (id serial primary key, customer_id int, total numeric)');
    await pool.query('insert into public.orders (customer_id, total) select n % 500, n from generate_series(1, 5000) n');
  });
  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  const pidOf = async (client: pg.ClientBase): Promise<number> => (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  const waitingLocks = async (pid: number): Promise<number> => (await pool.query<{ n: number }>('select count(*)::int as n from pg_locks where pid = $1 and not granted', [pid])).rows[0]!.n;
  /** Polls a state until it holds; a wait on state, whatever the machine's speed. */
  const until = async (holds: () => Promise<boolean>): Promise<void> => {
    while (!(await holds())) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  const indexesNamed = async (name: string) => (await pool.query<{ n: number }>('select count(*)::int as n from pg_class where relname = $1', [name])).rows[0]!.n;
  const settle = (promise: Promise<unknown>): Promise<unknown> => promise.then((value) => ({ resolved: value }), (error: unknown) => error);

  it('times out on a held SHARE UPDATE EXCLUSIVE lock, retryable, without blocking writes or leaving an index', async () => {
    const locker = await pool.connect();
    const applier = await pool.connect();
    const writer = await pool.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table public.orders in share update exclusive mode');

      const timedOut = await settle(applyIndex(applier, ddl, { lockTimeoutMs: 200 }));
      expect(timedOut).toBeInstanceOf(ApplyError);
      expect(timedOut).toMatchObject({ kind: 'lock_timeout', retryable: true, statements: [] });
      expect(await indexesNamed('orders_customer_id_idx')).toBe(0);

      // While an apply waits for the table, the application's writes go through: CONCURRENTLY
      // asks for a lock that conflicts with no write (a plain CREATE INDEX's SHARE would queue them).
      const pid = await pidOf(applier);
      const waiting = settle(applyIndex(applier, ddl, { lockTimeoutMs: 600_000 }));
      await until(async () => (await waitingLocks(pid)) > 0);
      await writer.query(`set lock_timeout = '30s'`);
      const inserted = await writer.query('insert into public.orders (customer_id, total) values (1, 1) returning id');
      expect(inserted.rowCount).toBe(1);
      expect(await waitingLocks(pid)).toBeGreaterThan(0);
      // A cancel (here a DBA's pg_cancel_backend) ends the wait: retryable too.
      await pool.query('select pg_cancel_backend($1)', [pid]);
      expect(await waiting).toMatchObject({ kind: 'canceled', retryable: true });
      expect(await indexesNamed('orders_customer_id_idx')).toBe(0);

      await locker.query('rollback');
      const applied = await applyIndex(applier, ddl);
      expect(applied.alreadyPresent).toBe(false);
      const valid = await pool.query(`select indisvalid from pg_index where indexrelid = to_regclass('public.orders_customer_id_idx')`);
      expect(valid.rows).toEqual([{ indisvalid: true }]);
      await rollbackIndex(applier, applied.rollbackSql);
    } finally {
      await locker.query('rollback');
      for (const client of [locker, applier, writer]) client.release();
    }
  });

  it('waits its turn behind another apply of the same index, up to lock_timeout', async () => {
    const other = await pool.connect();
    const applier = await pool.connect();
    try {
      await other.query('select pg_advisory_lock($1, hashtext($2))', [APPLY_LOCK_CLASS, 'public.orders_customer_id_idx']);
      const error = await settle(applyIndex(applier, ddl, { lockTimeoutMs: 200 }));
      expect(error).toMatchObject({ kind: 'lock_timeout', retryable: true });
      expect((error as Error).message).toMatch(/another apply or rollback of public.orders_customer_id_idx is still running/);
      const rollback = await settle(rollbackIndex(applier, 'DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_idx', { lockTimeoutMs: 200 }));
      expect(rollback).toMatchObject({ kind: 'lock_timeout', retryable: true });
      expect(await indexesNamed('orders_customer_id_idx')).toBe(0);
      // The applier holds no advisory lock afterwards, the other session still holds its one
      // (pg_locks is cluster-wide: other test files' applies run in other databases meanwhile).
      const advisory = `select count(*)::int as n from pg_locks where locktype = 'advisory' and classid = $1::bigint::oid and pid = $2
        and database = (select oid from pg_database where datname = current_database())`;
      expect((await pool.query<{ n: number }>(advisory, [APPLY_LOCK_CLASS, await pidOf(applier)])).rows[0]!.n).toBe(0);
      expect((await pool.query<{ n: number }>(advisory, [APPLY_LOCK_CLASS, await pidOf(other)])).rows[0]!.n).toBe(1);
    } finally {
      await other.query('select pg_advisory_unlock_all()');
      other.release();
      applier.release();
    }
  });

  it('a second apply started while the first one builds waits for it, then finds its index', async () => {
    await pool.query('create table public.baskets (customer_id int); insert into public.baskets select generate_series(1, 2000)');
    const basketDdl = 'CREATE INDEX CONCURRENTLY baskets_customer_id_idx ON public.baskets (customer_id)';
    const locker = await pool.connect();
    const [a, b] = await Promise.all([pool.connect(), pool.connect()]);
    try {
      // The first apply is held inside its build (waiting for the table) with the advisory lock taken.
      await locker.query('begin');
      await locker.query('lock table public.baskets in share update exclusive mode');
      const [pidA, pidB] = [await pidOf(a), await pidOf(b)];
      const first = applyIndex(a, basketDdl, { lockTimeoutMs: 600_000 });
      await until(async () => (await waitingLocks(pidA)) > 0);
      const second = applyIndex(b, basketDdl, { lockTimeoutMs: 600_000 });
      // The second has reached the advisory lock (it tries it), or, were there none, the table's lock.
      await until(async () => {
        const { rows } = await pool.query<{ query: string }>('select query from pg_stat_activity where pid = $1', [pidB]);
        return rows[0]!.query.includes('pg_try_advisory_lock') || (await waitingLocks(pidB)) > 0;
      });
      await locker.query('rollback');
      const results = await Promise.all([first, second]);
      expect(results.map((r) => r.alreadyPresent)).toEqual([false, true]);
      expect(results[1]!.statements).toEqual([]);
      expect(await indexesNamed('baskets_customer_id_idx')).toBe(1);
    } finally {
      await locker.query('rollback');
      for (const client of [locker, a, b]) client.release();
    }
  });

  it('reports a lost session as retryable, and the next apply succeeds', async () => {
    const locker = await pool.connect();
    const applier = await pool.connect();
    applier.on('error', () => undefined);
    try {
      await locker.query('begin');
      await locker.query('lock table public.orders in share update exclusive mode');
      const pid = await pidOf(applier);
      const waiting = settle(applyIndex(applier, ddl, { lockTimeoutMs: 600_000 }));
      await until(async () => (await waitingLocks(pid)) > 0);
      await pool.query('select pg_terminate_backend($1)', [pid]);
      expect(await waiting).toMatchObject({ kind: 'failed', retryable: true });
    } finally {
      await locker.query('rollback');
      locker.release();
      applier.release(true);
    }
    const fresh = await pool.connect();
    try {
      // The lost session's advisory lock went with it.
      expect((await applyIndex(fresh, ddl)).alreadyPresent).toBe(false);
      await rollbackIndex(fresh, 'DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_idx');
    } finally {
      fresh.release();
    }
  });
});
