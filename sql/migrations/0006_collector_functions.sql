-- Collection: reading a target's statistics views, and turning cumulative counters into history.
--
-- One implementation for every target. The read_* functions are plain SELECTs over the statistics
-- views: optischema.snapshot() runs them here, and for a remote target (one without OptiSchema's
-- schema) the sidecar runs the very same SELECT text, taken from pg_proc, on that target. Either
-- way the rows go to the record_* functions, which compute and store the deltas in this database.
-- Each read_* text starts with a comment naming it, so pg_stat_statements on the target shows
-- which statements are OptiSchema's (and is_application_statement leaves them out).
--
-- The recording functions write across tenants: they run as the role that installed OptiSchema
-- (or a superuser, or one with BYPASSRLS), never as an API role.

-- json, not jsonb: for thousands of rows json_agg is several times cheaper, and the rows are only
-- passed through to record_statements.
create function optischema.read_statements() returns json language sql stable as $$
  -- This database's statements only: pg_stat_statements covers the whole cluster, a target is one database.
  /* optischema.read_statements */ select coalesce(json_agg(s), '[]'::json) from pg_stat_statements(true) s
  where s.queryid is not null and s.dbid = (select oid from pg_database where datname = current_database())
$$;

create function optischema.read_statements_info() returns jsonb language sql stable as $$
  /* optischema.read_statements_info */ select to_jsonb(i) from pg_stat_statements_info i
$$;

create function optischema.read_tables() returns jsonb language sql stable as $$
  /* optischema.read_tables */ select coalesce(jsonb_agg(jsonb_build_object(
    'relid', t.relid, 'schema_name', t.schemaname, 'table_name', t.relname,
    'seq_scan', t.seq_scan, 'seq_tup_read', t.seq_tup_read, 'idx_scan', coalesce(t.idx_scan, 0),
    'n_tup_ins', t.n_tup_ins, 'n_tup_upd', t.n_tup_upd, 'n_tup_del', t.n_tup_del, 'n_tup_hot_upd', t.n_tup_hot_upd,
    'n_live_tup', t.n_live_tup, 'n_dead_tup', t.n_dead_tup,
    'last_vacuum', t.last_vacuum, 'last_autovacuum', t.last_autovacuum,
    'last_analyze', t.last_analyze, 'last_autoanalyze', t.last_autoanalyze,
    'table_bytes', pg_relation_size(t.relid), 'index_bytes', pg_indexes_size(t.relid),
    'toast_bytes', pg_total_relation_size(t.relid) - pg_relation_size(t.relid) - pg_indexes_size(t.relid))), '[]'::jsonb)
  from pg_stat_user_tables t
$$;

create function optischema.read_indexes() returns jsonb language sql stable as $$
  /* optischema.read_indexes */ select coalesce(jsonb_agg(jsonb_build_object(
    'indexrelid', i.indexrelid, 'schema_name', i.schemaname, 'table_name', i.relname, 'index_name', i.indexrelname,
    'idx_scan', i.idx_scan, 'idx_tup_read', i.idx_tup_read, 'index_bytes', pg_relation_size(i.indexrelid))), '[]'::jsonb)
  from pg_stat_user_indexes i
$$;

create function optischema.read_activity() returns jsonb language sql stable as $$
  /* optischema.read_activity */ select jsonb_build_object(
    'active', count(*) filter (where state = 'active'),
    'idle', count(*) filter (where state = 'idle'),
    'idle_in_transaction', count(*) filter (where state = 'idle in transaction'),
    'idle_in_transaction_aborted', count(*) filter (where state = 'idle in transaction (aborted)'),
    'waiting', coalesce((
      select jsonb_object_agg(w.event, w.n) from (
        select wait_event_type || ':' || wait_event as event, count(*) as n
        from pg_stat_activity
        where backend_type = 'client backend' and state = 'active' and wait_event is not null
        group by 1) w), '{}'::jsonb),
    'oldest_xact_age_s', extract(epoch from now() - min(xact_start)),
    'oldest_query_age_s', extract(epoch from now() - min(query_start) filter (where state = 'active')),
    'connections', count(*),
    'max_connections', current_setting('max_connections')::int)
  from pg_stat_activity
  where backend_type = 'client backend' and pid <> pg_backend_pid()
$$;

-- Whether a statement is an application's: not a utility command (BEGIN, SET, VACUUM…) and not
-- one of OptiSchema's own collection queries (which pg_stat_statements.track = all also records).
create function optischema.is_application_statement(query text) returns boolean language sql immutable as $$
  select query ~* '^\s*(with|select|insert|update|delete|merge|values|table)\M'
     -- optischema.x, "optischema".x, the recording's temp table, and per-request settings (the API's).
     and query !~* '"?optischema"?\.|optischema_entries|^\s*select\s+set_config\('
$$;

-- Delta of a cumulative counter; a counter that went down was reset: its current value is the delta.
create function optischema.counter_delta(cur numeric, prev numeric) returns numeric language sql immutable as $$
  select case when prev is null or cur is null then cur when cur >= prev then cur - prev else cur end
$$;

/*
 * Stores one snapshot of pg_stat_statements for a target, as deltas since the previous one (the
 * entries as read_statements() returns them, or NULL to read this database's view in place):
 * - the first snapshot of a target only sets the baseline (cumulative since the server's last
 *   reset is not an interval);
 * - an entry whose calls did not grow stores nothing;
 * - an entry whose counters went down was reset or evicted and re-entered: its current values are
 *   the delta, marked reset;
 * - an entry seen for the first time after the baseline counts whole.
 * Never resets pg_stat_statements: other tools read it.
 */
create function optischema.record_statements(
  p_target uuid, p_captured timestamptz, p_entries json, p_info jsonb default null
) returns bigint language plpgsql as $$
declare
  v_tenant uuid;
  v_previous timestamptz;
  v_previous_info record;
  v_snapshot bigint;
  v_dealloc bigint := (p_info ->> 'dealloc')::bigint;
  v_stats_reset timestamptz := (p_info ->> 'stats_reset')::timestamptz;
  v_statements int;
  v_changed int;
  v_resets int;
begin
  select t.tenant_id, t.last_snapshot_at into v_tenant, v_previous from optischema.targets t where t.id = p_target for update;
  if not found then
    raise exception 'no target %', p_target using errcode = 'no_data_found';
  end if;
  select s.dealloc, s.stats_reset into v_previous_info
    from optischema.snapshots s where s.target_id = p_target order by s.captured_at desc limit 1;

  insert into optischema.snapshots (tenant_id, target_id, captured_at, interval_s, statements, changed, resets,
                                    dealloc, dealloc_delta, stats_reset, stats_was_reset)
  values (v_tenant, p_target, p_captured, extract(epoch from p_captured - v_previous), 0, 0, 0,
          v_dealloc, optischema.counter_delta(v_dealloc, v_previous_info.dealloc),
          v_stats_reset, v_previous is not null and v_stats_reset is distinct from v_previous_info.stats_reset)
  returning id into v_snapshot;

  -- The incoming entries joined to their previous counters, for the three statements below.
  create temporary table if not exists optischema_entries (
    tenant_id uuid, target_id uuid, dbid oid, userid oid, queryid bigint, toplevel boolean, calls bigint,
    total_exec_time float8, total_plan_time float8, rows bigint, shared_blks_hit bigint, shared_blks_read bigint,
    shared_blks_dirtied bigint, shared_blks_written bigint, local_blks_hit bigint, local_blks_read bigint,
    local_blks_dirtied bigint, local_blks_written bigint, temp_blks_read bigint, temp_blks_written bigint,
    wal_bytes numeric, captured_at timestamptz, query text, min_exec_time float8, max_exec_time float8,
    prev_calls bigint, is_reset boolean
  ) on commit drop;
  truncate optischema_entries;

  -- Without p_entries the rows come straight from this database's pg_stat_statements: packing
  -- thousands of rows into JSON and unpacking them again cost most of a snapshot's time.
  with incoming as (
    select s.dbid, s.userid, s.queryid, s.toplevel, s.query, s.calls, s.total_exec_time, s.min_exec_time,
           s.max_exec_time, s.total_plan_time, s.rows, s.shared_blks_hit, s.shared_blks_read, s.shared_blks_dirtied,
           s.shared_blks_written, s.local_blks_hit, s.local_blks_read, s.local_blks_dirtied, s.local_blks_written,
           s.temp_blks_read, s.temp_blks_written, s.wal_bytes
    from pg_stat_statements(true) s
    where p_entries is null and s.queryid is not null and s.dbid = (select oid from pg_database where datname = current_database())
    union all
    select e.* from json_to_recordset(p_entries) as e(
      dbid oid, userid oid, queryid bigint, toplevel boolean, query text, calls bigint,
      total_exec_time float8, min_exec_time float8, max_exec_time float8, total_plan_time float8, rows bigint,
      shared_blks_hit bigint, shared_blks_read bigint, shared_blks_dirtied bigint, shared_blks_written bigint,
      local_blks_hit bigint, local_blks_read bigint, local_blks_dirtied bigint, local_blks_written bigint,
      temp_blks_read bigint, temp_blks_written bigint, wal_bytes numeric)
    where p_entries is not null and e.queryid is not null
  )
  insert into optischema_entries
  select v_tenant, p_target, i.dbid, i.userid, i.queryid, coalesce(i.toplevel, true), i.calls, i.total_exec_time,
         i.total_plan_time, i.rows, i.shared_blks_hit, i.shared_blks_read, i.shared_blks_dirtied, i.shared_blks_written,
         i.local_blks_hit, i.local_blks_read, i.local_blks_dirtied, i.local_blks_written, i.temp_blks_read,
         i.temp_blks_written, i.wal_bytes, p_captured, i.query, i.min_exec_time, i.max_exec_time, c.calls,
         c.calls is not null and (i.calls < c.calls or i.total_exec_time < c.total_exec_time)
  from incoming i
  left join optischema.statement_counters c
    on c.target_id = p_target and c.dbid = i.dbid and c.userid = i.userid and c.queryid = i.queryid
   and c.toplevel = coalesce(i.toplevel, true);

  get diagnostics v_statements = row_count;

  if v_previous is not null then
    insert into optischema.statement_history (
      tenant_id, target_id, snapshot_id, captured_at, dbid, userid, queryid, toplevel, calls, total_exec_time,
      min_exec_time, max_exec_time, total_plan_time, rows, shared_blks_hit, shared_blks_read, shared_blks_dirtied,
      shared_blks_written, local_blks_hit, local_blks_read, local_blks_dirtied, local_blks_written, temp_blks_read,
      temp_blks_written, wal_bytes, reset)
    select e.tenant_id, e.target_id, v_snapshot, p_captured, e.dbid, e.userid, e.queryid, e.toplevel,
           case when e.is_reset or e.prev_calls is null then e.calls else e.calls - c.calls end,
           case when e.is_reset or e.prev_calls is null then e.total_exec_time else e.total_exec_time - c.total_exec_time end,
           e.min_exec_time, e.max_exec_time,
           case when e.is_reset or e.prev_calls is null then e.total_plan_time else e.total_plan_time - c.total_plan_time end,
           case when e.is_reset or e.prev_calls is null then e.rows else optischema.counter_delta(e.rows, c.rows) end,
           optischema.counter_delta(e.shared_blks_hit, case when e.is_reset then null else c.shared_blks_hit end),
           optischema.counter_delta(e.shared_blks_read, case when e.is_reset then null else c.shared_blks_read end),
           optischema.counter_delta(e.shared_blks_dirtied, case when e.is_reset then null else c.shared_blks_dirtied end),
           optischema.counter_delta(e.shared_blks_written, case when e.is_reset then null else c.shared_blks_written end),
           optischema.counter_delta(e.local_blks_hit, case when e.is_reset then null else c.local_blks_hit end),
           optischema.counter_delta(e.local_blks_read, case when e.is_reset then null else c.local_blks_read end),
           optischema.counter_delta(e.local_blks_dirtied, case when e.is_reset then null else c.local_blks_dirtied end),
           optischema.counter_delta(e.local_blks_written, case when e.is_reset then null else c.local_blks_written end),
           optischema.counter_delta(e.temp_blks_read, case when e.is_reset then null else c.temp_blks_read end),
           optischema.counter_delta(e.temp_blks_written, case when e.is_reset then null else c.temp_blks_written end),
           optischema.counter_delta(e.wal_bytes, case when e.is_reset then null else c.wal_bytes end),
           e.is_reset
    from optischema_entries e
    left join optischema.statement_counters c
      on c.target_id = e.target_id and c.dbid = e.dbid and c.userid = e.userid and c.queryid = e.queryid and c.toplevel = e.toplevel
    where e.prev_calls is null or e.is_reset or e.calls > e.prev_calls;
    get diagnostics v_changed = row_count;
  else
    v_changed := 0;
  end if;
  select count(*) into v_resets from optischema_entries where is_reset;

  insert into optischema.query_texts (tenant_id, target_id, queryid, query, first_seen_at, last_seen_at)
  select distinct on (e.queryid) e.tenant_id, e.target_id, e.queryid, e.query, p_captured, p_captured
  from optischema_entries e
  where e.query is not null and (e.prev_calls is null or e.is_reset or e.calls > e.prev_calls)
  on conflict (target_id, queryid) do update set last_seen_at = excluded.last_seen_at;

  insert into optischema.statement_counters
  select tenant_id, target_id, dbid, userid, queryid, toplevel, calls, total_exec_time, total_plan_time, rows,
         shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written, local_blks_hit, local_blks_read,
         local_blks_dirtied, local_blks_written, temp_blks_read, temp_blks_written, wal_bytes, captured_at
  from optischema_entries e
  where e.prev_calls is null or e.is_reset or e.calls <> e.prev_calls
  on conflict (target_id, dbid, userid, queryid, toplevel) do update set
    calls = excluded.calls, total_exec_time = excluded.total_exec_time, total_plan_time = excluded.total_plan_time,
    rows = excluded.rows, shared_blks_hit = excluded.shared_blks_hit, shared_blks_read = excluded.shared_blks_read,
    shared_blks_dirtied = excluded.shared_blks_dirtied, shared_blks_written = excluded.shared_blks_written,
    local_blks_hit = excluded.local_blks_hit, local_blks_read = excluded.local_blks_read,
    local_blks_dirtied = excluded.local_blks_dirtied, local_blks_written = excluded.local_blks_written,
    temp_blks_read = excluded.temp_blks_read, temp_blks_written = excluded.temp_blks_written,
    wal_bytes = excluded.wal_bytes, captured_at = excluded.captured_at;

  update optischema.snapshots set statements = v_statements, changed = v_changed, resets = v_resets where id = v_snapshot;
  update optischema.targets set last_snapshot_at = p_captured, last_seen_at = p_captured, status = 'ok', status_message = null
   where id = p_target;
  return v_snapshot;
end
$$;

/*
 * Table and index statistics of one snapshot: counters as deltas since the previous snapshot (the
 * first one sets the baseline), sizes, live/dead tuples and vacuum times as read. Only relations
 * whose counters moved are stored.
 */
create function optischema.record_relations(p_snapshot bigint, p_tables jsonb, p_indexes jsonb)
returns void language plpgsql as $$
declare
  v_snapshot optischema.snapshots;
  v_counters constant text[] := array['seq_scan', 'seq_tup_read', 'idx_scan', 'n_tup_ins', 'n_tup_upd', 'n_tup_del', 'n_tup_hot_upd'];
begin
  select * into v_snapshot from optischema.snapshots where id = p_snapshot;
  insert into optischema.table_history (
    tenant_id, target_id, snapshot_id, captured_at, relid, schema_name, table_name, seq_scan, seq_tup_read, idx_scan,
    n_tup_ins, n_tup_upd, n_tup_del, n_tup_hot_upd, n_live_tup, n_dead_tup, last_vacuum, last_autovacuum,
    last_analyze, last_autoanalyze, table_bytes, index_bytes, toast_bytes)
  select v_snapshot.tenant_id, v_snapshot.target_id, p_snapshot, v_snapshot.captured_at, (t ->> 'relid')::oid,
         t ->> 'schema_name', t ->> 'table_name',
         optischema.counter_delta((t ->> 'seq_scan')::numeric, (c.counters ->> 'seq_scan')::numeric),
         optischema.counter_delta((t ->> 'seq_tup_read')::numeric, (c.counters ->> 'seq_tup_read')::numeric),
         optischema.counter_delta((t ->> 'idx_scan')::numeric, (c.counters ->> 'idx_scan')::numeric),
         optischema.counter_delta((t ->> 'n_tup_ins')::numeric, (c.counters ->> 'n_tup_ins')::numeric),
         optischema.counter_delta((t ->> 'n_tup_upd')::numeric, (c.counters ->> 'n_tup_upd')::numeric),
         optischema.counter_delta((t ->> 'n_tup_del')::numeric, (c.counters ->> 'n_tup_del')::numeric),
         optischema.counter_delta((t ->> 'n_tup_hot_upd')::numeric, (c.counters ->> 'n_tup_hot_upd')::numeric),
         (t ->> 'n_live_tup')::bigint, (t ->> 'n_dead_tup')::bigint,
         (t ->> 'last_vacuum')::timestamptz, (t ->> 'last_autovacuum')::timestamptz,
         (t ->> 'last_analyze')::timestamptz, (t ->> 'last_autoanalyze')::timestamptz,
         (t ->> 'table_bytes')::bigint, (t ->> 'index_bytes')::bigint, (t ->> 'toast_bytes')::bigint
  from jsonb_array_elements(p_tables) t
  join optischema.table_counters c on c.target_id = v_snapshot.target_id and c.relid = (t ->> 'relid')::oid
  where exists (select from unnest(v_counters) k where (t ->> k) is distinct from (c.counters ->> k));

  insert into optischema.table_counters (target_id, relid, counters)
  select v_snapshot.target_id, (t ->> 'relid')::oid, t from jsonb_array_elements(p_tables) t
  on conflict (target_id, relid) do update set counters = excluded.counters;

  insert into optischema.index_history (tenant_id, target_id, snapshot_id, captured_at, indexrelid, schema_name,
                                        table_name, index_name, idx_scan, idx_tup_read, index_bytes)
  select v_snapshot.tenant_id, v_snapshot.target_id, p_snapshot, v_snapshot.captured_at, (i ->> 'indexrelid')::oid,
         i ->> 'schema_name', i ->> 'table_name', i ->> 'index_name',
         optischema.counter_delta((i ->> 'idx_scan')::numeric, (c.counters ->> 'idx_scan')::numeric),
         optischema.counter_delta((i ->> 'idx_tup_read')::numeric, (c.counters ->> 'idx_tup_read')::numeric),
         (i ->> 'index_bytes')::bigint
  from jsonb_array_elements(p_indexes) i
  join optischema.index_counters c on c.target_id = v_snapshot.target_id and c.indexrelid = (i ->> 'indexrelid')::oid
  where (i ->> 'idx_scan') is distinct from (c.counters ->> 'idx_scan')
     or (i ->> 'idx_tup_read') is distinct from (c.counters ->> 'idx_tup_read');

  insert into optischema.index_counters (target_id, indexrelid, counters)
  select v_snapshot.target_id, (i ->> 'indexrelid')::oid, i from jsonb_array_elements(p_indexes) i
  on conflict (target_id, indexrelid) do update set counters = excluded.counters;
end
$$;

create function optischema.record_activity(p_target uuid, p_captured timestamptz, p_sample jsonb)
returns void language sql as $$
  insert into optischema.activity_samples (tenant_id, target_id, captured_at, active, idle, idle_in_transaction,
    idle_in_transaction_aborted, waiting, oldest_xact_age_s, oldest_query_age_s, connections, max_connections)
  select t.tenant_id, t.id, p_captured, (p_sample ->> 'active')::int, (p_sample ->> 'idle')::int,
         (p_sample ->> 'idle_in_transaction')::int, (p_sample ->> 'idle_in_transaction_aborted')::int,
         coalesce(p_sample -> 'waiting', '{}'::jsonb), (p_sample ->> 'oldest_xact_age_s')::float8,
         (p_sample ->> 'oldest_query_age_s')::float8, (p_sample ->> 'connections')::int, (p_sample ->> 'max_connections')::int
  from optischema.targets t where t.id = p_target
  on conflict (target_id, captured_at) do nothing
$$;

/*
 * Queries that are slow in a window: mean execution time at least the target's threshold with at
 * least its minimum number of calls, or among the ten with the most total time. Returns only the
 * ones newly slow (not found before for this target); each is announced on the tenant's event
 * channel and, when graphile-worker's schema is installed, queued for the analyzer.
 */
create function optischema.find_slow_queries(p_target uuid, p_since interval default '1 hour')
returns table (queryid bigint, reason text, mean_exec_ms double precision, calls bigint)
language plpgsql as $$
#variable_conflict use_column
declare
  v_target optischema.targets;
  v_found record;
begin
  select * into v_target from optischema.targets t where t.id = p_target;
  for v_found in
    with window_stats as (
      select h.queryid, sum(h.calls) as calls, sum(h.total_exec_time) as total_ms,
             sum(h.total_exec_time) / nullif(sum(h.calls), 0) as mean_ms
      from optischema.statement_history h
      join optischema.query_texts q on q.target_id = h.target_id and q.queryid = h.queryid
      where h.target_id = p_target and h.captured_at > now() - p_since
        and optischema.is_application_statement(q.query)
      group by h.queryid
    ), ranked as (
      select w.*, rank() over (order by w.total_ms desc) as total_rank from window_stats w where w.calls > 0
    ), slow as (
      select r.queryid, case when r.mean_ms >= v_target.slow_threshold_ms and r.calls >= v_target.slow_min_calls
                          then 'mean_time' else 'top_total_time' end as reason, r.mean_ms, r.calls
      from ranked r
      -- Top ten by total time only when that total reaches the threshold: an idle database's
      -- busiest query is not slow.
      where (r.mean_ms >= v_target.slow_threshold_ms and r.calls >= v_target.slow_min_calls)
         or (r.total_rank <= 10 and r.total_ms >= v_target.slow_threshold_ms)
    )
    insert into optischema.slow_queries_found as f (tenant_id, target_id, queryid, reason, mean_exec_ms, calls, first_found_at, last_found_at)
    select v_target.tenant_id, p_target, s.queryid, s.reason, s.mean_ms, s.calls, now(), now() from slow s
    on conflict (target_id, queryid) do update set last_found_at = now(), mean_exec_ms = excluded.mean_exec_ms,
      calls = excluded.calls, reason = excluded.reason
    returning f.queryid, f.reason, f.mean_exec_ms, f.calls, (f.first_found_at = f.last_found_at) as is_new
  loop
    continue when not v_found.is_new;
    perform optischema.publish_event(v_target.tenant_id, jsonb_build_object(
      'kind', 'slow_query', 'target', p_target, 'queryid', v_found.queryid::text, 'reason', v_found.reason,
      'meanExecMs', round(v_found.mean_exec_ms::numeric, 2)));
    perform pg_notify('optischema_events', jsonb_build_object(
      'kind', 'slow_query', 'target', p_target, 'queryid', v_found.queryid::text)::text);
    if to_regproc('graphile_worker.add_job') is not null then
      execute 'select graphile_worker.add_job($1, $2::json, job_key := $3)'
        using 'advise_query', jsonb_build_object('target', p_target, 'queryid', v_found.queryid::text),
              'advise_query:' || p_target || ':' || v_found.queryid;
    end if;
    queryid := v_found.queryid;
    reason := v_found.reason;
    mean_exec_ms := v_found.mean_exec_ms;
    calls := v_found.calls;
    return next;
  end loop;
end
$$;

/*
 * The database's own target (reference 'local'), created on first use in the 'local' tenant, so a
 * psql user can collect history without the sidecar.
 */
create function optischema.local_target() returns uuid language plpgsql as $$
declare
  v_target uuid;
  v_tenant uuid;
begin
  select id into v_target from optischema.targets where secret_ref = 'local';
  if v_target is null then
    insert into optischema.tenants (name, slug) values ('Local', 'local')
      on conflict (slug) do update set slug = excluded.slug returning id into v_tenant;
    insert into optischema.targets (tenant_id, name, secret_ref) values (v_tenant, current_database(), 'local')
      on conflict do nothing returning id into v_target;
    if v_target is null then
      select id into v_target from optischema.targets where secret_ref = 'local';
    end if;
  end if;
  return v_target;
end
$$;

create type optischema.snapshot_result as (
  snapshot_id bigint, target_id uuid, statements int, changed int, resets int, new_slow_queries int, duration_ms double precision
);

/*
 * Stores one snapshot of a target from what its read_* functions returned: statements as deltas,
 * tables and indexes, then the slow-query detection. optischema.snapshot() calls it with this
 * database's readings; the sidecar with a remote target's, so both take exactly the same steps.
 */
create function optischema.record_snapshot(
  p_target uuid, p_captured timestamptz, p_statements json, p_info jsonb, p_tables jsonb, p_indexes jsonb,
  p_started timestamptz default clock_timestamp()
) returns optischema.snapshot_result language plpgsql as $$
declare
  v_snapshot bigint;
  v_result optischema.snapshot_result;
begin
  v_snapshot := optischema.record_statements(p_target, p_captured, p_statements, p_info);
  perform optischema.record_relations(v_snapshot, p_tables, p_indexes);
  select v_snapshot, p_target, s.statements, s.changed, s.resets, (select count(*) from optischema.find_slow_queries(p_target)),
         extract(epoch from clock_timestamp() - p_started) * 1000
    into v_result from optischema.snapshots s where s.id = v_snapshot;
  update optischema.snapshots set duration_ms = v_result.duration_ms where id = v_snapshot;
  return v_result;
end
$$;

/*
 * Takes one snapshot of this database, for psql and pg_cron users:
 *   select * from optischema.snapshot();
 * Every statement inside runs under a 10 s statement_timeout and 1 s lock_timeout (local to the
 * calling transaction), so a busy server gets a failed snapshot, not a hung one.
 */
create function optischema.snapshot() returns optischema.snapshot_result language plpgsql as $$
declare
  v_started timestamptz := clock_timestamp();
begin
  perform set_config('statement_timeout', '10s', true), set_config('lock_timeout', '1s', true);
  -- NULL statements: record_statements reads this database's pg_stat_statements in place.
  return optischema.record_snapshot(optischema.local_target(), now(), null,
    optischema.read_statements_info(), optischema.read_tables(), optischema.read_indexes(), v_started);
end
$$;

create function optischema.sample_activity() returns void language sql as $$
  select optischema.record_activity(optischema.local_target(), now(), optischema.read_activity())
$$;
