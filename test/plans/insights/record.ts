/**
 * Records the plan-insight fixtures from real plans: makes small tables in a test database, runs
 * EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT JSON) for each shape with the session settings that
 * plant its problem, and writes `NN-name.plan.json`, plus the `context` (query text and the
 * tables' pg_stat_user_tables figures) into `NN-name.expect.json`, keeping its hand-written
 * `insights`. Run it with `RECORD_PLAN_INSIGHTS=1 npx vitest run test/plans/insights/record.test.ts`.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import type pg from 'pg';
import type { TableStats } from '../../../plv8/plan/insights/index.ts';

export interface Shape {
  file: string;
  /** SET LOCAL settings that plant the problem (inside the EXPLAIN's own transaction). */
  settings?: Record<string, string>;
  query: string;
  /** The tables whose statistics go into the context, as `schema.table`. */
  tables: string[];
}

/** Tables for every shape; small enough to build in a second or two. Statement by statement (VACUUM refuses a transaction). */
export const SETUP_SQL = `
create schema "Sales";
-- "Region" follows "Zone" exactly: b = a % 100 and c = a % 100, so b = 1 and c = 1 is 1 % of rows, estimated 0.01 %.
create table "Sales"."Order Lines" (id int primary key, "Region" int, "Zone" int, amount int);
insert into "Sales"."Order Lines" select g, g % 100, g % 100, g % 7 from generate_series(1, 50000) g;
create table corr (a int primary key, b int, c int, pad text);
insert into corr select g, g % 100, g % 100, md5(g::text) from generate_series(1, 100000) g;
create table other (id int primary key, corr_a int, w int);
insert into other select g, g, g % 1000 from generate_series(1, 100000) g;
create table bm (id int, k int, pad text);
insert into bm select g, (g * 7919) % 100000, repeat('x', 200) from generate_series(1, 100000) g;
create index bm_k_idx on bm (k);
create table hf (id int primary key, v int) with (autovacuum_enabled = false);
insert into hf select g, g from generate_series(1, 20000) g;
create table stale (id int, v int) with (autovacuum_enabled = false);
insert into stale select g, g from generate_series(1, 1000) g;
`;

/** Rows each table of SETUP_SQL gets: they must reach the shared counters before STATISTICS_SQL's ANALYZE. */
export const SETUP_ROWS: Record<string, number> = { 'Order Lines': 50_000, corr: 100_000, other: 100_000, bm: 100_000, hf: 20_000, stale: 1000 };

/** Statistics, then the changes that make some of them wrong. */
export const STATISTICS_SQL = `
vacuum analyze hf;
update hf set v = v + 1 where id % 2 = 0;
analyze "Sales"."Order Lines", corr, other, bm;
-- stale: analyzed at 1,000 distinct rows, then 39,000 rows of v = 5 added with autovacuum off.
analyze stale;
insert into stale select g, 5 from generate_series(1001, 40000) g;
`;

export const SHAPES: Shape[] = [
  { file: '01-correlated-columns', query: `select * from "Sales"."Order Lines" where "Region" = 1 and "Zone" = 1`, tables: ['Sales.Order Lines'] },
  { file: '02-stale-statistics', query: 'select * from stale where v = 5', tables: ['public.stale'] },
  { file: '03-sort-disk-spill', settings: { work_mem: '64kB' }, query: 'select a, b from corr order by b, a desc', tables: ['public.corr'] },
  {
    file: '04-hash-batches',
    settings: { work_mem: '64kB', enable_mergejoin: 'off', enable_nestloop: 'off' },
    query: 'select count(*) from corr c join other o on o.corr_a = c.a',
    tables: ['public.corr', 'public.other'],
  },
  {
    file: '05-lossy-bitmap',
    settings: { work_mem: '64kB', enable_seqscan: 'off', enable_indexscan: 'off' },
    query: 'select count(*) from bm where k between 0 and 30000',
    tables: ['public.bm'],
  },
  { file: '06-heap-fetches', settings: { enable_seqscan: 'off', enable_bitmapscan: 'off' }, query: 'select id from hf where id < 5000', tables: ['public.hf'] },
  { file: '07-large-offset', query: 'select * from corr order by a offset 5000 limit 20', tables: ['public.corr'] },
  {
    file: '08-parallel-not-launched',
    settings: { max_parallel_workers: '0', max_parallel_workers_per_gather: '2', parallel_setup_cost: '0', parallel_tuple_cost: '0', min_parallel_table_scan_size: '0' },
    query: `select count(*) from other where w = 3`,
    tables: ['public.other'],
  },
  {
    file: '09-jit-short-query',
    settings: { jit: 'on', jit_above_cost: '0', jit_inline_above_cost: '0', jit_optimize_above_cost: '0' },
    query: 'select sum(a), avg(b) from corr where a < 100',
    tables: ['public.corr'],
  },
  {
    file: '10-nested-loop-misestimate',
    query: 'select o.w from corr c join other o on o.id = c.a where c.b = 1 and c.c = 1',
    tables: ['public.corr', 'public.other'],
  },
  { file: '11-filter-discards-rows', query: 'select * from other where w = 3', tables: ['public.other'] },
  { file: '12-clean', query: 'select * from corr where a = 42', tables: ['public.corr'] },
];

/** The context's table statistics, read the way the advisor reads them (table-stats.sql). */
export async function tableStats(client: pg.ClientBase, tables: string[]): Promise<TableStats[]> {
  const { rows } = await client.query<{ schema: string; table: string; reltuples: number; n_live_tup: string; n_mod_since_analyze: string; last_analyze: Date | null; last_autoanalyze: Date | null }>(
    `select s.schemaname as schema, s.relname as table, c.reltuples::float8 as reltuples, s.n_live_tup::text, s.n_mod_since_analyze::text,
            s.last_analyze, s.last_autoanalyze
       from pg_stat_user_tables s join pg_class c on c.oid = s.relid
      where s.schemaname || '.' || s.relname = any ($1) order by 1, 2`,
    [tables],
  );
  return rows.map((r) => ({
    schema: r.schema,
    table: r.table,
    reltuples: r.reltuples,
    nLiveTup: Number(r.n_live_tup),
    nModSinceAnalyze: Number(r.n_mod_since_analyze),
    lastAnalyze: r.last_analyze?.toISOString() ?? null,
    lastAutoanalyze: r.last_autoanalyze?.toISOString() ?? null,
  }));
}

export async function recordFixtures(client: pg.ClientBase, dir: URL): Promise<void> {
  for (const shape of SHAPES) {
    await client.query('begin');
    try {
      for (const [name, value] of Object.entries(shape.settings ?? {})) await client.query(`select set_config($1, $2, true)`, [name, value]);
      const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(`explain (analyze, buffers, verbose, format json) ${shape.query}`);
      writeFileSync(new URL(`${shape.file}.plan.json`, dir), `${JSON.stringify(rows[0]!['QUERY PLAN'], null, 2)}\n`);
    } finally {
      await client.query('rollback');
    }
    const expectUrl = new URL(`${shape.file}.expect.json`, dir);
    const previous = existsSync(expectUrl) ? (JSON.parse(readFileSync(expectUrl, 'utf8')) as { insights?: unknown }) : {};
    const context = { query: shape.query, tables: await tableStats(client, shape.tables) };
    writeFileSync(expectUrl, `${JSON.stringify({ context, insights: previous.insights ?? [] }, null, 2)}\n`);
  }
}
