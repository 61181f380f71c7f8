-- What the web app reads: who is asking, each database's health, the workload's statements over a
-- chosen range with a sparkline each, one statement's history, text, plans and recommendations,
-- the slow queries found, and the thresholds an admin sets. Views and functions of optischema_api,
-- all security invoker: row-level security answers for the tenant as for every other read.

-- OptiSchema's own planning helpers (pg_temp.optischema_*, made for each guarded session) and its
-- API's queries (optischema_api.*, on the local target: OptiSchema's own database) are
-- OptiSchema's statements too, not the application's: left out of the workload like the rest.
create or replace function optischema.is_application_statement(query text) returns boolean language sql immutable
  return query ~* '^\s*(with|select|insert|update|delete|merge|values|table)\M'
     and query !~* '"?(optischema|optischema_api|graphile_worker)"?\.|optischema_entries|pg_temp\.optischema_|^\s*select\s+set_config\(';

-- Whether each text is the application's, decided once when the text is stored rather than by two
-- case-insensitive regular expressions per statement on every read (5,000 of them cost ~25 ms).
-- A later change to is_application_statement must rewrite the column (update … set query = query).
alter table optischema.query_texts
  add column application boolean generated always as (optischema.is_application_statement(query)) stored;

-- Raw snapshot deltas and their hourly roll-ups as one series. apply_retention moves raw rows into
-- hours as it deletes them, so the two never count the same calls twice; a range older than the
-- raw retention is answered from hours.
create view optischema.statement_series with (security_invoker = true) as
  select h.tenant_id, h.target_id, h.queryid, h.captured_at, h.calls, h.total_exec_time, h.rows,
         h.shared_blks_hit, h.shared_blks_read, h.temp_blks_written
  from optischema.statement_history h
  union all
  select s.tenant_id, s.target_id, s.queryid, s.hour, s.calls, s.total_exec_time, s.rows,
         s.shared_blks_hit, s.shared_blks_read, s.temp_blks_written
  from optischema.statement_hourly s;
grant select on optischema.statement_series to optischema_viewer;

-- The caller: the page shows actions by this role (the API refuses them anyway).
create type optischema_api.whoami as (user_id uuid, email text, role text, tenant_id uuid, tenant_name text);
create function optischema_api.whoami() returns optischema_api.whoami
language sql stable set search_path = pg_catalog, pg_temp as $$
  select optischema.current_user_id(),
         (select u.email from optischema.users u where u.id = optischema.current_user_id()),
         optischema.current_app_role(), t.id, t.name
  from optischema.tenants t
  where t.id = optischema.current_tenant_id()
$$;
grant execute on function optischema_api.whoami() to optischema_viewer;
comment on function optischema_api.whoami() is 'The signed-in user or API key: email, role and tenant.';

-- Targets with their collection state and thresholds (still never their connection strings).
create or replace view optischema_api.targets with (security_invoker = true) as
  select id, name, created_at, last_check_at, last_check, sandbox_strategy, sandbox_sample_fraction, auto_validate,
         auto_apply, apply_window_start, apply_window_minutes,
         status, status_message, last_snapshot_at, snapshot_interval_s, slow_threshold_ms, slow_min_calls, keep_literal_samples
  from optischema.targets;

-- One row per database for the overview. Each count is an index range on one target.
create view optischema_api.target_overview with (security_invoker = true) as
  select t.id as target_id, t.name, t.status, t.status_message, t.last_snapshot_at, t.snapshot_interval_s,
         s.statements, s.captured_at as snapshot_at,
         (select count(*) from optischema.slow_queries_found f
           where f.target_id = t.id and f.last_found_at > now() - interval '24 hours')::int as slow_queries,
         (select count(*) from optischema.recommendations r
           where r.target_id = t.id and r.state in ('proposed', 'validating', 'validated', 'inconclusive', 'scheduled'))::int
           as open_recommendations,
         (select max(coalesce(r.measured_improvement_pct, r.improvement_pct)) from optischema.recommendations r
           where r.target_id = t.id and r.state in ('proposed', 'validating', 'validated', 'inconclusive', 'scheduled'))
           as best_open_gain_pct,
         (select count(*) from optischema.changes c where c.target_id = t.id and c.rolled_back_at is null)::int as applied_changes
  from optischema.targets t
  left join lateral (
    select n.statements, n.captured_at from optischema.snapshots n
    where n.target_id = t.id order by n.captured_at desc limit 1
  ) s on true;
grant select on optischema_api.target_overview to optischema_viewer;
comment on view optischema_api.target_overview is
  'Each database''s health: collection status, last snapshot, slow queries found in the last 24 hours, open recommendations and applied changes.';

-- The workload over a range: totals per statement, its share, and `buckets` equal slices of the
-- range (total execution time per slice) for a sparkline. Written so that no step depends on the
-- planner's row estimates, which row-level security's current_setting() filters make useless
-- (it then estimates one row everywhere, and a join it believes tiny runs once per row): one
-- aggregation per statement gives its totals and its slices together, the texts are index
-- lookups, and the slow-query and recommendation marks are read once into maps.
create function optischema_api.query_stats(target_id uuid, since interval default '1 hour', buckets int default 24,
                                           top int default 200)
returns table(queryid bigint, query text, calls bigint, total_time_ms double precision, mean_time_ms double precision,
              rows bigint, shared_blks_read bigint, temp_blks_written bigint, share_pct numeric,
              sparkline double precision[], slow_reason text, open_recommendations int)
language plpgsql stable set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  v_target uuid := query_stats.target_id;
  v_from timestamptz;
  v_slice_s double precision;
  v_slow jsonb;
  v_open jsonb;
begin
  if since is null or since <= interval '0' or since > interval '400 days' then
    raise exception 'since must be a positive interval of at most 400 days, not %', since using errcode = 'invalid_parameter_value';
  end if;
  if buckets is null or buckets not between 1 and 200 then
    raise exception 'buckets must be between 1 and 200, not %', buckets using errcode = 'invalid_parameter_value';
  end if;
  if top is null or top not between 1 and 5000 then
    raise exception 'top must be between 1 and 5000, not %', top using errcode = 'invalid_parameter_value';
  end if;
  v_from := now() - since;
  v_slice_s := extract(epoch from since) / buckets;
  -- The latest reason each statement was found slow, and how many open recommendations name it.
  select coalesce(jsonb_object_agg(f.queryid::text, f.reason), '{}') into v_slow
  from (select distinct on (f.queryid) f.queryid, f.reason from optischema.slow_queries_found f
        where f.target_id = v_target order by f.queryid, f.last_found_at desc) f;
  select coalesce(jsonb_object_agg(n.queryid, n.count), '{}') into v_open
  from (select q.value ->> 'queryid' as queryid, count(distinct r.id) as count
        from optischema.recommendations r, jsonb_array_elements(coalesce(r.evidence -> 'queries', '[]')) q
        where r.target_id = v_target and r.state in ('proposed', 'validating', 'validated', 'inconclusive', 'scheduled')
          and jsonb_typeof(r.evidence -> 'queries') = 'array' and q.value ->> 'queryid' is not null
        group by 1) n;
  return query
  with totals as materialized (
    -- Each statement's snapshots in one group: totals, and the (slice, time) pairs its sparkline sums.
    select s.queryid, sum(s.calls)::bigint as calls, sum(s.total_exec_time) as total_ms, sum(s.rows)::bigint as rows,
           sum(s.shared_blks_read)::bigint as read, sum(s.temp_blks_written)::bigint as temp,
           array_agg(least(buckets - 1, floor(extract(epoch from s.captured_at - v_from) / v_slice_s))::int) as slices,
           array_agg(s.total_exec_time) as slice_ms
    from optischema.statement_series s
    where s.target_id = v_target and s.captured_at > v_from
    group by s.queryid
  ), kept as materialized (
    select t.*, 100 * t.total_ms / nullif(sum(t.total_ms) over (), 0) as share
    -- The text as a scalar subquery: one index lookup per statement, never a join to plan.
    from (select t.*, (select qt.query from optischema.query_texts qt
                       where qt.target_id = v_target and qt.queryid = t.queryid and qt.application) as query
          from totals t) t
    where t.query is not null
    order by t.total_ms desc nulls last
    limit top
  )
  select k.queryid, k.query, k.calls, k.total_ms, k.total_ms / nullif(k.calls, 0), k.rows, k.read, k.temp,
         round(k.share::numeric, 2),
         array(select coalesce(sum(u.ms), 0) from generate_series(0, buckets - 1) g
               left join unnest(k.slices, k.slice_ms) u(slice, ms) on u.slice = g group by g order by g),
         v_slow ->> k.queryid::text,
         coalesce((v_open ->> k.queryid::text)::int, 0)
  from kept k
  order by k.total_ms desc nulls last;
end
$$;
grant execute on function optischema_api.query_stats(uuid, interval, int, int) to optischema_viewer;
comment on function optischema_api.query_stats(uuid, interval, int, int) is
  'The statements of a database over a range, by total execution time: calls, mean, rows, share of the total, a sparkline of `buckets` slices, whether it was found slow, open recommendations naming it.';

-- One statement over time: each snapshot's delta (or hour, past the raw retention).
create function optischema_api.query_history(target_id uuid, queryid bigint, since interval default '24 hours')
returns table(captured_at timestamptz, calls bigint, total_time_ms double precision, mean_time_ms double precision,
              rows bigint, shared_blks_hit bigint, shared_blks_read bigint, temp_blks_written bigint)
language sql stable set search_path = pg_catalog, pg_temp as $$
  select s.captured_at, sum(s.calls)::bigint, sum(s.total_exec_time), sum(s.total_exec_time) / nullif(sum(s.calls), 0),
         sum(s.rows)::bigint, sum(s.shared_blks_hit)::bigint, sum(s.shared_blks_read)::bigint, sum(s.temp_blks_written)::bigint
  from optischema.statement_series s
  where s.target_id = query_history.target_id and s.queryid = query_history.queryid
    and s.captured_at > now() - least(since, interval '400 days')
  group by s.captured_at
  order by s.captured_at
$$;
grant execute on function optischema_api.query_history(uuid, bigint, interval) to optischema_viewer;

create view optischema_api.query_texts with (security_invoker = true) as
  select target_id, queryid, query, first_seen_at, last_seen_at from optischema.query_texts;
grant select on optischema_api.query_texts to optischema_viewer;

-- Stored plans. Bound parameter values are literals a client sent: shown only where the target
-- keeps literal samples (the same switch as statement_samples).
create view optischema_api.query_plans with (security_invoker = true) as
  select p.id, p.target_id, p.queryid, p.captured_at, p.kind, p.plan_hash, p.plan,
         case when t.keep_literal_samples then p.parameters end as parameters
  from optischema.query_plans p
  join optischema.targets t on t.id = p.target_id;
grant select on optischema_api.query_plans to optischema_viewer;

create view optischema_api.slow_queries with (security_invoker = true) as
  select f.id, f.target_id, f.queryid, q.query, f.reason, f.mean_exec_ms, f.calls, f.first_found_at, f.last_found_at
  from optischema.slow_queries_found f
  left join optischema.query_texts q on q.target_id = f.target_id and q.queryid = f.queryid;
grant select on optischema_api.slow_queries to optischema_viewer;

-- The recommendations whose evidence names this statement.
create function optischema_api.recommendations_for_query(target_id uuid, queryid bigint)
returns setof optischema_api.recommendations
language sql stable set search_path = pg_catalog, pg_temp as $$
  select r.* from optischema_api.recommendations r
  where r.target_id = recommendations_for_query.target_id
    and r.evidence -> 'queries' @> jsonb_build_array(jsonb_build_object('queryid', recommendations_for_query.queryid::text))
  order by r.created_at desc
$$;
grant execute on function optischema_api.recommendations_for_query(uuid, bigint) to optischema_viewer;

-- Admins tune when a statement counts as slow and how often snapshots are taken.
grant update (slow_threshold_ms, slow_min_calls, snapshot_interval_s) on optischema.targets to optischema_admin;
create function optischema_api.set_target_thresholds(target_id uuid, slow_threshold_ms double precision default null,
                                                     slow_min_calls int default null, snapshot_interval_s int default null)
returns optischema_api.targets
language plpgsql volatile set search_path = pg_catalog, pg_temp as $$
declare
  result optischema_api.targets;
begin
  perform optischema.require_role('admin');
  if slow_threshold_ms is not null and slow_threshold_ms <= 0 then
    raise exception 'slow_threshold_ms must be positive, not %', slow_threshold_ms using errcode = 'invalid_parameter_value';
  end if;
  if slow_min_calls is not null and slow_min_calls < 1 then
    raise exception 'slow_min_calls must be at least 1, not %', slow_min_calls using errcode = 'invalid_parameter_value';
  end if;
  if snapshot_interval_s is not null and snapshot_interval_s not between 1 and 86400 then
    raise exception 'snapshot_interval_s must be between 1 and 86400, not %', snapshot_interval_s using errcode = 'invalid_parameter_value';
  end if;
  update optischema.targets t set
    slow_threshold_ms = coalesce(set_target_thresholds.slow_threshold_ms, t.slow_threshold_ms),
    slow_min_calls = coalesce(set_target_thresholds.slow_min_calls, t.slow_min_calls),
    snapshot_interval_s = coalesce(set_target_thresholds.snapshot_interval_s, t.snapshot_interval_s)
  where t.id = set_target_thresholds.target_id;
  if not found then
    raise exception 'no database %', set_target_thresholds.target_id using errcode = 'no_data_found';
  end if;
  select * into result from optischema_api.targets v where v.id = set_target_thresholds.target_id;
  return result;
end
$$;
grant execute on function optischema_api.set_target_thresholds(uuid, double precision, int, int) to optischema_admin;
