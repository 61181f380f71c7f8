import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplyError, applyIndex } from '../../sidecar/apply/apply-index.ts';
import { rollbackIndex } from '../../sidecar/apply/rollback-index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * A partitioned parent: ON ONLY on each partitioned level, CREATE INDEX CONCURRENTLY on each leaf,
 * ATTACH PARTITION; never a locking CREATE INDEX on a leaf.
 *
 *   public.measurements (range on at)
 *   ├─ public.measurements_2023
 *   ├─ public.measurements_2024 (list on region)
 *   │  ├─ public.measurements_2024_eu
 *   │  └─ archive.measurements_2024_us   (another schema: its index goes there)
 *   ├─ public.measurements_2025
 *   └─ public.measurements_default
 */
describe('applyIndex on a partitioned table', () => {
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

  const createTree = async (name: string) => {
    await pool.query(`create schema if not exists archive;
      create table public.${name} (id int, region text not null, at date not null, x int) partition by range (at);
      create table public.${name}_2023 partition of public.${name} for values from ('2023-01-01') to ('2024-01-01');
      create table public.${name}_2024 partition of public.${name} for values from ('2024-01-01') to ('2025-01-01') partition by list (region);
      create table public.${name}_2024_eu partition of public.${name}_2024 for values in ('eu');
      create table archive.${name}_2024_us partition of public.${name}_2024 for values in ('us');
      create table public.${name}_2025 partition of public.${name} for values from ('2025-01-01') to ('2026-01-01');
      create table public.${name}_default partition of public.${name} default;
      insert into public.${name} select n, case when n % 2 = 0 then 'eu' else 'us' end, date '2023-01-01' + (n % 1400), n % 97 from generate_series(1, 4000) n`);
  };
  /** The leaf tables under `table`, as schema.name. */
  const leavesOf = async (table: string): Promise<string[]> => {
    const { rows } = await pool.query<{ name: string }>(
      `with recursive tree(oid) as (select $1::regclass::oid union all select i.inhrelid from pg_inherits i join tree t on i.inhparent = t.oid)
       select c.oid::regclass::text as name from tree t join pg_class c on c.oid = t.oid where c.relkind = 'r' order by 1`,
      [table],
    );
    return rows.map((r) => r.name);
  };
  /** The index `index` and every index attached below it (pg_inherits over pg_index): its table, validity, kind. */
  const indexTree = async (index: string) => {
    const { rows } = await pool.query<{ table: string; valid: boolean; relkind: string }>(
      `with recursive tree(oid) as (select to_regclass($1)::oid union all select h.inhrelid from pg_inherits h join tree t on h.inhparent = t.oid)
       select x.indrelid::regclass::text as table, x.indisvalid as valid, t.relkind::text as relkind
         from tree join pg_index x on x.indexrelid = tree.oid join pg_class t on t.oid = x.indrelid order by 1`,
      [index],
    );
    return rows;
  };
  const indexesOn = async (tables: string[]) => (await pool.query<{ n: number }>('select count(*)::int as n from pg_index where indrelid = any($1::regclass[])', [tables])).rows[0]!.n;
  const createsWithoutConcurrently = (statements: string[]) => statements.filter((s) => /^CREATE (UNIQUE )?INDEX /.test(s) && !/ CONCURRENTLY /.test(s));

  it('indexes every leaf concurrently and attaches it; the parent index becomes valid; rollback drops them all', async () => {
    await createTree('measurements');
    const leaves = await leavesOf('public.measurements');
    expect(leaves).toHaveLength(5);
    const ddl = 'CREATE INDEX measurements_x_idx ON public.measurements (x)';
    const client = await pool.connect();
    try {
      const applied = await applyIndex(client, ddl);
      expect(applied).toMatchObject({ index: 'public.measurements_x_idx', alreadyPresent: false, rollbackSql: 'DROP INDEX IF EXISTS public.measurements_x_idx' });

      const tree = await indexTree('public.measurements_x_idx');
      expect(tree.every((i) => i.valid)).toBe(true);
      expect(tree.filter((i) => i.relkind === 'p').map((i) => i.table)).toEqual(['measurements', 'measurements_2024']);
      const indexedLeaves = tree.filter((i) => i.relkind === 'r').map((i) => i.table);
      expect(indexedLeaves.sort()).toEqual(leaves.sort());

      // Only the partitioned levels got a CREATE INDEX without CONCURRENTLY, and each ON ONLY.
      const plain = createsWithoutConcurrently(applied.statements);
      expect(plain).toHaveLength(2);
      expect(plain.every((s) => / ON ONLY /.test(s))).toBe(true);
      expect(applied.statements.filter((s) => s.startsWith('CREATE INDEX CONCURRENTLY '))).toHaveLength(5);
      expect(applied.statements.filter((s) => s.startsWith('ALTER INDEX ') && s.includes(' ATTACH PARTITION '))).toHaveLength(6);
      expect(applied.statements.some((s) => s.includes('ON archive.measurements_2024_us'))).toBe(true);

      expect(await applyIndex(client, ddl)).toMatchObject({ alreadyPresent: true, statements: [] });

      const rolledBack = await rollbackIndex(client, applied.rollbackSql);
      expect(rolledBack).toEqual({ existed: true, statements: ['DROP INDEX IF EXISTS public.measurements_x_idx'] });
      expect(await indexesOn([...leaves, 'public.measurements', 'public.measurements_2024'])).toBe(0);
    } finally {
      client.release();
    }
  });

  it('continues after a failure: the attached partitions are kept, the failed leaf leaves nothing, a rerun finishes', async () => {
    await createTree('readings');
    const ddl = 'CREATE INDEX readings_x_idx ON public.readings USING btree (x) WHERE (x > 0)';
    const locker = await pool.connect();
    const client = await pool.connect();
    try {
      // Partitions are visited by name: 2023 and the 2024 subtree come before 2025, which is locked.
      await locker.query('begin');
      await locker.query('lock table public.readings_2025 in share update exclusive mode');
      const error = await applyIndex(client, ddl, { lockTimeoutMs: 200 }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ApplyError);
      expect(error).toMatchObject({ kind: 'lock_timeout', retryable: true });
      expect((error as ApplyError).statements.filter((s) => s.startsWith('CREATE INDEX CONCURRENTLY '))).toHaveLength(3);

      const partial = await indexTree('public.readings_x_idx');
      expect(partial.find((i) => i.table === 'readings')).toMatchObject({ valid: false });
      expect(partial.filter((i) => i.relkind === 'r').map((i) => i.table).sort()).toEqual(['archive.readings_2024_us', 'readings_2023', 'readings_2024_eu']);
      expect(partial.filter((i) => i.relkind === 'r').every((i) => i.valid)).toBe(true);
      expect(await indexesOn(['public.readings_2025'])).toBe(0);

      await locker.query('rollback');
      const rerun = await applyIndex(client, ddl);
      expect(rerun.alreadyPresent).toBe(false);
      // Only what was missing: the two leaves left, nothing rebuilt, no ON ONLY again.
      expect(rerun.statements.filter((s) => s.startsWith('CREATE INDEX CONCURRENTLY ')).map((s) => s.split(' ON ')[1]!.split(' ')[0])).toEqual(['public.readings_2025', 'public.readings_default']);
      expect(createsWithoutConcurrently(rerun.statements)).toEqual([]);
      const done = await indexTree('public.readings_x_idx');
      expect(done).toHaveLength(7);
      expect(done.every((i) => i.valid)).toBe(true);
    } finally {
      await locker.query('rollback');
      locker.release();
      client.release();
    }
  });
});
