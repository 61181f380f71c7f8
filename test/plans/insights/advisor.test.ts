import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { planInsightAdvisor } from '../../../sidecar/health/plan-insights/advisor.ts';
import { evidenceQueryOf } from '../../../sidecar/health/plan-insights/facts.ts';
import { runHealth } from '../../../sidecar/health/run-health.ts';
import { waitFor } from '../../collector/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

// The test database is both the monitored target (its tables, its pg_stat_user_tables) and
// OptiSchema's store (its captured plans); the superuser pool stands in for the sidecar's connection.
let db: TestDatabase;
let client: pg.PoolClient;
let tenantId: string;
let targetId: string;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
  client = await db.pool.connect();
  // In public explicitly: the migrated database's search_path starts with optischema, whose tables no advisor judges.
  await client.query('create table public.corr (a int primary key, b int, c int)');
  await client.query('insert into public.corr select g, g % 100, g % 100 from generate_series(1, 20000) g');
  await client.query('create table public.stale (id int, v int) with (autovacuum_enabled = false)');
  await client.query('insert into public.stale select g, g from generate_series(1, 500) g');
  // The inserts must reach the shared counters before ANALYZE resets n_mod_since_analyze, or they
  // would count as changes after it (a backend flushes its counts at most once a second).
  await countersReach({ corr: 20_000, stale: 500 }, 'n_tup_ins');
  await client.query('analyze public.corr');
  await client.query('analyze public.stale');
  await client.query('insert into public.stale select g, 5 from generate_series(501, 20000) g');
  await countersReach({ stale: 19_500 }, 'n_mod_since_analyze');
  tenantId = (await db.pool.query<{ id: string }>(`insert into optischema.tenants (name, slug) values ('Insights', 'insights') returning id`)).rows[0]!.id;
  targetId = (await db.pool.query<{ id: string }>(`insert into optischema.targets (tenant_id, name, secret_ref) values ($1, 'shop', 'env:SHOP_URL') returning id`, [tenantId])).rows[0]!.id;
});

afterAll(async () => {
  client?.release();
  await db?.close();
});

/** Waits until this session's writes show in pg_stat_user_tables (PostgreSQL 15: force the flush, then look). */
async function countersReach(tables: Record<string, number>, counter: 'n_tup_ins' | 'n_mod_since_analyze'): Promise<void> {
  await waitFor(`${counter} of ${Object.keys(tables).join(', ')}`, async () => {
    await client.query('select pg_stat_force_next_flush()');
    await client.query('select 1');
    const { rows } = await client.query<{ relname: string; n: number }>(`select relname, ${counter}::int as n from pg_stat_user_tables where schemaname = 'public'`);
    return Object.entries(tables).every(([table, n]) => (rows.find((r) => r.relname === table)?.n ?? 0) >= n);
  });
}

/** Runs the statement for real and stores its plan as the collector does (capture.ts: an array of one root). */
async function capture(queryid: string, query: string, options: { kind?: 'analyze' | 'generic'; ageDays?: number; settings?: Record<string, string> } = {}): Promise<void> {
  await client.query('begin');
  let plan: unknown;
  try {
    for (const [name, value] of Object.entries(options.settings ?? {})) await client.query('select set_config($1, $2, true)', [name, value]);
    const analyze = options.kind === 'generic' ? '' : 'analyze, buffers, ';
    plan = (await client.query(`explain (${analyze}verbose, format json) ${query}`)).rows[0]['QUERY PLAN'];
  } finally {
    await client.query('rollback');
  }
  await db.pool.query(
    `insert into optischema.query_plans (tenant_id, target_id, queryid, captured_at, kind, plan_hash, plan, parameters)
     values ($1, $2, $3, now() - make_interval(days => $4), $5, md5($6::text), $6::jsonb, $7::jsonb)`,
    [tenantId, targetId, queryid, options.ageDays ?? 0, options.kind ?? 'analyze', JSON.stringify(plan), JSON.stringify({ source: 'literal', values: [] })],
  );
  await db.pool.query(
    `insert into optischema.query_texts (tenant_id, target_id, queryid, query, first_seen_at, last_seen_at) values ($1, $2, $3, $4, now(), now())
     on conflict (target_id, queryid) do nothing`,
    [tenantId, targetId, queryid, query],
  );
}

async function run() {
  await client.query('begin read only');
  try {
    return await planInsightAdvisor.run({ target: client, store: { db: db.pool, targetId } });
  } finally {
    await client.query('rollback');
  }
}

describe('planInsightAdvisor', () => {
  test('without a store, or with no analyze plans, it finds nothing and says plans are needed', async () => {
    const unmonitored = await planInsightAdvisor.run({ target: client });
    expect(unmonitored.findings).toEqual([]);
    expect(unmonitored.notes.join('\n')).toMatch(/captured plans/);
    await capture('100', 'select * from corr where b = 1 and c = 1', { kind: 'generic' });
    const genericOnly = await run();
    expect(genericOnly.findings).toEqual([]);
    expect(genericOnly.notes.join('\n')).toMatch(/no EXPLAIN ANALYZE plan .* captured plans/);
  });

  test('finds the planted problems of captured plans, one finding per problem', async () => {
    await capture('201', 'select * from corr where b = 1 and c = 1');
    await capture('202', 'select * from stale where v = 5');
    await capture('203', 'select count(*) from stale where v = 5 and id > 0');
    await capture('204', 'select * from corr where a = 42');
    // Old: a week and a day ago, outside the window, although it spilled to disk.
    await capture('205', 'select a, b from corr order by b, a desc', { ageDays: 8, settings: { work_mem: '64kB' } });
    await capture('206', 'select a, b from corr order by b, a desc', { settings: { work_mem: '64kB' } });

    const { findings, notes } = await run();
    expect(notes).toEqual([]);

    const correlated = findings.filter((f) => f.rule === 'correlated_columns');
    expect(correlated).toHaveLength(1);
    expect(correlated[0]).toMatchObject({
      kind: 'plan_insight',
      subject: 'public.corr(b,c)',
      table: 'public.corr',
      sql: 'CREATE STATISTICS public.corr_b_c_stat (dependencies, mcv) ON b, c FROM public.corr;\nANALYZE public.corr;',
      rollbackSql: 'DROP STATISTICS IF EXISTS public.corr_b_c_stat;',
      risk: 'low',
      evidence: {
        queryid: '201',
        query: 'select * from corr where b = 1 and c = 1',
        path: [],
        plannedRows: 2,
        actualRows: 200,
        queryids: ['201'],
        // What the validation reruns (measured-statements.ts reads evidence.queries).
        queries: [{ queryid: '201', query: 'select * from corr where b = 1 and c = 1' }],
      },
    });

    // One stale table behind two queries: one finding that lists both.
    const stale = findings.filter((f) => f.rule === 'stale_statistics');
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ subject: 'public.stale', sql: 'ANALYZE public.stale;', rollbackSql: null, risk: 'low', table: 'public.stale' });
    expect((stale[0]!.evidence.queryids as string[]).sort()).toEqual(['202', '203']);
    expect(stale[0]!.evidence.nModSinceAnalyze).toBeGreaterThanOrEqual(19_500);

    const spill = findings.filter((f) => f.rule === 'disk_spill');
    expect(spill.map((f) => f.subject)).toEqual(['206:Sort']);
    expect(spill[0]).toMatchObject({ risk: 'medium', evidence: { setting: 'work_mem', queryid: '206' } });
    expect(spill[0]!.sql).toMatch(/^SET LOCAL work_mem = '\d+MB';$/);

    // A misestimate without a fix still becomes a finding, its SQL a comment saying what to do.
    const misestimate = findings.find((f) => f.rule === 'row_misestimate' && f.subject === '201:public.corr');
    expect(misestimate?.sql).toMatch(/^-- /);
    expect(misestimate?.rollbackSql).toBeNull();

    // The clean query and the old plan give nothing; the generic plan is never read.
    expect(findings.filter((f) => /^(100|204|205):/.test(f.subject) || (f.evidence.queryids as string[]).some((q) => ['100', '204', '205'].includes(q)))).toEqual([]);
    // kind + rule + subject identify a finding: no two alike.
    expect(new Set(findings.map((f) => `${f.rule} ${f.subject}`)).size).toBe(findings.length);
  });

  test('runs inside the health check\'s READ ONLY transaction', async () => {
    const report = await runHealth(client, { store: { db: db.pool, targetId }, advisors: [planInsightAdvisor] });
    expect(report.ran).toEqual(['plan_insight']);
    expect(report.findings.map((f) => f.rule)).toContain('correlated_columns');
  });
});

describe('evidenceQueryOf', () => {
  test('keeps the captured values as the one parameter set a validation reruns', () => {
    const row = { queryid: '7', captured_at: new Date(0), plan: null, parameters: { source: 'pg_qualstats', values: ['1', null] }, query: 'select * from t where a = $1 and b = $2' };
    expect(evidenceQueryOf(row)).toEqual({
      queryid: '7',
      query: 'select * from t where a = $1 and b = $2',
      parameters: { source: 'pg_qualstats', typing: 'as written', sets: [{ label: 'captured', weight: 1, values: ['1', null] }], why: 'the values the EXPLAIN ANALYZE plan was captured with (pg_qualstats)' },
    });
    expect(evidenceQueryOf({ ...row, query: null })).toBeNull();
  });
});
