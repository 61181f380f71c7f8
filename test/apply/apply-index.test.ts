import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplyError, applyIndex } from '../../sidecar/apply/apply-index.ts';
import { rollbackIndex } from '../../sidecar/apply/rollback-index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/** applyIndex on a plain table, on a real PostgreSQL: the build, its idempotence, its refusals. */
describe('applyIndex on a plain table', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 8 });
    pool.on('error', () => undefined);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  const session = async <T>(action: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      return await action(client);
    } finally {
      client.release();
    }
  };
  const indexState = async (qualified: string) =>
    (await pool.query<{ valid: boolean; unique: boolean; def: string }>(`select indisvalid as valid, indisunique as unique, pg_get_indexdef(indexrelid) as def from pg_index where indexrelid = to_regclass($1)`, [qualified])).rows;
  const relationsNamed = async (name: string) => (await pool.query<{ n: number }>(`select count(*)::int as n from pg_class where relname = $1`, [name])).rows[0]!.n;
  const failure = (promise: Promise<unknown>): Promise<ApplyError> =>
    promise.then(
      () => {
        throw new Error('expected an ApplyError');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(ApplyError);
        return error as ApplyError;
      },
    );
  const table = async (name: string, rows = 5_000) => {
    await pool.query(`create table public.${name} (id serial primary key, customer_id int, total numeric)`);
    await pool.query(`insert into public.${name} (customer_id, total) select n % 500, n from generate_series(1, $1::int) n`, [rows]);
  };

  it('builds a valid index, reports it already present the second time, and rolls it back', async () => {
    await table('orders');
    const ddl = 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders USING btree (customer_id) INCLUDE (total) WHERE (customer_id > 0)';
    const applied = await session((s) => applyIndex(s, ddl));
    expect(applied).toMatchObject({ index: 'public.orders_customer_id_idx', alreadyPresent: false, rollbackSql: 'DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_idx' });
    expect(applied.statements).toEqual([ddl]);
    expect(applied.ms).toBeGreaterThan(0);
    const [state] = await indexState('public.orders_customer_id_idx');
    expect(state).toMatchObject({ valid: true, unique: false });
    expect(state!.def).toMatch(/INCLUDE \(total\) WHERE \(customer_id > 0\)/);

    const again = await session((s) => applyIndex(s, ddl));
    expect(again).toMatchObject({ alreadyPresent: true, statements: [] });
    expect(await relationsNamed('orders_customer_id_idx')).toBe(1);

    const rolledBack = await session((s) => rollbackIndex(s, applied.rollbackSql));
    expect(rolledBack).toEqual({ existed: true, statements: [applied.rollbackSql] });
    expect(await relationsNamed('orders_customer_id_idx')).toBe(0);
    expect(await session((s) => rollbackIndex(s, applied.rollbackSql))).toEqual({ existed: false, statements: [] });
  });

  it('adds CONCURRENTLY, keeps quoted names, and puts back the session settings it changed', async () => {
    await pool.query(`create table public."Orders" ("Total" int); insert into public."Orders" select generate_series(1, 1000)`);
    const applied = await session(async (s) => {
      await s.query(`set lock_timeout = '1234ms'`);
      const result = await applyIndex(s, 'CREATE INDEX "Orders_Total_idx" ON public."Orders" ("Total")', { lockTimeoutMs: 4000, statementTimeoutMs: 60_000 });
      const settings = await s.query(`select current_setting('lock_timeout') as lock, current_setting('statement_timeout') as statement`);
      expect(settings.rows[0]).toEqual({ lock: '1234ms', statement: '0' });
      // After a failure too.
      await expect(applyIndex(s, 'CREATE INDEX gone_idx ON public.gone (x)', { lockTimeoutMs: 4000 })).rejects.toThrow(ApplyError);
      const after = await s.query(`select current_setting('lock_timeout') as lock`);
      expect(after.rows[0].lock).toBe('1234ms');
      return result;
    });
    expect(applied.index).toBe('public."Orders_Total_idx"');
    expect(applied.statements).toEqual(['CREATE INDEX CONCURRENTLY "Orders_Total_idx" ON public."Orders" ("Total")']);
    expect((await indexState('public."Orders_Total_idx"'))[0]?.valid).toBe(true);
  });

  it('drops an INVALID leftover of the same name, then builds a valid index', async () => {
    await table('invoices');
    // A unique build on a column with duplicates fails after creating its catalog entry: the leftover.
    await expect(pool.query('CREATE UNIQUE INDEX CONCURRENTLY invoices_customer_id_idx ON public.invoices (customer_id)')).rejects.toThrow(/could not create unique index/);
    expect(await indexState('public.invoices_customer_id_idx')).toMatchObject([{ valid: false, unique: true }]);

    const applied = await session((s) => applyIndex(s, 'CREATE INDEX CONCURRENTLY invoices_customer_id_idx ON public.invoices USING btree (customer_id)'));
    expect(applied.alreadyPresent).toBe(false);
    expect(applied.statements).toEqual([
      'DROP INDEX CONCURRENTLY IF EXISTS public.invoices_customer_id_idx',
      'CREATE INDEX CONCURRENTLY invoices_customer_id_idx ON public.invoices USING btree (customer_id)',
    ]);
    expect(await indexState('public.invoices_customer_id_idx')).toMatchObject([{ valid: true, unique: false }]);
  });

  it('drops the invalid index its own failed build left, and the error is not retryable', async () => {
    await table('payments');
    const error = await failure(session((s) => applyIndex(s, 'CREATE UNIQUE INDEX CONCURRENTLY payments_customer_id_key ON public.payments (customer_id)')));
    expect(error).toMatchObject({ kind: 'failed', retryable: false });
    expect(error.message).toMatch(/could not create unique index "payments_customer_id_key"/);
    expect(error.statements).toEqual(['DROP INDEX CONCURRENTLY IF EXISTS public.payments_customer_id_key']);
    expect(await relationsNamed('payments_customer_id_key')).toBe(0);
  });

  it('cleans up when the build times out in its last phase, waiting for an older snapshot', async () => {
    await table('refunds');
    await pool.query('create table public.elsewhere (id int)');
    const reader = await pool.connect();
    try {
      // A repeatable-read transaction holds a snapshot (not a lock on refunds): CREATE INDEX
      // CONCURRENTLY builds, then waits for it before marking the index valid, and times out there.
      await reader.query('begin isolation level repeatable read');
      await reader.query('select count(*) from public.elsewhere');
      const error = await failure(session((s) => applyIndex(s, 'CREATE INDEX refunds_total_idx ON public.refunds (total)', { lockTimeoutMs: 200 })));
      expect(error).toMatchObject({ kind: 'lock_timeout', retryable: true });
      expect(error.statements).toEqual(['DROP INDEX CONCURRENTLY IF EXISTS public.refunds_total_idx']);
      expect(await relationsNamed('refunds_total_idx')).toBe(0);
    } finally {
      await reader.query('rollback');
      reader.release();
    }
    expect((await session((s) => applyIndex(s, 'CREATE INDEX refunds_total_idx ON public.refunds (total)'))).alreadyPresent).toBe(false);
  });

  it('two applies at once on two sessions make exactly one index', async () => {
    await table('carts');
    const ddl = 'CREATE INDEX CONCURRENTLY carts_customer_id_idx ON public.carts (customer_id)';
    // Both sessions connected first, so that neither apply is delayed by opening its connection.
    const [a, b] = await Promise.all([pool.connect(), pool.connect()]);
    try {
      const results = await Promise.all([applyIndex(a, ddl, { lockTimeoutMs: 600_000 }), applyIndex(b, ddl, { lockTimeoutMs: 600_000 })]);
      // The advisory lock makes the second wait for the first, then find its index.
      expect(results.map((r) => r.alreadyPresent).sort()).toEqual([false, true]);
    } finally {
      a.release();
      b.release();
    }
    expect(await relationsNamed('carts_customer_id_idx')).toBe(1);
    expect((await indexState('public.carts_customer_id_idx'))[0]?.valid).toBe(true);
  });

  it('refuses a role that may not index the table, naming the GRANT that fixes it', async () => {
    const suffix = randomBytes(4).toString('hex');
    const owner = `apply_owner_${suffix}`;
    const applier = `apply_role_${suffix}`;
    const schema = `apply_schema_${suffix}`;
    await pool.query(`create role ${owner} nologin; create role ${applier} nologin; grant create on schema public to ${owner}`);
    try {
      await pool.query(`create table public.secrets (id int, kind int); alter table public.secrets owner to ${owner}`);
      // A schema where the owner may use its table but not create: the index goes there too.
      await pool.query(`create schema ${schema}; grant usage on schema ${schema} to ${owner}; create table ${schema}.vault (kind int); alter table ${schema}.vault owner to ${owner}`);
      await session(async (s) => {
        await s.query(`set role ${applier}`);
        try {
          const ddl = 'CREATE INDEX CONCURRENTLY secrets_kind_idx ON public.secrets (kind)';
          const error = await failure(applyIndex(s, ddl));
          expect(error).toMatchObject({ kind: 'rights', retryable: false });
          expect(error.message).toBe(`the apply role "${applier}" cannot index public.secrets: it must own the table or be a member of its owner; run: GRANT "${owner}" TO "${applier}"`);
          expect(await relationsNamed('secrets_kind_idx')).toBe(0);
          // The GRANT the message names is enough.
          await pool.query(`GRANT "${owner}" TO "${applier}"`);
          expect((await applyIndex(s, ddl)).alreadyPresent).toBe(false);

          const inSchema = `CREATE INDEX CONCURRENTLY vault_kind_idx ON ${schema}.vault (kind)`;
          const missing = await failure(applyIndex(s, inSchema));
          expect(missing).toMatchObject({ kind: 'rights', retryable: false });
          expect(missing.message).toBe(`the apply role "${applier}" cannot index ${schema}.vault: it needs CREATE on the schema ${schema}, where the index goes; run: GRANT CREATE ON SCHEMA ${schema} TO "${applier}"`);
          await pool.query(`GRANT CREATE ON SCHEMA ${schema} TO "${applier}"`);
          expect((await applyIndex(s, inSchema)).alreadyPresent).toBe(false);
        } finally {
          await s.query('reset role');
        }
      });
      expect((await indexState('public.secrets_kind_idx'))[0]?.valid).toBe(true);
      expect((await indexState(`${schema}.vault_kind_idx`))[0]?.valid).toBe(true);
    } finally {
      await pool.query(`drop schema if exists ${schema} cascade; drop table if exists public.secrets; drop owned by ${owner}, ${applier}; drop role ${applier}; drop role ${owner}`);
    }
  });

  it('reports a dropped table as table_missing and a dropped column as changed', async () => {
    await pool.query('create table public.dropped (id int, x int); drop table public.dropped');
    const missing = await failure(session((s) => applyIndex(s, 'CREATE INDEX CONCURRENTLY dropped_x_idx ON public.dropped (x)')));
    expect(missing).toMatchObject({ kind: 'table_missing', retryable: false, message: 'the table public.dropped no longer exists' });

    await pool.query('create table public.shrunk (id int, x int); alter table public.shrunk drop column x');
    const changed = await failure(session((s) => applyIndex(s, 'CREATE INDEX CONCURRENTLY shrunk_x_idx ON public.shrunk (x)')));
    expect(changed).toMatchObject({ kind: 'changed', retryable: false });
    expect(changed.message).toMatch(/column "x" does not exist/);
    expect(await relationsNamed('shrunk_x_idx')).toBe(0);
  });

  it('refuses a name already taken by an index on another table', async () => {
    await pool.query('create table public.one (x int); create table public.two (x int); create index taken_idx on public.one (x)');
    const error = await failure(session((s) => applyIndex(s, 'CREATE INDEX CONCURRENTLY taken_idx ON public.two (x)')));
    expect(error).toMatchObject({ kind: 'changed', retryable: false });
    expect(error.message).toMatch(/on another table/);
    expect((await pool.query(`select indrelid::regclass::text as t from pg_index where indexrelid = 'public.taken_idx'::regclass`)).rows[0].t).toBe('one');
  });
});
