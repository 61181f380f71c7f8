import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../sidecar/secrets/secret-box.ts';
import { makeTargetResolver } from '../../sidecar/worker/resolve-target.ts';
import { scheduleMissingRuns } from '../../sidecar/worker/schedule.ts';
import { startWorker, type CollectorWorker } from '../../sidecar/worker/start-worker.ts';
import type { AdviseWorkload } from '../../sidecar/worker/workload-advisor.ts';
import { quietLogger, waitFor } from '../collector/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const NEEDS_INDEX = 'select * from public.orders where customer_id = 42';
const INDEX_SQL = 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)';

interface AdviceRow {
  statement: string | null;
  rollback: string | null;
  table_name: string | null;
  cost_before: number | null;
  cost_after: number | null;
  improvement_pct: string | null;
  size_bytes: string | null;
  rationale: string;
}

/**
 * optischema.advise() and advise_workload() from psql-like SQL (a plain session running the
 * statement as a psql user would), with and without the sidecar's worker.
 */
describe('optischema.advise() from SQL', () => {
  let db: TestDatabase;
  let workerPool: pg.Pool;
  let worker: CollectorWorker | undefined;
  const workloadCalls: Parameters<AdviseWorkload>[1][] = [];
  // Stands in for sidecar/advisor/workload.ts (written in parallel): the SQL path is what is tested here.
  const fakeWorkloadAdvisor: AdviseWorkload = async (_db, options) => {
    workloadCalls.push(options);
    return {
      recommendations: [
        {
          sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON public.orders (status)',
          rollbackSql: 'DROP INDEX CONCURRENTLY IF EXISTS public.orders_status_idx',
          table: 'public.orders',
          costBefore: 100,
          costAfter: 40,
          improvementPct: 60,
          sizeBytes: 1000,
          rationale: 'workload stand-in',
          queries: [{ queryid: '7', query: 'select * from orders where status = $1', costBefore: 100, costAfter: 40, improvementPct: 60 }],
        },
      ],
      errors: [{ queryid: '8', query: 'select * from gone', error: 'relation "gone" does not exist' }],
    };
  };

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.pool.query(`
      create table public.orders (id bigint primary key, customer_id int, status text, total numeric);
      insert into public.orders select g, g % 1000, case when g % 2 = 0 then 'open' else 'paid' end, g % 500 from generate_series(1, 50000) g;
      analyze public.orders;`);
    workerPool = new pg.Pool({ connectionString: db.url, max: 8 });
    workerPool.on('error', () => undefined);
  });
  afterAll(async () => {
    await worker?.stop();
    await workerPool?.end();
    await db?.close();
  });

  /** One statement in a fresh session, as psql in autocommit mode runs it. */
  const psql = async <R extends pg.QueryResultRow = AdviceRow>(sql: string, params: unknown[] = []): Promise<R[]> => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<R>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  const advise = (query: string) => psql('select * from optischema.advise($1)', [query]);
  const requestCount = async () => (await db.pool.query('select count(*)::int as n from optischema.advice_requests')).rows[0].n as number;
  const startSidecar = async () => {
    worker = await startWorker({
      pool: workerPool,
      resolveTarget: makeTargetResolver(workerPool, new SecretBox(randomBytes(32))),
      concurrency: 2,
      logger: quietLogger,
      adviseWorkload: fakeWorkloadAdvisor,
    });
  };

  it('without a sidecar or plv8: one clear error at once, and nothing queued', async () => {
    const started = Date.now();
    const error = await advise(NEEDS_INDEX).then(() => null, (e: pg.DatabaseError) => e);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error).toMatchObject({ code: '55000', message: expect.stringMatching(/^no OptiSchema sidecar is running for database test_\w+/) });
    expect(error?.hint).toMatch(/npx optischema start --db/);
    expect(error?.hint).toMatch(/install plv8/);
    expect(await requestCount()).toBe(0);
    const workload = await psql('select * from optischema.advise_workload()').then(() => null, (e: pg.DatabaseError) => e);
    expect(workload).toMatchObject({ code: '55000' });
    expect(workload?.hint).not.toMatch(/plv8/);
  });

  it('with plv8 (optischema.engine_advise_query present) the engine answers in the call itself, no sidecar needed', async () => {
    // A stand-in with the plv8 function's signature (sql/plv8/engine.sql) and answer shape: no plv8 on this machine.
    await db.pool.query(`
      create function optischema.engine_advise_query(query text, options jsonb) returns jsonb language sql as $$
        select jsonb_build_object('recommendations', jsonb_build_array(jsonb_build_object(
          'sql', 'CREATE INDEX CONCURRENTLY t_a_idx ON public.t (a)', 'rollbackSql', 'DROP INDEX CONCURRENTLY IF EXISTS public.t_a_idx',
          'table', 'public.t', 'costBefore', 10, 'costAfter', 2, 'improvementPct', 80, 'sizeBytes', 8192,
          'rationale', 'asked: ' || query || ' with ' || options::text)),
          'errors', jsonb_build_array('one part failed'))
      $$`);
    try {
      const rows = await advise('select * from t where a = 1');
      expect(rows).toEqual([
        {
          statement: 'CREATE INDEX CONCURRENTLY t_a_idx ON public.t (a)',
          rollback: 'DROP INDEX CONCURRENTLY IF EXISTS public.t_a_idx',
          table_name: 'public.t',
          cost_before: 10,
          cost_after: 2,
          improvement_pct: '80',
          size_bytes: '8192',
          rationale: 'asked: select * from t where a = 1 with {}',
        },
        expect.objectContaining({ statement: null, rationale: 'error: one part failed' }),
      ]);
      expect(await requestCount()).toBe(0);
    } finally {
      await db.pool.query('drop function optischema.engine_advise_query(text, jsonb)');
    }
  });

  it('with the sidecar: the first call says queued, the sidecar answers and notifies, the next call returns the index', async () => {
    await startSidecar();
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const notified = new Promise<string>((resolve) => listener.on('notification', (n) => resolve(n.payload ?? '')));
    await listener.query('listen optischema_advice');
    try {
      const first = await advise(NEEDS_INDEX);
      expect(first).toEqual([
        {
          statement: null, rollback: null, table_name: null, cost_before: null, cost_after: null, improvement_pct: null, size_bytes: null,
          rationale: 'queued: the OptiSchema sidecar is advising on this query; run the same call again in a few seconds',
        },
      ]);
      const payload = JSON.parse(await notified);
      expect(payload).toMatchObject({ kind: 'query', recommendations: 1, errors: 0 });
    } finally {
      await listener.end();
    }
    const [answer, ...rest] = await advise(NEEDS_INDEX);
    expect(rest).toEqual([]);
    expect(answer).toMatchObject({
      statement: INDEX_SQL,
      rollback: 'DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_idx',
      table_name: 'public.orders',
    });
    expect(answer!.cost_after!).toBeLessThan(answer!.cost_before!);
    expect(Number(answer!.improvement_pct)).toBeGreaterThanOrEqual(20);
    expect(Number(answer!.size_bytes)).toBeGreaterThan(0);
    expect(answer!.rationale).toContain('customer_id');
  });

  it('a fresh answer is reused without new work; creating an index makes it stale, and the new answer says no index is needed', async () => {
    const { rows: [before] } = await db.pool.query(`select id, answered_at from optischema.advice_requests where query = $1`, [NEEDS_INDEX]);
    const again = await advise(NEEDS_INDEX);
    expect(again[0]!.statement).toBe(INDEX_SQL);
    const { rows: [after] } = await db.pool.query(`select answered_at from optischema.advice_requests where id = $1`, [before.id]);
    expect(after.answered_at).toEqual(before.answered_at);
    expect((await db.pool.query(`select 1 from graphile_worker.jobs where task_identifier = 'advise_request'`)).rows).toEqual([]);

    await db.pool.query('create index orders_customer_existing on public.orders (customer_id)');
    try {
      expect((await advise(NEEDS_INDEX))[0]!.rationale).toMatch(/^queued: /);
      const answered = await waitFor('the new answer', async () => {
        const rows = await advise(NEEDS_INDEX);
        return rows[0]!.rationale.startsWith('queued: ') ? null : rows;
      });
      expect(answered).toEqual([expect.objectContaining({ statement: null, rationale: expect.stringMatching(/^no index suggested: /) })]);
    } finally {
      await db.pool.query('drop index orders_customer_existing');
    }
  });

  it('a query the server refuses comes back as an error row', async () => {
    const query = 'select * from public.orders where no_such_column = 1';
    expect((await advise(query))[0]!.rationale).toMatch(/^queued: /);
    const rows = await waitFor('the answer', async () => {
      const r = await advise(query);
      return r[0]!.rationale.startsWith('queued: ') ? null : r;
    });
    expect(rows).toEqual([expect.objectContaining({ statement: null, rationale: expect.stringMatching(/^error: .*no_such_column/) })]);
  });

  it('advise_workload() queues, then answers with the queries each index serves, and stores its recommendations', async () => {
    const first = await psql<AdviceRow & { queries: unknown }>(`select * from optischema.advise_workload('2 hours', 5000000)`);
    expect(first).toEqual([expect.objectContaining({ statement: null, queries: null, rationale: expect.stringMatching(/^queued: .* this workload/) })]);
    const rows = await waitFor('the workload answer', async () => {
      const r = await psql<AdviceRow & { queries: { queryid: string }[] }>(`select * from optischema.advise_workload('2 hours', 5000000)`);
      return r[0]!.rationale.startsWith('queued: ') ? null : r;
    });
    expect(rows).toEqual([
      expect.objectContaining({
        statement: 'CREATE INDEX CONCURRENTLY orders_status_idx ON public.orders (status)',
        queries: [expect.objectContaining({ queryid: '7' })],
      }),
      expect.objectContaining({ statement: null, rationale: 'error: relation "gone" does not exist (query 8: select * from gone)' }),
    ]);
    // The statements come from OptiSchema's history of the local target.
    expect(workloadCalls).toEqual([
      // …planned only as roles the one who asked (this psql session's role) may act as.
      { since: '02:00:00', budgetBytes: 5000000, history: { db: workerPool, targetId: expect.any(String) }, requester: expect.stringMatching(/^\d+$/) },
    ]);
    const { rows: stored } = await db.pool.query(
      `select r.state, r.evidence -> 'sources' as sources from optischema.recommendations r
         join optischema.targets t on t.id = r.target_id and t.secret_ref = 'local'
        where r.statement like '%orders_status_idx%'`,
    );
    expect(stored).toEqual([{ state: 'proposed', sources: ['advise_workload'] }]);
  });

  it('the advise_query job (queued for a slow query) stores the recommendation with the query as evidence', async () => {
    const { rows: [local] } = await db.pool.query(`select optischema.local_target() as id`);
    // A literal text stands in for a collected one (the engine's $n support is being added in parallel).
    await db.pool.query(
      `insert into optischema.query_texts (tenant_id, target_id, queryid, query, first_seen_at, last_seen_at)
       select tenant_id, id, 4242, $2, now(), now() from optischema.targets where id = $1`,
      [local.id, NEEDS_INDEX],
    );
    await db.pool.query(`select graphile_worker.add_job('advise_query', json_build_object('target', $1::uuid, 'queryid', '4242'))`, [local.id]);
    const row = await waitFor('the stored recommendation', async () => {
      const { rows } = await db.pool.query(
        `select state, statement, table_name, cost_before, seen_count, evidence from optischema.recommendations
          where target_id = $1 and statement = $2`,
        [local.id, INDEX_SQL],
      );
      return rows[0];
    });
    expect(row).toMatchObject({ state: 'proposed', table_name: 'public.orders', seen_count: 1 });
    expect(row.cost_before).toBeGreaterThan(0);
    expect(row.evidence.queries).toEqual([expect.objectContaining({ queryid: '4242', query: NEEDS_INDEX, source: 'advise_query' })]);
    // The plan was captured too, as before.
    const { rows: plans } = await db.pool.query(`select kind from optischema.query_plans where target_id = $1 and queryid = 4242`, [local.id]);
    expect(plans.map((p) => p.kind)).toContain('generic');
  });

  it('the periodic advise_workload job stores what the workload advisor finds and comes back at the target interval', async () => {
    const { rows: [local] } = await db.pool.query(
      `update optischema.targets set workload_advice_interval_s = 7200 where secret_ref = 'local' returning id`,
    );
    const key = `advise_workload:${local.id}`;
    // The local target appeared after the worker started: schedule_targets (every minute, so on a
    // slow machine it may have run already) gives it its jobs; the workload one due at most 5
    // minutes later (history first). Run that now instead.
    await scheduleMissingRuns(db.pool);
    const { rows: [pending] } = await db.pool.query(`select extract(epoch from run_at - now()) as due_in_s from graphile_worker.jobs where key = $1`, [key]);
    expect(Number(pending.due_in_s)).toBeGreaterThan(0);
    expect(Number(pending.due_in_s)).toBeLessThanOrEqual(300);
    const calls = workloadCalls.length;
    await db.pool.query(`select graphile_worker.add_job('advise_workload', json_build_object('targetId', $1::uuid), job_key := $2, run_at := now())`, [local.id, key]);
    await waitFor('the workload run', async () => workloadCalls.length > calls);
    expect(workloadCalls.at(-1)).toEqual({ since: '7200 seconds', history: { db: workerPool, targetId: local.id } });
    // The task stores what the advisor returned after the advisor returns: wait for the row itself.
    const stored = await waitFor('the stored recommendation seen again', async () => {
      const { rows } = await db.pool.query(
        `select seen_count, evidence -> 'queries' -> 0 ->> 'source' as source from optischema.recommendations
          where target_id = $1 and statement like '%orders_status_idx%' and seen_count >= 2`,
        [local.id],
      );
      return rows[0];
    });
    expect(stored).toEqual({ seen_count: 2, source: 'advise_workload' });
    const next = await waitFor('the next run', async () => {
      const { rows } = await db.pool.query(
        `select extract(epoch from run_at - now()) as due_in_s from graphile_worker.jobs where key = $1 and locked_at is null and attempts = 0`,
        [key],
      );
      return rows[0] && Number(rows[0].due_in_s) > 1000 ? rows[0] : null;
    });
    expect(Number(next.due_in_s)).toBeGreaterThan(7000);
    expect(Number(next.due_in_s)).toBeLessThanOrEqual(7200);
  });

  it('a sidecar whose presence session is cut holds the lock again on a new one within seconds', async () => {
    const running = async () => (await psql<{ running: boolean }>('select optischema.sidecar_is_running() as running'))[0]!.running;
    expect(await running()).toBe(true);
    const { rows: [killed] } = await db.pool.query(
      `select pg_terminate_backend(pid) as done from pg_locks
        where locktype = 'advisory' and classid = 1330664787 and objid = 1 and objsubid = 2 and granted`,
    );
    expect(killed.done).toBe(true);
    await waitFor('the lock to go', async () => !(await running()), 5_000);
    await waitFor('the lock to come back', running, 15_000);
  });

  it('once the sidecar stops, a request it never answered and a new one both get the clear error', async () => {
    await worker!.stop();
    worker = undefined;
    expect((await psql<{ running: boolean }>('select optischema.sidecar_is_running() as running'))[0]!.running).toBe(false);
    // A queued request left behind by a sidecar that went away.
    await db.pool.query(
      `insert into optischema.advice_requests (tenant_id, target_id, kind, query, request_key, state, requested_at)
       select tenant_id, id, 'query', 'select 1', md5('query' || E'\\n' || 'select 1' || E'\\n' || E'\\n'), 'queued', now() from optischema.targets where secret_ref = 'local'`,
    );
    await expect(advise('select 1')).rejects.toMatchObject({ code: '55000' });
    await expect(advise('select * from public.orders where customer_id = 7')).rejects.toMatchObject({ code: '55000' });
    // An answer already given stays readable without a sidecar while it is fresh.
    expect((await advise('select * from public.orders where no_such_column = 1'))[0]!.rationale).toMatch(/^error: /);
  });
});
