import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiDatabase, gql, seedTenant, startApi, type ApiDatabase, type RunningApi, type SeededTenant } from './support.ts';

/**
 * The web app's reads (migration 0015) through GraphQL, on a real database: totals and sparklines
 * over raw and hourly history, one statement's history and recommendations, and the same
 * tenant walls as every other read.
 */
describe('the web app API', () => {
  let db: ApiDatabase;
  let api: RunningApi;
  let mine: SeededTenant;
  let theirs: SeededTenant;

  async function history(tenant: SeededTenant, queryid: string, query: string, points: [ageMinutes: number, calls: number, ms: number][]) {
    await db.pool.query(
      `insert into optischema.query_texts (tenant_id, target_id, queryid, query, first_seen_at, last_seen_at) values ($1, $2, $3, $4, now(), now())`,
      [tenant.tenantId, tenant.targetId, queryid, query],
    );
    for (const [age, calls, ms] of points) {
      const { rows: [snap] } = await db.pool.query(
        `insert into optischema.snapshots (tenant_id, target_id, captured_at, statements, changed, resets) values ($1, $2, now() - make_interval(mins => $3), 1, 1, 0) returning id, captured_at`,
        [tenant.tenantId, tenant.targetId, age],
      );
      await db.pool.query(
        `insert into optischema.statement_history (tenant_id, target_id, snapshot_id, captured_at, dbid, userid, queryid, toplevel, calls, total_exec_time, rows,
           shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written, local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written, temp_blks_read, temp_blks_written)
         values ($1, $2, $3, $4, 1, 10, $5, true, $6, $7, $6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)`,
        [tenant.tenantId, tenant.targetId, snap.id, snap.captured_at, queryid, calls, ms],
      );
    }
  }

  beforeAll(async () => {
    db = await createApiDatabase();
    api = await startApi(db);
    mine = await seedTenant(db.pool, 'Mine');
    theirs = await seedTenant(db.pool, 'Theirs');
    // Two statements in the last hour (one in the first half, one in both halves), one of
    // OptiSchema's own, and an older hour that only the roll-up still holds.
    await history(mine, '101', 'select * from orders where customer_id = $1', [[50, 10, 400], [10, 10, 200]]);
    await history(mine, '102', 'select * from customers where email = $1', [[40, 5, 100]]);
    await history(mine, '103', 'select pg_temp.optischema_hypo_plans($1)', [[20, 1, 999]]);
    await db.pool.query(
      `insert into optischema.statement_hourly (tenant_id, target_id, hour, queryid, calls, total_exec_time, rows, shared_blks_hit, shared_blks_read, temp_blks_written)
       values ($1, $2, date_trunc('hour', now() - interval '5 hours'), 101, 100, 5000, 100, 0, 0, 0)`,
      [mine.tenantId, mine.targetId],
    );
    await history(theirs, '101', 'select * from orders where customer_id = $1', [[30, 7, 70]]);
    await db.pool.query(
      `update optischema.recommendations set evidence = jsonb_build_object('queries', jsonb_build_array(jsonb_build_object('queryid', '101', 'query', 'select …')))
       where id = $1`,
      [mine.recommendationIds[0]],
    );
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  const stats = (tenant: SeededTenant, since: object, targetId = tenant.targetId) =>
    gql(api.url, tenant.identity('viewer'), `query ($t: UUID!, $s: IntervalInput!) { queryStats(targetId: $t, since: $s, buckets: 2) { nodes { queryid query calls totalTimeMs sharePct sparkline openRecommendations } } }`, { t: targetId, s: since });

  it('sums each statement over the range, leaves OptiSchema out, and splits the range into slices', async () => {
    const response = await stats(mine, { hours: 1 });
    expect(response.errors).toBeUndefined();
    const nodes = response.data!.queryStats.nodes;
    expect(nodes.map((n: any) => n.queryid)).toEqual(['101', '102']);
    expect(nodes[0]).toMatchObject({ calls: '20', totalTimeMs: 600, sharePct: '85.71', sparkline: [400, 200], openRecommendations: 1 });
    expect(nodes[1]).toMatchObject({ calls: '5', totalTimeMs: 100, sparkline: [100, 0], openRecommendations: 0 });
  });

  it('reads the hourly roll-up for a range older than the raw history', async () => {
    const nodes = (await stats(mine, { hours: 12 })).data!.queryStats.nodes;
    expect(nodes[0]).toMatchObject({ queryid: '101', calls: '120', totalTimeMs: 5600 });
  });

  it('gives one statement its history and its recommendations', async () => {
    const response = await gql(api.url, mine.identity('viewer'), `query ($t: UUID!) {
      queryHistory(targetId: $t, queryid: "101", since: { hours: 24 }) { nodes { calls meanTimeMs } }
      recommendationsForQuery(targetId: $t, queryid: "101") { nodes { rowId } }
      queryTextByTargetIdAndQueryid(targetId: $t, queryid: "101") { query }
    }`, { t: mine.targetId });
    expect(response.errors).toBeUndefined();
    expect(response.data!.queryHistory.nodes).toEqual([{ calls: '100', meanTimeMs: 50 }, { calls: '10', meanTimeMs: 40 }, { calls: '10', meanTimeMs: 20 }]);
    expect(response.data!.recommendationsForQuery.nodes).toEqual([{ rowId: mine.recommendationIds[0] }]);
    expect(response.data!.queryTextByTargetIdAndQueryid.query).toMatch(/customer_id/);
  });

  it("shows nothing of another tenant's database, even when asked for it by id", async () => {
    const response = await stats(mine, { hours: 1 }, theirs.targetId);
    expect(response.errors).toBeUndefined();
    expect(response.data!.queryStats.nodes).toEqual([]);
    const overview = await gql(api.url, mine.identity('viewer'), '{ allTargetOverviews { nodes { targetId name } } whoami { role tenantName } }');
    expect(overview.data!.allTargetOverviews.nodes).toEqual([{ targetId: mine.targetId, name: 'Mine target' }]);
    expect(overview.data!.whoami).toEqual({ role: 'viewer', tenantName: 'Mine tenant' });
  });

  it('refuses a range, slice count or size out of bounds with one clear message', async () => {
    const response = await gql(api.url, mine.identity('viewer'), `query ($t: UUID!) { queryStats(targetId: $t, since: { hours: 1 }, buckets: 0) { nodes { queryid } } }`, { t: mine.targetId });
    expect(response.errors?.[0]?.message).toBe('buckets must be between 1 and 200, not 0');
  });

  it('lets only an admin change the thresholds, and checks them', async () => {
    const mutation = `mutation ($t: UUID!, $ms: Float) { setTargetThresholds(input: { targetId: $t, slowThresholdMs: $ms }) { result { slowThresholdMs } } }`;
    const byAnalyst = await gql(api.url, mine.identity('analyst'), mutation, { t: mine.targetId, ms: 250 });
    expect(byAnalyst.errors?.[0]?.message).toMatch(/permission denied for function set_target_thresholds/);
    const bad = await gql(api.url, mine.identity('admin'), mutation, { t: mine.targetId, ms: -1 });
    expect(bad.errors?.[0]?.message).toBe('slow_threshold_ms must be positive, not -1');
    const ok = await gql(api.url, mine.identity('admin'), mutation, { t: mine.targetId, ms: 250 });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.setTargetThresholds.result.slowThresholdMs).toBe(250);
    const foreign = await gql(api.url, mine.identity('admin'), mutation, { t: theirs.targetId, ms: 250 });
    expect(foreign.errors?.[0]?.message).toMatch(/^no database /);
  });
});
