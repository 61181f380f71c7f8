import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPgBinaries, type PgBinaries } from '../../sidecar/embedded/binaries.ts';
import { cloneByDump, type CloneProgress } from '../../sidecar/sandbox/dump-clone.ts';
import { SandboxError } from '../../sidecar/sandbox/isolation.ts';
import { refuseSourceAsSandbox } from '../../sidecar/sandbox/sandbox-database.ts';
import { dropSandboxDatabase } from '../../sidecar/sandbox/template-clone.ts';
import { createTestDatabase, databaseUrl, type TestDatabase } from '../support/database.ts';

const OPTISCHEMA_SCHEMAS = ['optischema', 'optischema_api', 'graphile_worker'];

/**
 * The pg_dump/pg_restore clone on a real cluster: OptiSchema's own database (migrated, with a demo
 * schema beside its own) copied without OptiSchema's schemas, through the pipe and in parallel.
 */
describe('cloneByDump', () => {
  let source: TestDatabase;
  let binaries: PgBinaries;
  let server: pg.Client;
  let serverUrl: string;
  const sourceName = () => new URL(source.url).pathname.slice(1);
  const password = () => decodeURIComponent(new URL(source.url).password);
  const sandboxesOf = async (name: string) =>
    (await server.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`optischema_sandbox_${name}_%`])).rows;

  beforeAll(async () => {
    binaries = await findPgBinaries();
    source = await createTestDatabase({ migrated: true });
    await source.pool.query(`
      create schema demo;
      create table demo.customers (id int primary key, name text not null);
      create table demo."Order Lines" (id bigint generated always as identity primary key,
        customer_id int not null references demo.customers (id), total numeric not null,
        doubled numeric generated always as (total * 2) stored);
      create index order_lines_customer_idx on demo."Order Lines" (customer_id);
      insert into demo.customers select g, 'c' || g from generate_series(1, 2000) g;
      insert into demo."Order Lines" (customer_id, total) select 1 + g % 2000, g % 70 from generate_series(1, 30000) g;
      create table demo.empty_one (id int);`);
    serverUrl = databaseUrl(source.url, 'postgres');
    server = new pg.Client({ connectionString: serverUrl });
    server.on('error', () => undefined);
    await server.connect();
  });
  afterAll(async () => {
    await server?.end();
    await source?.close();
  });

  /** What a copy must show: the data, the index, the constraints, statistics, none of OptiSchema's schemas. */
  async function expectFaithfulCopy(database: string): Promise<void> {
    const sandbox = new pg.Pool({ connectionString: databaseUrl(source.url, database), max: 1 });
    sandbox.on('error', () => undefined);
    try {
      const counts = await sandbox.query(`select (select count(*)::int from demo.customers) as customers,
        (select count(*)::int from demo."Order Lines") as lines, (select sum(doubled)::text from demo."Order Lines") as doubled`);
      const expected = await source.pool.query(`select (select count(*)::int from demo.customers) as customers,
        (select count(*)::int from demo."Order Lines") as lines, (select sum(doubled)::text from demo."Order Lines") as doubled`);
      expect(counts.rows[0]).toEqual(expected.rows[0]);
      expect(counts.rows[0].lines).toBe(30000);
      const indexes = await sandbox.query(`select indexname from pg_indexes where schemaname = 'demo' order by 1`);
      expect(indexes.rows.map((r) => r.indexname)).toEqual(['Order Lines_pkey', 'customers_pkey', 'order_lines_customer_idx']);
      const constraints = await sandbox.query(
        `select contype, convalidated from pg_constraint where conrelid = 'demo."Order Lines"'::regclass and contype in ('f', 'p') order by 1`,
      );
      expect(constraints.rows).toEqual([{ contype: 'f', convalidated: true }, { contype: 'p', convalidated: true }]);
      const schemas = await sandbox.query(`select nspname from pg_namespace where nspname = any($1)`, [OPTISCHEMA_SCHEMAS]);
      expect(schemas.rows).toEqual([]);
      const stats = await sandbox.query(`select count(*)::int as n from pg_stats where schemaname = 'demo' and tablename = 'Order Lines'`);
      expect(stats.rows[0].n).toBeGreaterThanOrEqual(4);
      // The identity goes on from the source's value, not from 1.
      await sandbox.query(`insert into demo."Order Lines" (customer_id, total) values (1, 1)`);
    } finally {
      await sandbox.end();
    }
  }

  function expectProgress(events: CloneProgress[]): void {
    for (const phase of ['dump', 'restore', 'analyze'] as const) {
      const seen = events.filter((e) => e.phase === phase);
      const last = seen.at(-1)!;
      expect(last.done).toBe(last.total);
      expect(last.total).toBeGreaterThanOrEqual(3);
      // Counted table by table from the programs' output, not only announced at the end.
      expect(new Set(seen.map((e) => e.done)).size).toBeGreaterThanOrEqual(last.total);
    }
  }

  it('streams pg_dump into pg_restore, leaving out the excluded schemas, and analyzes the copy', async () => {
    const events: CloneProgress[] = [];
    const clone = await cloneByDump({ sourceUrl: source.url, serverUrl, binaries, excludeSchemas: OPTISCHEMA_SCHEMAS, onProgress: (e) => events.push(e) });
    try {
      expect(clone.database.startsWith(`optischema_sandbox_${sourceName()}_`)).toBe(true);
      expect(clone.bytes).toBeGreaterThan(10_000);
      await expectFaithfulCopy(clone.database);
      expectProgress(events);
      // The demo schema holds 3 tables: the restore's total is theirs (OptiSchema's own left out).
      expect(events.filter((e) => e.phase === 'restore').at(-1)!.total).toBe(3);
    } finally {
      await dropSandboxDatabase(server, clone.database);
    }
  });

  it('dumps to a directory and restores in parallel with jobs > 1, removing the directory', async () => {
    const before = new Set((await readdir(tmpdir())).filter((f) => f.startsWith('optischema-dump-')));
    const events: CloneProgress[] = [];
    const clone = await cloneByDump({ sourceUrl: source.url, serverUrl, binaries, schemas: ['demo'], jobs: 3, onProgress: (e) => events.push(e) });
    try {
      await expectFaithfulCopy(clone.database);
      expectProgress(events);
      expect(clone.bytes).toBeGreaterThan(10_000);
      const after = (await readdir(tmpdir())).filter((f) => f.startsWith('optischema-dump-') && !before.has(f));
      expect(after).toEqual([]);
    } finally {
      await dropSandboxDatabase(server, clone.database);
    }
  });

  it('fails on a source that does not exist, naming it, without the password, leaving nothing behind', async () => {
    const missing = `nope_${Date.now().toString(36)}`;
    const error = await cloneByDump({ sourceUrl: databaseUrl(source.url, missing), serverUrl, binaries }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(new RegExp(`database "${missing}" does not exist`));
    expect((error as Error).message).not.toContain(password());
    expect(await sandboxesOf(missing)).toEqual([]);
  });

  it('drops the half-made database when pg_dump fails after it was created', async () => {
    const error = await cloneByDump({ sourceUrl: source.url, serverUrl, binaries, schemas: ['no_such_schema'] }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/pg_dump exited with code 1: pg_dump: error: no matching schemas were found/);
    expect((error as Error).message).not.toContain(password());
    expect(await sandboxesOf(sourceName())).toEqual([]);
  });

  it('drops the half-made database when pg_restore fails, with pg_restore\'s reason first', async () => {
    // A table whose type lives in a schema left out: pg_dump succeeds, the restore cannot create it.
    await source.pool.query(`create schema types; create type types.mood as enum ('ok', 'sad'); create schema moody;
      create table moody.feelings (id int, mood types.mood); insert into moody.feelings values (1, 'ok');`);
    try {
      for (const jobs of [1, 2]) {
        const error = await cloneByDump({ sourceUrl: source.url, serverUrl, binaries, schemas: ['moody'], jobs }).catch((e: Error) => e);
        expect((error as Error).message).toMatch(/^could not clone \S+ with pg_dump\/pg_restore: pg_restore exited with code 1: [\s\S]*schema "types" does not exist/);
        expect(await sandboxesOf(sourceName())).toEqual([]);
      }
    } finally {
      await source.pool.query('drop schema moody cascade; drop schema types cascade');
    }
  });

  it('refuses a destination that is the source itself', async () => {
    await expect(refuseSourceAsSandbox(source.url, source.url)).rejects.toThrow(SandboxError);
    await expect(refuseSourceAsSandbox(source.url, source.url)).rejects.toThrow(/the target's own database/);
  });
});
