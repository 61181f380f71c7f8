import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { schemaAdvisor, schemaAdvisorWith } from '../../sidecar/health/schema/advisor.ts';
import { estimatePadding } from '../../sidecar/health/schema/column-padding.ts';
import { readRelations } from '../../sidecar/health/schema/relations.ts';
import type { AdvisorResult, Finding } from '../../sidecar/health/finding.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { settleTableCounters } from '../support/table-counters.ts';

// Thresholds small enough for tables of a few thousand rows to stand for large ones.
const SMALL = {
  paddingMinTotalBytes: 10_000,
  bloatMinBytes: 100_000,
  partitionMinBytes: 64 * 1024,
};

const INT4_MAX = 2147483647;

function byRule(result: AdvisorResult, rule: string): Finding[] {
  return result.findings.filter((f) => f.rule === rule);
}

function subjects(result: AdvisorResult, rule: string): string[] {
  return byRule(result, rule).map((f) => f.subject).sort();
}

function one(result: AdvisorResult, rule: string, subject: string): Finding {
  const found = result.findings.filter((f) => f.rule === rule && f.subject === subject);
  expect(found, `${rule} on ${subject}`).toHaveLength(1);
  return found[0]!;
}

/** Runs `sql` in a transaction that is rolled back: it must be valid against the real schema. */
async function runsAndRollsBack(pool: pg.Pool, sql: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(sql);
  } finally {
    await client.query('rollback');
    client.release();
  }
}

describe('schema advisor on planted problems', () => {
  let db: TestDatabase;
  let result: AdvisorResult;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(`
      create extension pg_stat_statements;
      create schema "Shop";

      -- column_padding: (a boolean, b bigint, c boolean, d bigint, e int4), all NOT NULL.
      create table "Shop"."Padded" (a boolean not null, b bigint not null, c boolean not null, d bigint not null, e int4 not null, id int primary key);
      insert into "Shop"."Padded" select i % 2 = 0, i, i % 3 = 0, i * 2, i, i from generate_series(1, 2000) i;

      -- A partitioned table, judged once with its partitions' rows; no primary key either.
      create table public.events (flag boolean, at timestamptz, kind smallint, id bigint) partition by range (at);
      create table public.events_2025 partition of public.events for values from ('2025-01-01') to ('2026-01-01');
      create table public.events_2026 partition of public.events for values from ('2026-01-01') to ('2027-01-01');
      insert into public.events select true, timestamptz '2025-06-01' + i * interval '1 hour', 1, i from generate_series(1, 1000) i;
      insert into public.events select true, timestamptz '2026-06-01' + i * interval '1 hour', 1, i from generate_series(1, 1000) i;

      -- wide_column: "Body" (~644 bytes) read by one call in eleven; notes.body is read by SELECT *.
      -- summary: a declared varchar(2000) averaging 260 bytes, read by none of the top statements.
      create table "Shop"."Articles" (id serial primary key, title text not null, "Body" text, summary varchar(2000));
      insert into "Shop"."Articles" (title, "Body", summary) select 'title ' || i, repeat(md5(i::text), 20), repeat(md5(i::text), 8) from generate_series(1, 300) i;
      create table "Shop".notes (id int primary key, body text);
      insert into "Shop".notes select i, repeat(md5(i::text), 20) from generate_series(1, 300) i;

      -- missing_primary_key: one with a promotable unique index, one without.
      create table "Shop"."NoKey" (code text not null, n int);
      create unique index "NoKey_code_idx" on "Shop"."NoKey" (code);
      create table public.keyless (x int);

      -- key_overflow: an int4 serial at 60 % of the type's range (critical), an int4 identity at
      -- 15 % (warning), referenced by a foreign key; a bigint one at the same value (fine).
      create table "Shop"."Tickets" (id serial primary key, note text);
      select setval(pg_get_serial_sequence('"Shop"."Tickets"', 'id'), ${Math.floor(INT4_MAX * 0.6)});
      insert into "Shop"."Tickets" (note) select 'n' from generate_series(1, 10);
      create table "Shop".ticket_events (id int primary key, ticket_id int references "Shop"."Tickets");
      create table "Shop".small_ids (id int generated always as identity primary key);
      select setval(pg_get_serial_sequence('"Shop".small_ids', 'id'), ${Math.floor(INT4_MAX * 0.15)});
      create table "Shop".big_ids (id bigserial primary key);
      select setval(pg_get_serial_sequence('"Shop".big_ids', 'id'), ${Math.floor(INT4_MAX * 0.6)});

      -- table_bloat: 90 % of the rows deleted, no vacuum to tidy up.
      create table "Shop"."Bloated" (id int primary key, payload text) with (autovacuum_enabled = false);
      insert into "Shop"."Bloated" select i, md5(i::text) from generate_series(1, 20000) i;
      delete from "Shop"."Bloated" where id % 10 <> 0;

      -- partitioning_candidate: filtered on taken_at by its top statements…
      create table "Shop"."Readings" (id bigint primary key, taken_at timestamptz not null, value float8);
      insert into "Shop"."Readings" select i, timestamptz '2026-01-01' + i * interval '1 minute', i from generate_series(1, 3000) i;
      -- …and one physically ordered by time whose oldest rows are purged (by id, so no statement filters on the time).
      create table public.logs (id bigint primary key, logged_at timestamptz not null, msg text);
      insert into public.logs select i, timestamptz '2026-01-01' + i * interval '1 minute', 'message ' || i from generate_series(1, 3000) i;
      delete from public.logs where id <= 400;
    `);
    await settleTableCounters(db.pool, { '"Shop"."Tickets"': 10, 'public.logs': 3000 });
    await db.pool.query('analyze');
    // The workload: pg_stat_statements records these as the top statements of this database.
    for (let i = 1; i <= 10; i += 1) await db.pool.query('select id, title from "Shop"."Articles" where id = $1', [i]);
    await db.pool.query('select a."Body" from "Shop"."Articles" a where a.id = $1', [1]);
    for (let i = 1; i <= 3; i += 1) await db.pool.query('select * from "Shop".notes where id = $1', [i]);
    for (let i = 1; i <= 5; i += 1) await db.pool.query(`select avg(value) from "Shop"."Readings" r where r.taken_at >= $1`, ['2026-01-02']);
    await db.pool.query('select count(*) from "Shop"."Readings" where id = $1', [1]);
    result = await schemaAdvisorWith(SMALL).run({ target: db.pool });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('every finding is of kind schema, names its table, and is high or medium risk', () => {
    expect(result.findings.length).toBeGreaterThan(0);
    for (const f of result.findings) {
      expect(f.kind).toBe('schema');
      expect(f.table).toBe(f.subject.split('.').slice(0, 2).join('.'));
      expect(['medium', 'high']).toContain(f.risk);
    }
  });

  it('column_padding: computes the saving of a known layout', () => {
    const finding = one(result, 'column_padding', 'Shop.Padded');
    // Current order, offsets in the data area: a boolean 0..1, b bigint aligned to 8: 8..16,
    // c boolean 16..17, d bigint aligned to 8: 24..32, e int4 32..36, id int4 36..40 → 40 bytes.
    // Best order: b 0..8, d 8..16, e 16..20, id 20..24, a 24..25, c 25..26 → 26 bytes.
    // Saved: 14 bytes of data per row; on the page 24 + 40 = 64 vs 24 + 26 → 56: 8 bytes per tuple.
    expect(finding.evidence).toMatchObject({
      currentDataBytesPerRow: 40,
      bestDataBytesPerRow: 26,
      savedBytesPerRow: 14,
      savedBytesPerTuple: 8,
      estimatedRows: 2000,
      estimatedSavedBytes: 16_000,
      bestOrder: ['b', 'd', 'e', 'id', 'a', 'c'],
    });
    expect(finding.rollbackSql).toBeNull();
    expect(finding.risk).toBe('high');
    expect(finding.sql).toContain('-- CREATE TABLE "Shop"."Padded_reordered" (');
    expect(finding.sql).toContain('-- INSERT INTO "Shop"."Padded_reordered" (b, d, e, id, a, c) SELECT b, d, e, id, a, c FROM "Shop"."Padded";');
    expect(finding.sql).toContain('ACCESS EXCLUSIVE');
    expect(finding.sql.split('\n').every((line) => line.startsWith('--'))).toBe(true);
  });

  it('column_padding: reports a partitioned table once with its partitions rows, never the partitions', () => {
    // flag 0..1, at 8..16, kind 16..18, id 24..32 → 32; best at, id, kind, flag → 19; per tuple 32 vs 24.
    const finding = one(result, 'column_padding', 'public.events');
    expect(finding.evidence).toMatchObject({ savedBytesPerRow: 13, savedBytesPerTuple: 8, estimatedRows: 2000 });
    expect(finding.sql).toContain('PARTITION BY RANGE (at)');
    expect(subjects(result, 'column_padding').filter((s) => s.startsWith('public.events_'))).toEqual([]);
  });

  it('column_padding: the model predicts what pg_column_size measures on real rows', async () => {
    // Both orders of two layouts, the second with a short text between fixed-width columns
    // (1-byte varlena header, no alignment) and a long one (4-byte header, aligned to 4).
    const layouts = [
      { columns: 'a boolean, b bigint, c boolean, d bigint, e int4', values: 'true, 1, false, 2, 3' },
      // s 0..2, t (11 bytes, short header, unaligned) 2..13, b 16..24, u 24..35, l (304 bytes, aligned to 4) 36..340;
      // best: b 0..8, s 8..10, t 10..21, u 21..32, l 32..336: 4 bytes saved, which only the varlena rules give.
      { columns: 's smallint, t text, b bigint, u text, l text', values: `1, 'abcdefghij', 2, 'klmnopqrst', repeat('x', 300)` },
    ];
    for (const [i, layout] of layouts.entries()) {
      await db.pool.query(`create table public.layout_${i} (${layout.columns}); insert into public.layout_${i} select ${layout.values} from generate_series(1, 50); analyze public.layout_${i}`);
      const relation = (await readRelations(db.pool)).find((r) => r.subject === `public.layout_${i}`)!;
      const estimate = estimatePadding(relation.columns)!;
      const definitions = layout.columns.split(', ');
      const reordered = estimate.bestOrder.map((c) => definitions.find((d) => d.startsWith(`${c.name} `))!).join(', ');
      const names = estimate.bestOrder.map((c) => c.name).join(', ');
      await db.pool.query(`create table public.layout_${i}_best (${reordered}); insert into public.layout_${i}_best (${names}) select ${names} from public.layout_${i}`);
      const { rows } = await db.pool.query<{ current: number; best: number }>(
        `select (select pg_column_size(t.*) from public.layout_${i} t limit 1) as current, (select pg_column_size(t.*) from public.layout_${i}_best t limit 1) as best`,
      );
      expect(rows[0]!.current - rows[0]!.best, `layout ${i}: ${layout.columns}`).toBe(estimate.savedBytesPerRow);
      expect(estimate.savedBytesPerRow).toBe([14, 4][i]);
    }
  });

  it('wide_column: raises wide columns one call in eleven reads (or none), not one SELECT * reads', () => {
    const finding = one(result, 'wide_column', 'Shop.Articles.Body');
    expect(finding.table).toBe('Shop.Articles');
    expect(finding.evidence.avgWidthBytes).toBeGreaterThanOrEqual(500);
    expect(finding.evidence).toMatchObject({ readingCalls: 1, tableCalls: 11 });
    expect(finding.evidence.statementsReadingColumn).toHaveLength(1);
    expect(finding.evidence.statementsNotReadingColumn).toEqual([expect.objectContaining({ calls: 10 })]);
    expect(finding.sql).toContain(
      '-- CREATE TABLE "Shop"."Articles_Body" (id integer, "Body" text, PRIMARY KEY (id), FOREIGN KEY (id) REFERENCES "Shop"."Articles" (id) ON DELETE CASCADE);',
    );
    expect(finding.sql).toContain('-- ALTER TABLE "Shop"."Articles" DROP COLUMN "Body";');
    // Declared varchar(2000) and 260 bytes on average: wide by its declaration (the 200-byte floor), read by no call.
    const summary = one(result, 'wide_column', 'Shop.Articles.summary');
    expect(summary.evidence).toMatchObject({ avgWidthBytes: 260, declaredType: 'character varying(2000)', readingCalls: 0, tableCalls: 11 });
    expect(subjects(result, 'wide_column')).toEqual(['Shop.Articles.Body', 'Shop.Articles.summary']);
  });

  it('missing_primary_key: promotes a unique index on NOT NULL columns, and its rollback restores the index', async () => {
    const finding = one(result, 'missing_primary_key', 'Shop.NoKey');
    expect(finding.sql).toBe('ALTER TABLE "Shop"."NoKey" ADD CONSTRAINT "NoKey_pkey" PRIMARY KEY USING INDEX "NoKey_code_idx";');
    expect(finding.rollbackSql).toBe(
      'ALTER TABLE "Shop"."NoKey" DROP CONSTRAINT "NoKey_pkey";\nCREATE UNIQUE INDEX "NoKey_code_idx" ON "Shop"."NoKey" USING btree (code);',
    );
    expect(finding.risk).toBe('medium');
    expect(finding.rationale).toMatch(/replica/i);
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query(finding.sql);
      expect((await client.query(`select 1 from pg_constraint where conrelid = '"Shop"."NoKey"'::regclass and contype = 'p'`)).rowCount).toBe(1);
      await client.query(finding.rollbackSql!);
      const { rows } = await client.query(`select indexrelid::regclass::text as name from pg_index where indrelid = '"Shop"."NoKey"'::regclass`);
      expect(rows).toEqual([{ name: '"Shop"."NoKey_code_idx"' }]);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });

  it('missing_primary_key: steps as comments without an index to promote; a partitioned table once, its partitions never', () => {
    const keyless = one(result, 'missing_primary_key', 'public.keyless');
    expect(keyless.sql).toContain('-- ALTER TABLE public.keyless ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;');
    expect(keyless.rollbackSql).toBeNull();
    one(result, 'missing_primary_key', 'public.events');
    expect(subjects(result, 'missing_primary_key')).toEqual(['Shop.NoKey', 'public.events', 'public.keyless']);
  });

  it('key_overflow: compares with the column type, not the sequence; critical at 60 %, warning at 15 %', async () => {
    const tickets = one(result, 'key_overflow', 'Shop.Tickets.id');
    expect(tickets.evidence).toMatchObject({ severity: 'critical', typeLimit: INT4_MAX, columnType: 'integer' });
    expect(tickets.evidence.usedShare).toBeCloseTo(0.6, 3);
    expect(tickets.evidence.insertsPerSecond).toBeGreaterThan(0);
    expect(tickets.evidence.insertRateSource).toMatch(/^measured: pg_stat_all_tables\.n_tup_ins since/);
    expect(tickets.sql).toContain('ALTER SEQUENCE "Shop"."Tickets_id_seq" AS bigint;\nALTER TABLE "Shop"."Tickets" ALTER COLUMN id TYPE bigint;');
    expect(tickets.sql).toContain('Shop.ticket_events.ticket_id (integer, ticket_events_ticket_id_fkey)');
    expect(tickets.sql).toContain('ALTER TABLE "Shop".ticket_events ALTER COLUMN ticket_id TYPE bigint;');
    expect(tickets.rollbackSql).toBeNull();
    expect(tickets.rationale).toMatch(/narrowing back/);
    const small = one(result, 'key_overflow', 'Shop.small_ids.id');
    expect(small.evidence).toMatchObject({ severity: 'warning' });
    expect(subjects(result, 'key_overflow')).toEqual(['Shop.Tickets.id', 'Shop.small_ids.id']);
    // The statements run: the identity's sequence follows the column to bigint.
    await runsAndRollsBack(db.pool, tickets.sql);
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query(small.sql);
      const { rows } = await client.query(`select seqtypid::regtype::text as type from pg_sequence where seqrelid = pg_get_serial_sequence('"Shop".small_ids', 'id')::regclass`);
      expect(rows).toEqual([{ type: 'bigint' }]);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });

  it('table_bloat: estimated from statistics without pgstattuple, measured with it', async () => {
    const estimated = one(result, 'table_bloat', 'Shop.Bloated');
    expect(estimated.evidence.source).toMatch(/^estimate/);
    expect(estimated.evidence.wastedShare).toBeGreaterThan(0.7);
    expect(estimated.sql).toContain('VACUUM FULL "Shop"."Bloated";');
    expect(estimated.sql).toContain(`pg_repack --dbname <database> --table '"Shop"."Bloated"'`);
    expect(estimated.rollbackSql).toBeNull();
    expect(result.notes.some((n) => n.includes('pgstattuple is not installed'))).toBe(true);
    expect(subjects(result, 'table_bloat')).toEqual(['Shop.Bloated']);

    await db.pool.query('create extension pgstattuple');
    const measuredRun = await schemaAdvisorWith(SMALL).run({ target: db.pool });
    const measured = one(measuredRun, 'table_bloat', 'Shop.Bloated');
    expect(measured.evidence.source).toBe('measured with pgstattuple_approx');
    expect(measured.rationale).toContain('measured with pgstattuple_approx');
    expect(measured.evidence.deadTupleBytes).toBeGreaterThan(0);
    expect(measured.evidence.wastedShare).toBeGreaterThan(0.7);
  });

  it('partitioning_candidate: a time column most top statements filter on, and an ordered one being purged', () => {
    const readings = one(result, 'partitioning_candidate', 'Shop.Readings');
    expect(readings.evidence).toMatchObject({ column: 'taken_at', reason: 'filtered_by_top_statements', filteringCalls: 5 });
    expect(readings.sql).toContain('PARTITION BY RANGE (taken_at);');
    const logs = one(result, 'partitioning_candidate', 'public.logs');
    expect(logs.evidence).toMatchObject({ column: 'logged_at', reason: 'ordered_and_purged', deletes: 400 });
    expect(logs.evidence.correlation).toBeGreaterThan(0.9);
    expect(subjects(result, 'partitioning_candidate')).toEqual(['Shop.Readings', 'public.logs']);
  });

  it('key_overflow: takes the insert rate from OptiSchema history when the target is monitored', async () => {
    const store = await createTestDatabase({ migrated: true });
    try {
      const { rows } = await store.pool.query<{ target_id: string }>(`
        with tenant as (insert into optischema.tenants (name, slug) values ('t', 't-schema') returning id),
             target as (insert into optischema.targets (tenant_id, name, secret_ref) select id, 'shop', 'env:SHOP_URL' from tenant returning id, tenant_id),
             snap as (insert into optischema.snapshots (tenant_id, target_id, captured_at, statements, changed, resets)
                      select tenant_id, id, at, 0, 0, 0 from target, (values (now() - interval '1 hour'), (now())) v(at) returning *)
        insert into optischema.table_history (tenant_id, target_id, snapshot_id, captured_at, relid, schema_name, table_name, n_tup_ins)
        select tenant_id, target_id, id, captured_at, 1, 'Shop', 'Tickets', case when captured_at < now() then 1000 else 4600 end from snap
        returning target_id`);
      const monitored = await schemaAdvisorWith(SMALL).run({ target: db.pool, store: { db: store.pool, targetId: rows[0]!.target_id } });
      const tickets = one(monitored, 'key_overflow', 'Shop.Tickets.id');
      // 3600 inserts over the hour between the two snapshots.
      expect(tickets.evidence.insertsPerSecond).toBeCloseTo(1, 6);
      expect(tickets.evidence.insertRateSource).toMatch(/^measured: n_tup_ins in OptiSchema's history \(optischema\.table_history\), 2 snapshots/);
      expect(tickets.evidence.estimatedDaysLeft).toBeCloseTo((INT4_MAX - (tickets.evidence.lastValue as number)) / 86_400, 0);
    } finally {
      await store.close();
    }
  });

  it('the default thresholds find none of the size-based problems in small tables', async () => {
    const defaults = await schemaAdvisor.run({ target: db.pool });
    expect(subjects(defaults, 'column_padding')).toEqual([]);
    expect(subjects(defaults, 'table_bloat')).toEqual([]);
    expect(subjects(defaults, 'partitioning_candidate')).toEqual([]);
    expect(subjects(defaults, 'key_overflow')).toEqual(['Shop.Tickets.id', 'Shop.small_ids.id']);
  });
});

describe('schema advisor on a clean database without pg_stat_statements', () => {
  let db: TestDatabase;
  const role = `schema_reader_${Math.random().toString(36).slice(2, 8)}`;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(`
      -- Well-ordered, keyed, tidy tables: nothing to report.
      create table public.tidy (id bigint primary key, created_at timestamptz not null, amount int4, flag boolean, note text);
      insert into public.tidy select i, now() - i * interval '1 minute', i, true, 'note ' || i from generate_series(1, 1000) i;
      create view public.tidy_view as select flag, id from public.tidy;
      create materialized view public.tidy_summary as select id, flag from public.tidy;
      create table public.counter (id serial primary key, label text);
      insert into public.counter (label) select 'x' from generate_series(1, 20);
      -- Wide, but with no statements its reads are unknown: a note, not a finding.
      create table public.docs (id int primary key, body text);
      insert into public.docs select i, repeat(md5(i::text), 20) from generate_series(1, 300) i;
      -- OptiSchema's own schemas are not the user's: badly ordered, keyless, near overflow, all ignored.
      create schema graphile_worker;
      create table graphile_worker.jobs (a boolean, b bigint, c boolean, d bigint, n serial);
      insert into graphile_worker.jobs (a, b, c, d) select true, i, false, i from generate_series(1, 2000) i;
      select setval(pg_get_serial_sequence('graphile_worker.jobs', 'n'), ${Math.floor(INT4_MAX * 0.9)});
      analyze;
      create role ${role} login password 'reader';
    `);
  });
  afterAll(async () => {
    await db?.close();
    const admin = new pg.Client({ connectionString: inject('clusterUrl') });
    await admin.connect();
    await admin.query(`drop role if exists ${role}`).finally(() => admin.end());
  });

  it('reports nothing, inside a READ ONLY transaction with a statement timeout as the runner opens it', async () => {
    const client = await db.pool.connect();
    let result: AdvisorResult;
    try {
      await client.query(`begin read only; set local statement_timeout = '30s'`);
      result = await schemaAdvisorWith({ ...SMALL, paddingMinTotalBytes: 1, bloatMinBytes: 1, partitionMinBytes: 1, overflowWarnShare: 0.0001 }).run({ target: client });
      await client.query('commit');
    } finally {
      client.release();
    }
    expect(result.findings).toEqual([]);
    expect(result.notes).toContain('pg_stat_statements is not installed: which columns the workload reads is unknown');
    expect(result.notes.some((n) => n.startsWith('wide_column: public.docs.body averages 644 bytes') && n.includes('reads are unknown'))).toBe(true);
  });

  it('a sequence the role cannot read becomes a note', async () => {
    const url = Object.assign(new URL(db.url), { username: role, password: 'reader' }).toString();
    const reader = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const result = await schemaAdvisorWith({ overflowWarnShare: 0.0001 }).run({ target: reader });
      expect(result.findings.filter((f) => f.rule === 'key_overflow')).toEqual([]);
      expect(result.notes).toContain('key_overflow: no SELECT or USAGE on sequence public.counter_id_seq (feeds public.counter.id): its last value is unknown');
    } finally {
      await reader.end();
    }
  });
});
