import type { Queryable } from '../database/queryable.ts';

/**
 * What the loop is doing on this database's own target, for the start page (issue 12 §1: "the page
 * says what is happening while it waits"): when the next snapshot comes, how many slow queries,
 * recommendations by state, the sandbox and its progress, changes applied and measured.
 */
export async function loopStatus(db: Queryable) {
  const { rows } = await db.query<{
    next_snapshot_s: number | null;
    slow_queries: number;
    recommendations: Record<string, number>;
    sandbox: { state: string; strategy: string; progress: { phase: string; done: number; total: number } | null; error: string | null } | null;
    applied: number;
    realized: number;
  }>(
    `with t as (select id, snapshot_interval_s, last_snapshot_at from optischema.targets where secret_ref = 'local')
     select greatest(0, ceil(extract(epoch from coalesce(t.last_snapshot_at, now()) + make_interval(secs => t.snapshot_interval_s) - now())))::int as next_snapshot_s,
            (select count(*)::int from optischema.slow_queries_found f where f.target_id = t.id) as slow_queries,
            coalesce((select jsonb_object_agg(s.state, s.n) from (select r.state, count(*)::int as n from optischema.recommendations r where r.target_id = t.id group by r.state) s), '{}') as recommendations,
            (select jsonb_build_object('state', x.state, 'strategy', x.strategy, 'progress', x.progress, 'error', x.error) from optischema.sandboxes x where x.target_id = t.id) as sandbox,
            (select count(*)::int from optischema.changes c where c.target_id = t.id and c.rolled_back_at is null) as applied,
            (select count(*)::int from optischema.changes c where c.target_id = t.id and c.realized_at is not null) as realized
       from t`,
  );
  return rows[0] ?? null;
}

export type LoopStatus = Awaited<ReturnType<typeof loopStatus>>;
