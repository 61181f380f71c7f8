import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAnalysisRole } from '../../sidecar/advisor/ensure-analysis-role.ts';
import { measureIndex, verdictOf, writeOverhead, type IndexMeasurement } from '../../sidecar/sandbox/measure-index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * A recommended index built for real in a sandbox database and its statements run before and
 * after with EXPLAIN ANALYZE (issue 11 §2). The test database stands in for the sandbox.
 */
describe('measureIndex', () => {
  let db: TestDatabase;
  let sandbox: pg.PoolClient;
  const exists = async (name: string) => (await sandbox.query('select to_regclass($1) is not null as found', [name])).rows[0].found as boolean;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(`
      create table public.orders (id bigint primary key, customer_id int not null, total numeric not null, scattered int not null);
      insert into public.orders select g, g % 5000, g % 70, (g * 7919) % 200000 from generate_series(1, 200000) g;
      analyze public.orders;
      create table public.audit (id bigint, note text);`);
    sandbox = await db.pool.connect();
    await ensureAnalysisRole(sandbox);
  });
  afterAll(async () => {
    sandbox?.release();
    await db?.close();
  });

  it('validates an index that turns a full scan into a lookup, and drops it again', async () => {
    const m = await measureIndex(sandbox, 'CREATE INDEX orders_customer_id_idx ON public.orders (customer_id)', [
      { query: 'select id, total from orders where customer_id = $1', values: ['42'] },
    ]);
    const [s] = m.statements;
    expect(s!.error).toBeUndefined();
    expect(s!.before!.ms).toHaveLength(5);
    expect(s!.after!.ms).toHaveLength(5);
    expect(s!.usesIndex).toBe(true);
    // A scan of 200,000 rows against a lookup of 40: the buffers say so whatever the machine's speed.
    expect(s!.after!.sharedHit + s!.after!.sharedRead).toBeLessThan((s!.before!.sharedHit + s!.before!.sharedRead) / 10);
    expect(m.buildMs).toBeGreaterThan(0);
    expect(m.sizeBytes).toBeGreaterThan(1_000_000);
    expect(verdictOf(m)).toMatchObject({ state: 'validated' });
    expect(await exists('public.orders_customer_id_idx')).toBe(false);
  });

  it('rejects an index the planner does not use for the statement', async () => {
    const m = await measureIndex(sandbox, 'CREATE INDEX orders_total_idx ON public.orders (total)', [
      { query: 'select id from orders where customer_id = $1', values: ['7'] },
    ], { runs: 3 });
    expect(m.statements[0]!.usesIndex).toBe(false);
    // Rejected as unused (or, on a machine that slowed down between the runs, as slower: the same
    // plan twice proves nothing either way).
    expect(verdictOf(m).state).toBe('rejected');
    expect(await exists('public.orders_total_idx')).toBe(false);
  });

  it('gives an index on an expression its statistics before judging it', async () => {
    // An expression gets statistics of its own only from an ANALYZE after its index exists: the
    // measurement runs one for an expression index (and only for one), before the runs after.
    const analyses = async () => Number((await sandbox.query(`select pg_stat_get_analyze_count('public.orders'::regclass) as n`)).rows[0].n);
    const before = await analyses();
    const plain = await measureIndex(sandbox, 'CREATE INDEX orders_scattered_idx ON public.orders (scattered)', [
      { query: 'select total from orders where scattered > $1', values: ['199995'] },
    ], { runs: 1 });
    expect(plain.error).toBeUndefined();
    expect(await analyses()).toBe(before);
    const m = await measureIndex(sandbox, 'CREATE INDEX orders_double_scattered_idx ON public.orders ((scattered * 2))', [
      { query: 'select total from orders where scattered * 2 > $1', values: ['399990'] },
    ], { runs: 3 });
    expect(m.error).toBeUndefined();
    expect(await analyses()).toBe(before + 1);
    expect(m.statements[0]!.usesIndex).toBe(true);
    expect(await exists('public.orders_double_scattered_idx')).toBe(false);
  });

  it('sees a partitioned table\'s index used when the plan names the partitions\' own indexes', async () => {
    await sandbox.query(`
      create table public.events (id bigint not null, customer_id int not null, at date not null) partition by range (at);
      create table public.events_2025 partition of public.events for values from ('2025-01-01') to ('2026-01-01');
      create table public.events_2026 partition of public.events for values from ('2026-01-01') to ('2027-01-01');
      insert into public.events select g, g % 5000, date '2025-01-01' + (g % 700) from generate_series(1, 100000) g;
      analyze public.events;`);
    const m = await measureIndex(sandbox, 'CREATE INDEX events_customer_id_idx ON public.events (customer_id)', [
      { query: 'select id from events where customer_id = $1', values: ['42'] },
    ], { runs: 3 });
    expect(m.error).toBeUndefined();
    expect(m.statements[0]!.usesIndex).toBe(true);
    expect(await exists('public.events_customer_id_idx')).toBe(false);
    // Dropping the parent's index dropped the partitions' too.
    expect((await sandbox.query(`select count(*)::int as n from pg_indexes where tablename like 'events%'`)).rows[0].n).toBe(0);
  });

  it('never runs a writing statement, and says why the index stays unproven', async () => {
    const m = await measureIndex(sandbox, 'CREATE INDEX audit_id_idx ON public.audit (id)', [{ query: "insert into audit values (1, 'x')" }], { runs: 2 });
    expect(m.statements[0]!.error).toMatch(/not provably read-only/);
    expect(verdictOf(m)).toMatchObject({ state: 'inconclusive', reason: expect.stringContaining('no statement could be measured') });
    expect((await sandbox.query('select count(*)::int as n from audit')).rows[0].n).toBe(0);
    expect(await exists('public.audit_id_idx')).toBe(false);
  });

  it('is inconclusive when the index cannot be built', async () => {
    const m = await measureIndex(sandbox, 'CREATE INDEX orders_nope_idx ON public.orders (nope)', [{ query: 'select 1 from orders where id = 1' }], { runs: 1 });
    expect(m.error).toMatch(/building the index: .*nope/);
    expect(verdictOf(m).state).toBe('inconclusive');
  });

  it('judges noise by the spread of repeated runs, not by one timing', () => {
    const runs = (ms: number[], node = 'Seq Scan') => ({ ms, medianMs: [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!, minMs: Math.min(...ms), maxMs: Math.max(...ms), sharedHit: 0, sharedRead: 0, plan: { Plan: { 'Node Type': node } } });
    const measured = (before: number[], after: number[], usesIndex = true): IndexMeasurement => ({
      ddl: '',
      index: 'i',
      buildMs: 1,
      sizeBytes: 1,
      statements: [{ query: 'q', before: runs(before), after: runs(after), usesIndex }],
    });
    // 8 % faster: inside the noise threshold.
    expect(verdictOf(measured([10, 10, 10], [9.2, 9.2, 9.2])).state).toBe('rejected');
    // 15 % faster in the median, but no faster than the fastest run before: the runs overlap.
    expect(verdictOf(measured([8, 10, 12], [7, 8.5, 9])).state).toBe('rejected');
    // One stalled run after does not decide.
    expect(verdictOf(measured([10, 11, 12], [2, 2, 30])).state).toBe('validated');
    expect(verdictOf(measured([10, 11, 12], [2, 2, 3])).state).toBe('validated');
    // Another statement on the table slower beyond noise, with another plan, sinks it …
    const mixed = measured([10, 11, 12], [2, 2, 3]);
    mixed.statements.push({ query: 'other', before: runs([1, 1, 1.1]), after: runs([2, 2, 2], 'Bitmap Heap Scan'), usesIndex: false });
    expect(verdictOf(mixed)).toMatchObject({ state: 'rejected', reason: expect.stringContaining('slower') });
    // … but one planned the same way before and after was slowed by the machine, not the index.
    const busy = measured([10, 11, 12], [2, 2, 3]);
    busy.statements.push({ query: 'other', before: runs([1, 1, 1.1]), after: runs([2, 2, 2]), usesIndex: false });
    expect(verdictOf(busy).state).toBe('validated');
  });

  it('measures write overhead on a rolled-back copy, leaving the table and its indexes as they were', async () => {
    const before = (await sandbox.query(`select count(*)::int as n, (select count(*)::int from pg_indexes where tablename = 'orders') as indexes from orders`)).rows[0];
    const w = await writeOverhead(sandbox, 'CREATE INDEX CONCURRENTLY orders_customer_id_total_idx ON public.orders (customer_id) INCLUDE (total) WHERE total > 3', { rows: 5000 });
    expect(w.rows).toBe(5000);
    expect(w.msWithout).toBeGreaterThan(0);
    expect(w.msWith).toBeGreaterThan(0);
    expect(Number.isFinite(w.msPerRow)).toBe(true);
    const after = (await sandbox.query(`select count(*)::int as n, (select count(*)::int from pg_indexes where tablename = 'orders') as indexes from orders`)).rows[0];
    expect(after).toEqual(before);
    expect(await exists('pg_temp.optischema_probe')).toBe(false);
    // The session is usable (the transaction was rolled back, not left open).
    expect((await sandbox.query('select 1 as one')).rows[0].one).toBe(1);
  });

  it('refuses a statement that is not a CREATE INDEX naming its index on a schema-qualified table', async () => {
    await expect(writeOverhead(sandbox, 'drop table orders')).rejects.toThrow(/not a CREATE INDEX statement/);
    await expect(measureIndex(sandbox, 'CREATE INDEX ON orders (id)', [])).rejects.toThrow(/not a CREATE INDEX statement/);
    expect(await exists('public.orders')).toBe(true);
  });
});

