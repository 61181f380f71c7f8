/**
 * How fast the overview's data arrives (issue 12 §6): a state database seeded with `--targets`
 * databases of `--statements` statements each (an hour of one-minute snapshots, a fifth of the
 * statements changing in each), then the overview's own GraphQL operations — the same documents
 * the page sends, all at once as the page does — `--rounds` times over HTTP. Reports p50/p95 of the
 * whole page's data and of each operation. Target: p95 ≤ 200 ms at 100 × 5,000.
 *
 * Then the overview itself in Chromium, on the same state: the top-statements list with its 1,000
 * rows is scrolled from top to bottom a step per frame, and the frame intervals measured, beside the
 * same scroll of a list of 20 rows (the ratio says what the thousand cost), with the rows in the DOM.
 *
 *   node bench/overview-api.ts [--targets 100] [--statements 5000] [--rounds 60] [--json]
 */
import { parseArgs } from 'node:util';
import { print } from 'postgraphile/graphql';
import { createApiMount } from '../sidecar/api/mount.ts';
import { slimAuthenticator } from '../sidecar/auth/authenticator.ts';
import { runMigrations } from '../sidecar/cli/commands/migrate.ts';
import { apiDatabaseUrl } from '../sidecar/database/api-role.ts';
import { openPool } from '../sidecar/database/connection.ts';
import { SecretBox } from '../sidecar/secrets/secret-box.ts';
import { startHttpServer } from '../sidecar/server/http-server.ts';
import { startStatus } from '../sidecar/server/start-status.ts';
import { launchBrowser } from '../test/support/browser.ts';
import { ensureLocalAdmin } from '../sidecar/tenancy/local-admin.ts';
import { privateCluster } from '../test/support/cluster.ts';
import { ALL_ROWS, FIRST_ROWS, QueryStats, SlowQueries, TargetRecommendations } from '../ui/src/pages/overview/overview-queries.ts';

process.env.GRAPHILE_ENV ??= 'production';
const { values } = parseArgs({
  options: { targets: { type: 'string', default: '100' }, statements: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '60' }, json: { type: 'boolean', default: false } },
});
const TARGETS = Number(values.targets);
const STATEMENTS = Number(values.statements);
const ROUNDS = Number(values.rounds);
const SNAPSHOTS = 60;
const CHANGED = Math.round(STATEMENTS / 5);

const server = await privateCluster();
const log = (line: string) => !values.json && console.log(line);
try {
  await runMigrations(server.url);
  const pool = await openPool(server.url, { max: 4, statementTimeoutMs: 0 });
  const identity = await ensureLocalAdmin(pool);
  const seedStarted = performance.now();
  // One statement per target at a time keeps each transaction small; all in SQL, no round trips per row.
  const { rows: targets } = await pool.query<{ id: string }>(
    `insert into optischema.targets (tenant_id, name, secret_ref, status)
     select $1, 'db ' || lpad(n::text, 3, '0'), 'env:BENCH_DB_' || n || '_URL', 'ok' from generate_series(1, $2) n returning id`,
    [identity.tenantId, TARGETS],
  );
  for (const { id } of targets) {
    await pool.query(
      `insert into optischema.query_texts (tenant_id, target_id, queryid, query, first_seen_at, last_seen_at)
       select $1, $2, q, 'select * from t' || (q % 300) || ' where c' || (q % 7) || ' = $1 and q = ' || q, now() - interval '1 day', now()
       from generate_series(1, $3) q`,
      [identity.tenantId, id, STATEMENTS],
    );
    await pool.query(
      `with s as (
         insert into optischema.snapshots (tenant_id, target_id, captured_at, interval_s, statements, changed, resets)
         select $1, $2, now() - make_interval(mins => m), 60, $3, $4, 0 from generate_series(1, $5) m returning id, captured_at
       )
       insert into optischema.statement_history (tenant_id, target_id, snapshot_id, captured_at, dbid, userid, queryid, toplevel, calls,
         total_exec_time, rows, shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written, local_blks_hit, local_blks_read,
         local_blks_dirtied, local_blks_written, temp_blks_read, temp_blks_written)
       select $1, $2, s.id, s.captured_at, 1, 10, q, true, 1 + (q % 50), (q % 97) * 1.5, q % 40, 100, q % 13, 0, 0, 0, 0, 0, 0, 0, 0
       from s cross join lateral (select (s.id * 7919 + k * 104729) % $3 + 1 as q from generate_series(1, $4) k) pick`,
      [identity.tenantId, id, STATEMENTS, CHANGED, SNAPSHOTS],
    );
    await pool.query(
      `insert into optischema.slow_queries_found (tenant_id, target_id, queryid, reason, mean_exec_ms, calls, first_found_at, last_found_at)
       select $1, $2, q, 'mean_time', 150 + q, 10, now() - interval '30 minutes', now() - make_interval(mins => q) from generate_series(1, 20) q`,
      [identity.tenantId, id],
    );
    await pool.query(
      `insert into optischema.recommendations (tenant_id, target_id, kind, title, statement, rollback_statement, rationale, improvement_pct, evidence)
       select $1, $2, 'index', 'Index on t' || n, 'create index on t' || n || ' (c)', 'drop index t' || n || '_c_idx', 'because', 10 + n,
              jsonb_build_object('queries', jsonb_build_array(jsonb_build_object('queryid', n::text)))
       from generate_series(1, 10) n`,
      [identity.tenantId, id],
    );
  }
  await pool.query('vacuum analyze');
  const { rows: [counts] } = await pool.query(`select (select count(*) from optischema.statement_history)::int as history, (select count(*) from optischema.query_texts)::int as texts`);
  log(`seeded ${TARGETS} databases × ${STATEMENTS} statements: ${counts.history} history rows, ${counts.texts} texts in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`);

  const api = await createApiMount({
    apiDatabaseUrl: await apiDatabaseUrl(pool, server.url),
    authenticator: slimAuthenticator(identity),
    systemPool: pool,
    secretBox: new SecretBox(Buffer.alloc(32)),
    dev: false,
  });
  const http = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    uiDir: new URL('../ui/dist/', import.meta.url).pathname,
    api: { status: () => startStatus(pool, server.url, false) },
    mounts: [api.mount],
  });
  const url = `${http.url.replace('localhost', '127.0.0.1')}/graphql`;
  const overviewTargets = `query OverviewTargets { allTargetOverviews(orderBy: [NAME_ASC]) { nodes { targetId name status statusMessage lastSnapshotAt statements slowQueries openRecommendations bestOpenGainPct appliedChanges } } }`;
  const target = targets[Math.floor(TARGETS / 2)]!.id;
  const operations: Record<string, { query: string; variables: object }> = {
    targets: { query: overviewTargets, variables: {} },
    queryStats: { query: print(QueryStats), variables: { targetId: target, since: { hours: 1 }, buckets: 30, top: FIRST_ROWS } },
    slowQueries: { query: print(SlowQueries), variables: { targetId: target } },
    recommendations: { query: print(TargetRecommendations), variables: { targetId: target } },
  };
  const timed = async (name: string) => {
    const t = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(operations[name]) });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
    return performance.now() - t;
  };
  const per: Record<string, number[]> = Object.fromEntries(Object.keys(operations).map((k) => [k, []]));
  const page: number[] = [];
  for (let round = -3; round < ROUNDS; round++) {
    const t = performance.now();
    const times = await Promise.all(Object.keys(operations).map(timed));
    // Three warm-up rounds: the first requests plan and cache each operation.
    if (round < 0) continue;
    page.push(performance.now() - t);
    Object.keys(operations).forEach((k, i) => per[k]!.push(times[i]!));
  }
  // The rest of the list, which the page asks for once the first screenful is shown.
  const wholeList: number[] = [];
  const all = { query: print(QueryStats), variables: { targetId: target, since: { hours: 1 }, buckets: 30, top: ALL_ROWS } };
  for (let round = 0; round < Math.min(ROUNDS, 30); round++) {
    const t = performance.now();
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(all) }).then((r) => r.json());
    wholeList.push(performance.now() - t);
  }
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
  const scrolling = await measureScrolling(http.url, target);
  const result = {
    scrolling,
    targets: TARGETS,
    statements: STATEMENTS,
    historyRows: counts.history,
    rounds: ROUNDS,
    pageMs: { p50: pct(page, 50), p95: pct(page, 95) },
    wholeListMs: { rows: ALL_ROWS, p50: pct(wholeList, 50), p95: pct(wholeList, 95) },
    operationsMs: Object.fromEntries(Object.entries(per).map(([k, xs]) => [k, { p50: pct(xs, 50), p95: pct(xs, 95) }])),
    targetP95Ms: 200,
  };
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else {
    log(`the whole list (${ALL_ROWS} statements), asked for after the first screen: p50 ${result.wholeListMs.p50.toFixed(1)} ms, p95 ${result.wholeListMs.p95.toFixed(1)} ms`);
    log(`overview data (first ${FIRST_ROWS} statements), ${ROUNDS} rounds: p50 ${result.pageMs.p50.toFixed(1)} ms, p95 ${result.pageMs.p95.toFixed(1)} ms (target p95 ≤ 200 ms)`);
    for (const [k, v] of Object.entries(result.operationsMs)) log(`  ${k.padEnd(16)} p50 ${v.p50.toFixed(1).padStart(7)} ms   p95 ${v.p95.toFixed(1).padStart(7)} ms`);
    for (const [k, v] of Object.entries(scrolling)) log(`scrolling the list of ${k}: ${v.rows} rows, at most ${v.domRows} in the DOM; frame p50 ${v.frameP50Ms.toFixed(1)} ms, p95 ${v.frameP95Ms.toFixed(1)} ms, longest ${v.frameMaxMs.toFixed(1)} ms over ${v.frames} frames`);
  }
  await http.close();
  await api.release();

  /** Scrolls the overview's statement list a step per frame, in one browser, for two lists. */
  async function measureScrolling(base: string, big: string) {
    // A database with only 20 statements, for the side-by-side figure.
    const small = (await pool.query<{ id: string }>(
      `insert into optischema.targets (tenant_id, name, secret_ref, status) values ($1, 'db small', 'env:BENCH_SMALL_URL', 'ok') returning id`, [identity.tenantId])).rows[0]!;
    await pool.query(`insert into optischema.query_texts (tenant_id, target_id, queryid, query, first_seen_at, last_seen_at)
      select $1, $2, q, 'select * from small where q = ' || q, now(), now() from generate_series(1, 20) q`, [identity.tenantId, small.id]);
    await pool.query(`with s as (insert into optischema.snapshots (tenant_id, target_id, captured_at, interval_s, statements, changed, resets)
        select $1, $2, now() - make_interval(mins => m), 60, 20, 20, 0 from generate_series(1, 10) m returning id, captured_at)
      insert into optischema.statement_history (tenant_id, target_id, snapshot_id, captured_at, dbid, userid, queryid, toplevel, calls, total_exec_time, rows,
        shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written, local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written, temp_blks_read, temp_blks_written)
      select $1, $2, s.id, s.captured_at, 1, 10, q, true, 1, q, 1, 0,0,0,0,0,0,0,0,0,0 from s cross join generate_series(1, 20) q`, [identity.tenantId, small.id]);
    const browser = await launchBrowser();
    try {
      const out: Record<string, { rows: number; domRows: number; frames: number; frameP50Ms: number; frameP95Ms: number; frameMaxMs: number }> = {};
      for (const [name, id] of [['1,000 statements', big], ['20 statements', small.id]] as const) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await page.goto(`${base}/?target=${id}`);
        await page.getByTestId('query-row').first().waitFor({ timeout: 60_000 });
        const measured = await page.evaluate(async () => {
          const box = document.querySelector('[data-testid="top-queries"]') as HTMLElement;
          const rows = Number(/(\d+) rows/.exec(box.getAttribute('aria-label') ?? '')?.[1] ?? 0);
          const intervals: number[] = [];
          let domRows = 0;
          let last = performance.now();
          // Enough steps to cross the whole list, or two seconds of frames for a short one.
          const steps = Math.max(120, Math.ceil(box.scrollHeight / 120));
          for (let i = 0; i < steps; i++) {
            box.scrollTop += 120;
            await new Promise((r) => requestAnimationFrame(() => r(null)));
            const now = performance.now();
            intervals.push(now - last);
            last = now;
            domRows = Math.max(domRows, box.querySelectorAll('[data-testid="query-row"]').length);
          }
          return { rows, domRows, intervals };
        });
        const sorted = [...measured.intervals].sort((a, b) => a - b);
        const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
        out[name] = { rows: measured.rows, domRows: measured.domRows, frames: sorted.length, frameP50Ms: at(0.5), frameP95Ms: at(0.95), frameMaxMs: sorted.at(-1)! };
        await page.close();
      }
      return out;
    } finally {
      await browser.close();
    }
  }
  await pool.end();
} finally {
  await server.close();
}
