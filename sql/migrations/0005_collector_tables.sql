-- The collector's history: per-interval deltas of pg_stat_statements and of table and index
-- statistics, activity samples, slow-query findings and captured plans, per monitored target.
-- Every table is tenant-owned (tenant_id, RLS forced, viewers read through grants); only the
-- sidecar's own connection and the SECURITY DEFINER recording functions write.

-- The database OptiSchema's schema lives in can be a target of its own (psql users call
-- optischema.snapshot() there): its reference is 'local'.
alter table optischema.targets drop constraint targets_secret_ref_check;
alter table optischema.targets add constraint targets_secret_ref_check
  check (secret_ref ~ '^(env:[A-Za-z_][A-Za-z0-9_]*|file:/.+|local)$');
create unique index targets_one_local_idx on optischema.targets ((secret_ref)) where secret_ref = 'local';

alter table optischema.targets
  add column snapshot_interval_s int not null default 30 check (snapshot_interval_s between 1 and 86400),
  add column activity_interval_s int not null default 10 check (activity_interval_s between 1 and 86400),
  add column slow_threshold_ms double precision not null default 100 check (slow_threshold_ms > 0),
  add column slow_min_calls int not null default 3 check (slow_min_calls >= 1),
  add column raw_retention interval not null default '7 days',
  add column hourly_retention interval not null default '90 days',
  -- ok | error | no_statistics: the collector's last word on this target.
  add column status text not null default 'new' check (status in ('new', 'ok', 'error', 'no_statistics')),
  add column status_message text,
  add column last_seen_at timestamptz,
  add column last_snapshot_at timestamptz;

-- One row per collection run.
create table optischema.snapshots (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references optischema.tenants on delete cascade,
  target_id uuid not null references optischema.targets on delete cascade,
  captured_at timestamptz not null,
  -- Seconds since the previous snapshot of this target (NULL for the first: it sets the baseline).
  interval_s double precision,
  statements int not null,
  changed int not null,
  resets int not null,
  -- pg_stat_statements_info.dealloc: entries evicted since its reset, and growth since last snapshot.
  dealloc bigint,
  dealloc_delta bigint,
  -- pg_stat_statements_info.stats_reset; stats_was_reset: it changed since the previous snapshot.
  stats_reset timestamptz,
  stats_was_reset boolean not null default false,
  duration_ms double precision
);
create index snapshots_target_id_captured_at_idx on optischema.snapshots (target_id, captured_at desc);

-- The normalized text, once per query id (not per snapshot).
create table optischema.query_texts (
  tenant_id uuid not null references optischema.tenants on delete cascade,
  target_id uuid not null references optischema.targets on delete cascade,
  queryid bigint not null,
  query text not null,
  first_seen_at timestamptz not null,
  last_seen_at timestamptz not null,
  primary key (target_id, queryid)
);

-- The last cumulative counters seen per statement entry: the base of the next delta.
create table optischema.statement_counters (
  tenant_id uuid not null,
  target_id uuid not null references optischema.targets on delete cascade,
  dbid oid not null,
  userid oid not null,
  queryid bigint not null,
  toplevel boolean not null,
  calls bigint not null,
  total_exec_time double precision not null,
  total_plan_time double precision,
  rows bigint not null,
  shared_blks_hit bigint not null,
  shared_blks_read bigint not null,
  shared_blks_dirtied bigint not null,
  shared_blks_written bigint not null,
  local_blks_hit bigint not null,
  local_blks_read bigint not null,
  local_blks_dirtied bigint not null,
  local_blks_written bigint not null,
  temp_blks_read bigint not null,
  temp_blks_written bigint not null,
  wal_bytes numeric,
  captured_at timestamptz not null,
  primary key (target_id, dbid, userid, queryid, toplevel)
);

create table optischema.statement_history (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references optischema.tenants on delete cascade,
  target_id uuid not null references optischema.targets on delete cascade,
  snapshot_id bigint not null references optischema.snapshots on delete cascade,
  captured_at timestamptz not null,
  dbid oid not null,
  userid oid not null,
  queryid bigint not null,
  toplevel boolean not null,
  calls bigint not null,
  total_exec_time double precision not null,
  -- pg_stat_statements keeps min/max since its reset, not per interval: these are those values.
  min_exec_time double precision,
  max_exec_time double precision,
  total_plan_time double precision,
  rows bigint not null,
  shared_blks_hit bigint not null,
  shared_blks_read bigint not null,
  shared_blks_dirtied bigint not null,
  shared_blks_written bigint not null,
  local_blks_hit bigint not null,
  local_blks_read bigint not null,
  local_blks_dirtied bigint not null,
  local_blks_written bigint not null,
  temp_blks_read bigint not null,
  temp_blks_written bigint not null,
  wal_bytes numeric,
  -- The entry's counters went down (reset or eviction): this delta is its whole current value.
  reset boolean not null default false
);
create index statement_history_target_id_captured_at_idx on optischema.statement_history (target_id, captured_at);
create index statement_history_target_id_queryid_idx on optischema.statement_history (target_id, queryid, captured_at);

-- Hourly rollups of statement_history kept after the raw intervals expire.
create table optischema.statement_hourly (
  tenant_id uuid not null references optischema.tenants on delete cascade,
  target_id uuid not null references optischema.targets on delete cascade,
  hour timestamptz not null,
  queryid bigint not null,
  calls bigint not null,
  total_exec_time double precision not null,
  rows bigint not null,
  shared_blks_hit bigint not null,
  shared_blks_read bigint not null,
  temp_blks_written bigint not null,
  primary key (target_id, hour, queryid)
);

-- Table and index statistics: cumulative counters as deltas, sizes and vacuum times as read.
create table optischema.table_counters (
  target_id uuid not null references optischema.targets on delete cascade,
  relid oid not null,
  counters jsonb not null,
  primary key (target_id, relid)
);
create table optischema.table_history (
  tenant_id uuid not null references optischema.tenants on delete cascade,
  target_id uuid not null references optischema.targets on delete cascade,
  snapshot_id bigint not null references optischema.snapshots on delete cascade,
  captured_at timestamptz not null,
  relid oid not null,
  schema_name text not null,
  table_name text not null,
  seq_scan bigint, seq_tup_read bigint, idx_scan bigint,
  n_tup_ins bigint, n_tup_upd bigint, n_tup_del bigint, n_tup_hot_upd bigint,
  n_live_tup bigint, n_dead_tup bigint,
  last_vacuum timestamptz, last_autovacuum timestamptz, last_analyze timestamptz, last_autoanalyze timestamptz,
  table_bytes bigint, index_bytes bigint, toast_bytes bigint
);
create index table_history_target_id_captured_at_idx on optischema.table_history (target_id, captured_at);
create table optischema.index_counters (
  target_id uuid not null references optischema.targets on delete cascade,
  indexrelid oid not null,
  counters jsonb not null,
  primary key (target_id, indexrelid)
);
create table optischema.index_history (
  tenant_id uuid not null references optischema.tenants on delete cascade,
  target_id uuid not null references optischema.targets on delete cascade,
  snapshot_id bigint not null references optischema.snapshots on delete cascade,
  captured_at timestamptz not null,
  indexrelid oid not null,
  schema_name text not null,
  table_name text not null,
  index_name text not null,
  idx_scan bigint, idx_tup_read bigint,
  index_bytes bigint
);
create index index_history_target_id_captured_at_idx on optischema.index_history (target_id, captured_at);

-- pg_stat_activity, sampled: counts only, no query texts.
create table optischema.activity_samples (
  tenant_id uuid not null references optischema.tenants on delete cascade,
  target_id uuid not null references optischema.targets on delete cascade,
  captured_at timestamptz not null,
  active int not null,
  idle int not null,
  idle_in_transaction int not null,
  idle_in_transaction_aborted int not null,
  -- {"Lock:transactionid": 3, "LWLock:WALWrite": 1}
  waiting jsonb not null,
  oldest_xact_age_s double precision,
  oldest_query_age_s double precision,
  connections int not null,
  max_connections int not null,
  primary key (target_id, captured_at)
);

-- A query that became slow in a window: the analyzer's input.
create table optischema.slow_queries_found (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references optischema.tenants on delete cascade,
  target_id uuid not null references optischema.targets on delete cascade,
  queryid bigint not null,
  reason text not null check (reason in ('mean_time', 'top_total_time')),
  mean_exec_ms double precision not null,
  calls bigint not null,
  first_found_at timestamptz not null,
  last_found_at timestamptz not null,
  unique (target_id, queryid)
);

create table optischema.query_plans (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references optischema.tenants on delete cascade,
  target_id uuid not null references optischema.targets on delete cascade,
  queryid bigint not null,
  captured_at timestamptz not null,
  -- generic: EXPLAIN of the $n text; analyze: EXPLAIN (ANALYZE, BUFFERS) with known values.
  kind text not null check (kind in ('generic', 'analyze')),
  -- md5 of the plan's shape (node types, relations, indexes), to notice plan changes.
  plan_hash text not null,
  plan jsonb not null,
  parameters jsonb
);
create index query_plans_target_id_queryid_idx on optischema.query_plans (target_id, queryid, captured_at desc);

do $$
declare
  t text;
begin
  foreach t in array array['snapshots', 'query_texts', 'statement_history', 'statement_hourly',
                           'table_history', 'index_history', 'activity_samples', 'slow_queries_found', 'query_plans'] loop
    execute format('alter table optischema.%I enable row level security', t);
    execute format('alter table optischema.%I force row level security', t);
    execute format(
      'create policy tenant_isolation on optischema.%I using (tenant_id = optischema.current_tenant_id()) with check (tenant_id = optischema.current_tenant_id())',
      t);
  end loop;
  -- Counters are bookkeeping: no API role reads them (RLS on, no policy, no grant).
  foreach t in array array['statement_counters', 'table_counters', 'index_counters'] loop
    execute format('alter table optischema.%I enable row level security', t);
    execute format('alter table optischema.%I force row level security', t);
  end loop;
end
$$;
grant select on optischema.snapshots, optischema.query_texts, optischema.statement_history, optischema.statement_hourly,
  optischema.table_history, optischema.index_history, optischema.activity_samples, optischema.slow_queries_found,
  optischema.query_plans to optischema_viewer;
grant select (snapshot_interval_s, activity_interval_s, slow_threshold_ms, slow_min_calls, raw_retention, hourly_retention,
  status, status_message, last_seen_at, last_snapshot_at) on optischema.targets to optischema_viewer;
