import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPgBinaries, type PgBinaries } from '../../sidecar/embedded/binaries.ts';
import { sampleInto, type SampleProgress } from '../../sidecar/sandbox/sample.ts';
import { dropSandboxDatabase } from '../../sidecar/sandbox/template-clone.ts';
import { createTestDatabase, databaseUrl, type TestDatabase } from '../support/database.ts';

/**
 * A sample of a schema built to be awkward: quoted mixed-case names, a composite key, a
 * self-reference in chains ten deep, a foreign-key cycle, a partitioned table referencing and
 * referenced, a generated column, a small lookup table, a table without keys. The sample is only
 * accepted if every foreign key is added back, validated, over it.
 */
describe('sampleInto', () => {
  let source: TestDatabase;
  let binaries: PgBinaries;
  let server: pg.Client;
  let serverUrl: string;
  const sourceName = () => new URL(source.url).pathname.slice(1);

  beforeAll(async () => {
    binaries = await findPgBinaries();
    source = await createTestDatabase();
    await source.pool.query(`
      create schema shop; create schema "Sales";
      create table shop.countries (id int primary key, name text not null);
      insert into shop.countries select g, 'country ' || g from generate_series(1, 50) g;
      create table shop.customers (id int primary key, country_id int not null references shop.countries, name text);
      insert into shop.customers select g, 1 + g % 50, 'c' || g from generate_series(1, 20000) g;
      create table "Sales"."Orders" ("Id" bigint primary key, "customerId" int not null references shop.customers (id),
        total numeric not null, doubled numeric generated always as (total * 2) stored);
      create index "Orders_customer" on "Sales"."Orders" ("customerId");
      insert into "Sales"."Orders" ("Id", "customerId", total) select g, 1 + (g * 7) % 20000, g % 97 from generate_series(1, 20000) g;
      create table shop.warehouses (region text, code int, label text, primary key (region, code));
      insert into shop.warehouses select 'r' || (g % 30), g / 30, 'w' from generate_series(0, 2999) g;
      create table shop.stock (id int primary key, region text, code int, qty int,
        foreign key (region, code) references shop.warehouses (region, code));
      insert into shop.stock select g, 'r' || (g % 30), (g % 3000) / 30, g % 11 from generate_series(1, 20000) g;
      create table shop.employees (id int primary key, manager_id int references shop.employees);
      insert into shop.employees select g, case when g % 10 = 1 then null else g - 1 end from generate_series(1, 20000) g;
      create table shop.a (id int primary key, b_id int);
      create table shop.b (id int primary key, a_id int not null references shop.a);
      insert into shop.a select g, null from generate_series(1, 5000) g;
      insert into shop.b select g, 1 + (g * 13) % 5000 from generate_series(1, 5000) g;
      update shop.a set b_id = 1 + (id * 17) % 5000;
      alter table shop.a add foreign key (b_id) references shop.b;
      create table shop.events (id int, at date, customer_id int references shop.customers, primary key (id, at)) partition by range (at);
      create table shop.events_2024 partition of shop.events for values from ('2024-01-01') to ('2025-01-01');
      create table shop.events_2025 partition of shop.events for values from ('2025-01-01') to ('2026-01-01');
      insert into shop.events select g, date '2024-01-01' + (g % 700), 1 + (g * 3) % 20000 from generate_series(1, 20000) g;
      create table shop.event_notes (id int primary key, event_id int, event_at date, note text,
        foreign key (event_id, event_at) references shop.events (id, at));
      insert into shop.event_notes select g, g, date '2024-01-01' + (g % 700), 'n' from generate_series(1, 20000) g;
      create table shop.logs (id int, line text);
      insert into shop.logs select g, 'line ' || g from generate_series(1, 20000) g;`);
    serverUrl = databaseUrl(source.url, 'postgres');
    server = new pg.Client({ connectionString: serverUrl });
    server.on('error', () => undefined);
    await server.connect();
  });
  afterAll(async () => {
    await server?.end();
    await source?.close();
  });

  it('makes a foreign-key-consistent sample whose constraints all validate', async () => {
    const events: SampleProgress[] = [];
    const sample = await sampleInto({ sourceUrl: source.url, serverUrl, binaries, fraction: 0.1, onProgress: (e) => events.push(e) });
    const sandbox = new pg.Pool({ connectionString: databaseUrl(source.url, sample.database), max: 1 });
    sandbox.on('error', () => undefined);
    try {
      expect(sample.database.startsWith(`optischema_sandbox_${sourceName()}_`)).toBe(true);
      // Every foreign key the source declares is back, validated over the sample.
      const keysOf = (pool: pg.Pool) =>
        pool.query(`select conrelid::regclass::text as t, conname, convalidated from pg_constraint where contype = 'f' and conparentid = 0 order by 1, 2`);
      const sandboxKeys = (await keysOf(sandbox)).rows;
      expect(sandboxKeys.map((k) => [k.t, k.conname])).toEqual((await keysOf(source.pool)).rows.map((k) => [k.t, k.conname]));
      expect(sandboxKeys.length).toBe(8);
      expect(sandboxKeys.every((k) => k.convalidated)).toBe(true);
      // Indexes of the post-data are there (the quoted one included).
      const indexes = (await sandbox.query(`select indexname from pg_indexes where schemaname = 'Sales' order by 1`)).rows.map((r) => r.indexname);
      expect(indexes).toEqual(['Orders_customer', 'Orders_pkey']);

      // Tables nothing references are sampled near the fraction (expected 2,000 of 20,000).
      for (const table of ['shop.logs', 'Sales.Orders', 'shop.event_notes']) {
        expect(sample.rows[table]).toBeGreaterThan(1000);
        expect(sample.rows[table]).toBeLessThan(3500);
      }
      // The small lookup table came whole; the partitioned parent holds nothing of its own.
      expect(sample.rows['shop.countries']).toBe(50);
      expect(sample.rows['shop.events']).toBeUndefined();
      expect((await sandbox.query('select count(*)::int as n from only shop.events')).rows[0].n).toBe(0);
      expect(sample.rows['shop.events_2024']! + sample.rows['shop.events_2025']!).toBeGreaterThan(1000);
      // The counts reported are the sandbox's.
      expect((await sandbox.query('select count(*)::int as n from shop.customers')).rows[0].n).toBe(sample.rows['shop.customers']);
      // Parents the sample needs were brought: every manager chain goes up to its head.
      // (About 2,000 sampled, each bringing the managers above it: far more than the fraction.)
      expect(sample.rows['shop.employees']).toBeGreaterThan(3500);
      const headless = await sandbox.query(`select count(*)::int as n from shop.employees e
        where e.manager_id is not null and not exists (select from shop.employees m where m.id = e.manager_id)`);
      expect(headless.rows[0].n).toBe(0);
      // The cycle a ⇄ b closed both ways.
      expect(sample.rows['shop.a']).toBeGreaterThan(500);
      expect(sample.rows['shop.b']).toBeGreaterThan(500);
      // Every sampled order's customer is there (the key validated says so; so does a join).
      const orphans = await sandbox.query(`select count(*)::int as n from "Sales"."Orders" o left join shop.customers c on c.id = o."customerId" where c.id is null`);
      expect(orphans.rows[0].n).toBe(0);
      // Generated columns were left out of COPY and recomputed.
      expect((await sandbox.query(`select count(*)::int as n from "Sales"."Orders" where doubled <> total * 2`)).rows[0].n).toBe(0);
      // The sampled rows are the source's own.
      const same = await sandbox.query(`select "Id", "customerId", total::text from "Sales"."Orders" order by "Id" limit 5`);
      const ids = same.rows.map((r) => r.Id);
      expect((await source.pool.query(`select "Id", "customerId", total::text from "Sales"."Orders" where "Id" = any($1) order by "Id"`, [ids])).rows).toEqual(same.rows);
      // Statistics of its own.
      expect((await sandbox.query(`select count(*)::int as n from pg_stats where schemaname = 'Sales' and tablename = 'Orders'`)).rows[0].n).toBeGreaterThanOrEqual(4);

      const sampled = events.filter((e) => e.phase === 'sample');
      expect(sampled.at(-1)).toEqual({ phase: 'sample', done: 12, total: 12 });
      // The chains ten deep need several rounds.
      expect(events.filter((e) => e.phase === 'closure').length).toBeGreaterThanOrEqual(5);
      const analyzed = events.filter((e) => e.phase === 'analyze').at(-1)!;
      expect(analyzed.done).toBe(analyzed.total);
    } finally {
      await sandbox.end();
      await dropSandboxDatabase(server, sample.database);
    }
  });

  it('takes only the schemas asked for, and whole tables at fraction 1', async () => {
    const sample = await sampleInto({ sourceUrl: source.url, serverUrl, binaries, fraction: 1, schemas: ['shop'] });
    const sandbox = new pg.Pool({ connectionString: databaseUrl(source.url, sample.database), max: 1 });
    sandbox.on('error', () => undefined);
    try {
      expect((await sandbox.query(`select nspname from pg_namespace where nspname in ('Sales', 'shop') order by 1`)).rows).toEqual([{ nspname: 'shop' }]);
      expect(sample.rows['shop.logs']).toBe(20000);
      expect(sample.rows['shop.employees']).toBe(20000);
      expect(Object.keys(sample.rows).some((t) => t.startsWith('Sales.'))).toBe(false);
    } finally {
      await sandbox.end();
      await dropSandboxDatabase(server, sample.database);
    }
  });

  it('fails with the reason and leaves no sandbox behind', async () => {
    const error = await sampleInto({ sourceUrl: source.url, serverUrl, binaries, schemas: ['no_such_schema'] }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/could not sample .*no matching schemas were found/);
    expect((error as Error).message).not.toContain(decodeURIComponent(new URL(source.url).password));
    expect((await server.query(`select datname from pg_database where datname like $1`, [`optischema_sandbox_${sourceName()}_%`])).rows).toEqual([]);
  });
});
