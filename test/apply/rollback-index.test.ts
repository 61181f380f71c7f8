import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplyError } from '../../sidecar/apply/apply-errors.ts';
import { parseRollbackSql, rollbackIndex } from '../../sidecar/apply/rollback-index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/** The stored rollback text is input from outside: only DROP INDEX [CONCURRENTLY] IF EXISTS schema.name runs. */
describe('rollbackIndex', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    pool.on('error', () => undefined);
    await pool.query('create table public.x (a int); create table public.b (a int); create index a on public.b (a)');
  });
  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  const rollback = async (sql: string) => {
    const client = await pool.connect();
    try {
      return await rollbackIndex(client, sql);
    } finally {
      client.release();
    }
  };
  const exists = async (name: string) => (await pool.query(`select to_regclass($1) is not null as e`, [name])).rows[0].e as boolean;

  it.each([
    'DROP TABLE x',
    'DROP INDEX a; DROP TABLE b',
    'DROP INDEX IF EXISTS public.a; DROP TABLE public.b',
    'DROP INDEX CONCURRENTLY IF EXISTS a',
    'DROP INDEX IF EXISTS public.a CASCADE',
    'drop index if exists public.a -- comment\n; drop table public.b',
  ])('refuses %j and runs nothing', async (sql) => {
    await expect(rollback(sql)).rejects.toThrow(ApplyError);
    await expect(rollback(sql)).rejects.toMatchObject({ kind: 'failed', retryable: false, message: expect.stringMatching(/^refusing to run a rollback/) });
    expect(await exists('public.x')).toBe(true);
    expect(await exists('public.b')).toBe(true);
    expect(await exists('public.a')).toBe(true);
  });

  it('reads a quoted name as a name, so text inside it is never run', async () => {
    expect(parseRollbackSql('DROP INDEX IF EXISTS public."a; DROP TABLE b"')).toEqual({ schema: 'public', index: 'a; DROP TABLE b', concurrently: false });
    expect(await rollback('DROP INDEX IF EXISTS public."a; DROP TABLE b"')).toEqual({ existed: false, statements: [] });
    expect(await exists('public.b')).toBe(true);
  });

  it('folds bare names like PostgreSQL and runs the statement rebuilt from them', async () => {
    expect(parseRollbackSql('drop index concurrently if exists Public."Odd_idx";')).toEqual({ schema: 'public', index: 'Odd_idx', concurrently: true });
    await pool.query('create index "Odd_idx" on public.x (a)');
    expect(await rollback(' drop index concurrently if exists PUBLIC."Odd_idx" ; ')).toEqual({ existed: true, statements: ['DROP INDEX CONCURRENTLY IF EXISTS public."Odd_idx"'] });
    expect(await exists('public."Odd_idx"')).toBe(false);
  });

  it('refuses to drop a relation of that name that is not an index', async () => {
    await expect(rollback('DROP INDEX IF EXISTS public.x')).rejects.toMatchObject({ kind: 'changed', retryable: false });
    expect(await exists('public.x')).toBe(true);
  });
});
