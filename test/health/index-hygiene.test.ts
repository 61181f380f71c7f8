import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexHygieneAdvisorWith } from '../../sidecar/health/index-hygiene/advisor.ts';
import type { AdvisorResult, Finding } from '../../sidecar/health/finding.ts';
import { runHealth } from '../../sidecar/health/run-health.ts';
import { waitFor } from '../collector/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * Planted problems, each beside the case that looks like it and must not be flagged. Tables are
 * small: the size floor is lowered to 0 so they stand for large ones.
 */
const SCHEMA = `
  create extension if not exists pg_stat_statements;
  create schema shop;
  create table shop.countries (code text primary key, name text not null);
  insert into shop.countries values ('fr', 'France'), ('de', 'Germany');
  create table shop.customers (id int primary key, name text not null, country text references shop.countries (code));
  insert into shop.customers select g, 'c' || g, 'fr' from generate_series(1, 2000) g;
  create index customers_name_idx on shop.customers (name);
  create table shop.orders (id int primary key, customer_id int references shop.customers (id), status text, code int, note text, created date);
  insert into shop.orders select g, 1 + g % 1000, 's' || (g % 5), g, md5(g::text), date '2026-01-01' + g % 300 from generate_series(1, 2000) g;
  create index orders_note_idx on shop.orders (note);
  create index orders_status_a_idx on shop.orders (status);
  create index orders_status_b_idx on shop.orders (status);
  create index orders_created_idx on shop.orders (created);
  create index orders_created_status_idx on shop.orders (created, status);
  create unique index orders_code_key on shop.orders (code);
  create index orders_code_status_idx on shop.orders (code, status);
  create table shop.order_items (id int primary key, order_id int not null references shop.orders (id), qty int);
  insert into shop.order_items select g, 1 + g % 2000, g % 7 from generate_series(1, 2000) g;
  create index order_items_order_id_idx on shop.order_items (order_id);
  create table shop."Order Lines" (id int primary key, "Qty" int);
  insert into shop."Order Lines" select g, g % 10 from generate_series(1, 500) g;
  create index "Idx_Qty" on shop."Order Lines" ("Qty");
  create table shop.events (id int, at date not null, kind text) partition by range (at);
  create table shop.events_2025 partition of shop.events for values from ('2025-01-01') to ('2026-01-01');
  create table shop.events_2026 partition of shop.events for values from ('2026-01-01') to ('2027-01-01');
  insert into shop.events select g, date '2025-06-01' + g % 400, 'k' || (g % 3) from generate_series(1, 2000) g;
  create index events_kind_idx on shop.events (kind);
  create index events_at_idx on shop.events (at);
  create table shop.visits (day date not null, customer_id int references shop.customers (id)) partition by range (day);
  create table shop.visits_2026 partition of shop.visits for values from ('2026-01-01') to ('2027-01-01');
  insert into shop.visits select date '2026-01-01' + g % 300, 1 + g % 1000 from generate_series(1, 1000) g;
  analyze;`;

describe('index hygiene advisor on planted problems', () => {
  let db: TestDatabase;
  let result: AdvisorResult;
  const byRule = (rule: string) => result.findings.filter((f) => f.rule === rule);
  const subjects = (rule: string) => byRule(rule).map((f) => f.subject).sort();
  const one = (rule: string, subject: string): Finding => {
    const found = result.findings.find((f) => f.rule === rule && f.subject === subject);
    expect(found, `${rule} ${subject}`).toBeDefined();
    return found!;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    // One session does all the writes, so one forced flush brings every count to the statistics.
    const worker = await db.pool.connect();
    await worker.query(SCHEMA);
    // A failed CREATE UNIQUE INDEX CONCURRENTLY (duplicate statuses) leaves an INVALID index; it
    // cannot run in a transaction, so it gets a session of its own.
    const failing = await db.pool.connect();
    await expect(failing.query('create unique index concurrently orders_status_uniq on shop.orders (status)')).rejects.toThrow(/could not create unique index/);
    failing.release();

    try {
      // The parent of the unindexed foreign key orders.customer_id is deleted from (a customer without orders).
      await worker.query('delete from shop.customers where id = 2000');
      // Two used indexes: a plain one, and a partitioned one whose scans happen on the partitions' indexes.
      await worker.query('set enable_seqscan = off');
      await worker.query(`select * from shop.customers where name = 'c5'`);
      await worker.query(`select * from shop.events where at = date '2025-07-01'`);
      await worker.query('reset enable_seqscan');
      await worker.query('select pg_stat_force_next_flush()');
    } finally {
      worker.release();
    }
    await waitFor('the delete and the index scans to reach the statistics', async () => {
      const { rows } = await db.pool.query<{ deleted: string; inserted: string; scans: string }>(
        `select (select n_tup_del from pg_stat_user_tables where relid = 'shop.customers'::regclass)::text as deleted,
                (select n_tup_ins from pg_stat_user_tables where relid = 'shop.orders'::regclass)::text as inserted,
                (select coalesce(sum(idx_scan), 0) from pg_stat_user_indexes where indexrelname in ('customers_name_idx', 'events_2025_at_idx'))::text as scans`,
      );
      return Number(rows[0]!.deleted) >= 1 && Number(rows[0]!.inserted) >= 2000 && Number(rows[0]!.scans) >= 2;
    });
    result = await indexHygieneAdvisorWith({ minUnusedBytes: 0 }).run({ target: db.pool });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('finds the invalid index left by a failed concurrent build, and judges it by no other rule', () => {
    expect(subjects('invalid_index')).toEqual(['shop.orders_status_uniq']);
    const f = one('invalid_index', 'shop.orders_status_uniq');
    expect(f).toMatchObject({ risk: 'low', table: 'shop.orders', sql: 'DROP INDEX CONCURRENTLY IF EXISTS shop.orders_status_uniq;' });
    expect(f.rollbackSql).toBe('CREATE UNIQUE INDEX CONCURRENTLY orders_status_uniq ON shop.orders USING btree (status);');
    expect(result.findings.filter((x) => x.subject === 'shop.orders_status_uniq')).toHaveLength(1);
  });

  it('finds the duplicate pair and keeps the first by name', () => {
    expect(subjects('duplicate_index')).toEqual(['shop.orders_status_b_idx']);
    const f = one('duplicate_index', 'shop.orders_status_b_idx');
    expect(f.risk).toBe('low');
    expect(f.evidence.keptIndex).toBe('shop.orders_status_a_idx');
  });

  it('finds the prefix-redundant index, never a unique one', () => {
    expect(subjects('redundant_index')).toEqual(['shop.orders_created_idx']);
    const f = one('redundant_index', 'shop.orders_created_idx');
    expect(f).toMatchObject({ risk: 'medium', evidence: { keptIndex: 'shop.orders_created_status_idx' } });
    expect(f.rationale).toMatch(/much larger/);
    expect(subjects('redundant_index')).not.toContain('shop.orders_code_key');
  });

  it('finds the unused indexes, quoted names and the partitioned parent included, and spares the used, FK-backing and enforcing ones', () => {
    const unused = subjects('unused_index');
    expect(unused).toEqual(expect.arrayContaining(['shop.orders_note_idx', 'shop.Idx_Qty', 'shop.events_kind_idx']));
    for (const spared of ['shop.customers_name_idx', 'shop.events_at_idx', 'shop.order_items_order_id_idx', 'shop.orders_code_key', 'shop.customers_pkey', 'shop.orders_status_uniq', 'shop.orders_status_b_idx', 'shop.orders_created_idx']) {
      expect(unused, spared).not.toContain(spared);
    }
    // A partition's attached index is never a subject of its own.
    expect(result.findings.filter((f) => /events_20\d\d_/.test(f.subject))).toEqual([]);

    const note = one('unused_index', 'shop.orders_note_idx');
    expect(note).toMatchObject({ risk: 'medium', table: 'shop.orders', sql: 'DROP INDEX CONCURRENTLY IF EXISTS shop.orders_note_idx;' });
    expect(note.rollbackSql).toBe('CREATE INDEX CONCURRENTLY orders_note_idx ON shop.orders USING btree (note);');
    expect(note.evidence).toMatchObject({ scans: 0, statsReset: null, tableWritesSinceReset: 2000 });
    expect(note.evidence.sizeBytes).toBeGreaterThan(0);
    expect(note.rationale).toMatch(/no scans since the statistics began/);
    expect(note.rationale).toMatch(/month-end report/);

    const quoted = one('unused_index', 'shop.Idx_Qty');
    expect(quoted).toMatchObject({ table: 'shop.Order Lines', sql: 'DROP INDEX CONCURRENTLY IF EXISTS shop."Idx_Qty";' });
    expect(quoted.rollbackSql).toBe('CREATE INDEX CONCURRENTLY "Idx_Qty" ON shop."Order Lines" USING btree ("Qty");');

    const parent = one('unused_index', 'shop.events_kind_idx');
    expect(parent).toMatchObject({ risk: 'high', sql: 'DROP INDEX IF EXISTS shop.events_kind_idx;' });
    expect(parent.rollbackSql).toBe('CREATE INDEX events_kind_idx ON shop.events USING btree (kind);');
  });

  it('finds the unindexed foreign keys whose parent is deleted from, and not the lookup table\'s', () => {
    expect(subjects('missing_fk_index')).toEqual(['shop.orders(customer_id)', 'shop.visits(customer_id)']);
    // A partitioned table's index cannot be built concurrently.
    expect(one('missing_fk_index', 'shop.visits(customer_id)')).toMatchObject({
      risk: 'medium',
      sql: 'CREATE INDEX visits_customer_id_idx ON shop.visits (customer_id);',
      rollbackSql: 'DROP INDEX IF EXISTS shop.visits_customer_id_idx;',
    });
    const f = one('missing_fk_index', 'shop.orders(customer_id)');
    expect(f).toMatchObject({
      risk: 'low',
      table: 'shop.orders',
      sql: 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON shop.orders (customer_id);',
      rollbackSql: 'DROP INDEX CONCURRENTLY IF EXISTS shop.orders_customer_id_idx;',
      evidence: { referencedTable: 'shop.customers', parentDeletes: 1, workloadRead: true },
    });
    const statements = f.evidence.statements as { query: string }[];
    expect(statements.some((s) => /delete from shop\.customers/i.test(s.query))).toBe(true);
  });

  it('every drop round-trips: sql then rollbackSql gives back the same index', async () => {
    const drops = result.findings.filter((f) => f.rule !== 'missing_fk_index');
    expect(drops.length).toBeGreaterThanOrEqual(6);
    const client = await db.pool.connect();
    try {
      for (const f of drops) {
        const before = await definition(client, f.subject);
        expect(before, f.subject).not.toBeNull();
        await client.query(f.sql);
        expect(await definition(client, f.subject), `${f.subject} dropped`).toBeNull();
        // The invalid unique index cannot be built on duplicate values: the rebuild fails as the
        // original build did, and leaves the same invalid index behind.
        if (f.rule === 'invalid_index') await expect(client.query(f.rollbackSql!)).rejects.toThrow(/could not create unique index/);
        else await client.query(f.rollbackSql!);
        expect(await definition(client, f.subject), `${f.subject} rebuilt`).toEqual(before);
      }
    } finally {
      client.release();
    }
  });

  it('the missing foreign-key indexes build and roll back', async () => {
    for (const [subject, index] of [['shop.orders(customer_id)', 'shop.orders_customer_id_idx'], ['shop.visits(customer_id)', 'shop.visits_customer_id_idx']] as const) {
      const f = one('missing_fk_index', subject);
      await db.pool.query(f.sql);
      expect((await definition(db.pool, index))?.valid, index).toBe(true);
      await db.pool.query(f.rollbackSql!);
      expect(await definition(db.pool, index)).toBeNull();
    }
  });

  it('runs inside the health runner\'s READ ONLY transaction with the same findings', async () => {
    const client = await db.pool.connect();
    try {
      const report = await runHealth(client, { advisors: [indexHygieneAdvisorWith({ minUnusedBytes: 0 })] });
      expect(report.ran).toEqual(['index_hygiene']);
      expect(report.findings.map((f) => `${f.rule} ${f.subject}`).sort()).toEqual(result.findings.map((f) => `${f.rule} ${f.subject}`).sort());
    } finally {
      client.release();
    }
  });
});

describe('index hygiene advisor on a clean schema', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('raises nothing: keys, an indexed foreign key, a lookup table never deleted from, a used index', async () => {
    await db.pool.query(`
      create table public.kinds (id int primary key, label text);
      insert into public.kinds values (1, 'a'), (2, 'b');
      create table public.parents (id int primary key, "Label" text);
      insert into public.parents select g, 'p' || g from generate_series(1, 600) g;
      create table public.children (id int primary key, parent_id int references public.parents (id), kind_id int references public.kinds (id));
      create index children_parent_id_idx on public.children (parent_id);
      insert into public.children select g, 1 + g % 500, 1 + g % 2 from generate_series(1, 1000) g;
      create index "Parents_Label_idx" on public.parents ("Label");
      delete from public.parents where id = 600;
      analyze;`);
    const client = await db.pool.connect();
    try {
      await client.query('set enable_seqscan = off');
      await client.query(`select * from public.parents where "Label" = 'p7'`);
      await client.query('reset enable_seqscan');
      await client.query('select pg_stat_force_next_flush()');
    } finally {
      client.release();
    }
    await waitFor('the index scan to reach the statistics', async () => {
      const { rows } = await db.pool.query<{ scans: string }>(`select idx_scan::text as scans from pg_stat_user_indexes where indexrelname = 'Parents_Label_idx'`);
      return Number(rows[0]?.scans ?? 0) >= 1;
    });
    const result = await indexHygieneAdvisorWith({ minUnusedBytes: 0 }).run({ target: db.pool });
    expect(result.findings).toEqual([]);
    // No pg_stat_statements extension in this database: the advisor says so and goes on.
    expect(result.notes).toEqual(expect.arrayContaining([expect.stringMatching(/pg_stat_statements is not installed/)]));
  });

  it('counts a replica\'s scans: an index scanned only there is not unused', async () => {
    // A second session of the same database stands in for the replica; a fresh index has no scans anywhere yet.
    // (id, kind_id) serves no foreign key: only its scans can keep it.
    await db.pool.query('create index children_id_kind_idx on public.children (id, kind_id)');
    const primaryOnly = await indexHygieneAdvisorWith({ minUnusedBytes: 0 }).run({ target: db.pool });
    expect(primaryOnly.findings.map((f) => `${f.rule} ${f.subject}`)).toEqual(['unused_index public.children_id_kind_idx']);
    const replica = { query: async (text: string) => ({ rows: (await db.pool.query(text)).rows.map((r) => (r.index === 'children_id_kind_idx' ? { ...r, scans: 3 } : r)) }) };
    const withReplica = await indexHygieneAdvisorWith({ minUnusedBytes: 0 }).run({ target: db.pool, replicas: [{ name: 'standby1', db: replica as never }] });
    expect(withReplica.findings).toEqual([]);
    const unreadable = { query: async () => Promise.reject(new Error('connection refused')) };
    const blind = await indexHygieneAdvisorWith({ minUnusedBytes: 0 }).run({ target: db.pool, replicas: [{ name: 'standby1', db: unreadable }] });
    expect(blind.findings).toEqual([]);
    expect(blind.notes).toEqual(expect.arrayContaining([expect.stringMatching(/replica standby1 could not be read/)]));
  });
});

/** pg_get_indexdef and validity of `schema.index` (unquoted, as a finding's subject names it), or null when it is gone. */
async function definition(db: pg.Pool | pg.PoolClient, subject: string): Promise<{ def: string; valid: boolean; attached: number } | null> {
  const [schema, index] = [subject.slice(0, subject.indexOf('.')), subject.slice(subject.indexOf('.') + 1)];
  const { rows } = await db.query<{ def: string; valid: boolean; attached: number }>(
    `select pg_get_indexdef(i.indexrelid) as def, i.indisvalid as valid,
            (select count(*)::int from pg_inherits h where h.inhparent = i.indexrelid) as attached
     from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relname = $2`,
    [schema, index],
  );
  return rows[0] ?? null;
}
