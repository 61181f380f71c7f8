-- Function privileges, pinned search_path, secret columns and publish_event.
--
-- 1. PostgreSQL grants EXECUTE on every new function to PUBLIC. 0002's
--    `alter default privileges in schema … revoke execute … from public` did not undo that: a
--    per-schema default can only add to the global one. So every OptiSchema function here was
--    callable by every role with USAGE on its schema (all API roles): viewers could run
--    record_statements, apply_retention, publish_event… (RLS and table grants were the only bar).
--    Below, EXECUTE is revoked from PUBLIC on every function in optischema and optischema_api
--    (extension members excepted: their extension owns their ACLs), whoever created it, and granted
--    back to the roles that call each one. The migration runner (sidecar/database/migrations.ts)
--    keeps PUBLIC off the functions later migrations create; test/database/privileges.test.ts fails
--    for any function left PUBLIC-executable or unpinned.
--
--    Who calls what:
--      optischema_viewer (and analyst, admin, which inherit it): current_tenant_id() and
--        current_user_id() (the RLS policies call them as the querying role), current_app_role()
--        and require_role() (the API functions call them as the caller);
--      optischema_analyst: the analyst API functions (the generated column
--        recommendations.dedup_key is recomputed, as the updating role, only when kind or statement
--        change, which no API role may update);
--      optischema_admin: the admin API functions and add_member_to_current_tenant();
--      the role that installed OptiSchema (owner, the sidecar's system pool, psql users): all of
--        them, as owner. Trigger functions need no grant (PostgreSQL checks EXECUTE when a trigger
--        is created, not when it fires).
--
-- 2. Every function pins search_path, so a name in its body never resolves to an object someone
--    else put in the caller's path (a superuser runs these from psql). pg_catalog first, pg_temp
--    last (unlisted, pg_temp would be searched first for tables). The functions that read
--    pg_stat_statements also get the schema the extension lives in (it is wherever it was created:
--    `optischema` in the embedded cluster, often `public`); their text also runs on remote targets,
--    unqualified, as each target's search_path finds it.
--    The hot SQL helpers (per row in RLS policies, in the collector's recording and in the
--    dedup_key generated column) get SQL-standard bodies instead: names are bound when the function
--    is created (here, under the path set just below), so search_path plays no part at run time,
--    and PostgreSQL can still inline them, which a SET clause prevents (measured: a SET clause made
--    counter_delta 5 times slower per call).
--    A function that already pins search_path (such as add_member_to_current_tenant) keeps its own.
--
-- 3. Analysts were granted the sealed connection strings (secret_ciphertext, secret_ref) for
--    test-connection, which reads them on the sidecar's own connection; and could write last_check
--    themselves, which the sidecar writes after running the doctor. Both revoked: no API role reads
--    a secret column.
--
-- 4. publish_event(tenant, payload) took its tenant from its arguments and viewers could call it,
--    so any viewer could send events to any tenant's live stream. It now takes the tenant from the
--    request's verified setting (optischema.current_tenant_id()) and no API role may call it; the
--    recommendation trigger and the slow-query finder notify the tenant of the row they just wrote.

-- Names in this migration's SQL-standard bodies bind to pg_catalog, nothing else.
set local search_path = pg_catalog, pg_temp;

-- 4. publish_event and its two callers in the database.
drop function optischema.publish_event(uuid, jsonb);

/*
 * Publishes an event on the current request's tenant channel (optischema_events:<tenant id>), for
 * the API's live subscriptions. The tenant is the verified one the sidecar set for the transaction
 * (optischema.tenant_id), never an argument:
 *   begin; select set_config('optischema.tenant_id', '<tenant id>', true);
 *   select optischema.publish_event('{"kind": "job_progress", "pct": 50}'); commit;
 * Only the role that installed OptiSchema may call it (the sidecar's own connection).
 */
create function optischema.publish_event(payload jsonb) returns void language plpgsql volatile
set search_path = pg_catalog, pg_temp as $$
declare
  tenant uuid := optischema.current_tenant_id();
begin
  if tenant is null then
    raise exception 'publish_event needs the tenant of the request (setting optischema.tenant_id)' using errcode = 'insufficient_privilege';
  end if;
  perform pg_notify('optischema_events:' || tenant, payload::text);
end
$$;

-- The row's tenant: RLS's WITH CHECK has already held it to the request's tenant for API roles.
create or replace function optischema.recommendation_event() returns trigger language plpgsql
set search_path = pg_catalog, pg_temp as $$
begin
  perform pg_notify('optischema_events:' || new.tenant_id, jsonb_build_object(
    'kind', case when tg_op = 'INSERT' then 'recommendation_created' else 'recommendation_state' end,
    'target', new.target_id, 'recommendationId', new.id, 'state', new.state)::text);
  return new;
end
$$;

-- As in 0006, except that the event goes to the target's tenant channel directly.
create or replace function optischema.find_slow_queries(p_target uuid, p_since interval default '1 hour')
returns table (queryid bigint, reason text, mean_exec_ms double precision, calls bigint)
language plpgsql set search_path = pg_catalog, pg_temp as $$
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
    perform pg_notify('optischema_events:' || v_target.tenant_id, jsonb_build_object(
      'kind', 'slow_query', 'target', p_target, 'queryid', v_found.queryid::text, 'reason', v_found.reason,
      'meanExecMs', round(v_found.mean_exec_ms::numeric, 2))::text);
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

-- 2. The hot SQL helpers, same expressions, as SQL-standard bodies.
create or replace function optischema.current_tenant_id() returns uuid language sql stable
  return nullif(current_setting('optischema.tenant_id', true), '')::uuid;
create or replace function optischema.current_user_id() returns uuid language sql stable
  return nullif(current_setting('optischema.user_id', true), '')::uuid;
create or replace function optischema.counter_delta(cur numeric, prev numeric) returns numeric language sql immutable
  return case when prev is null or cur is null then cur when cur >= prev then cur - prev else cur end;
create or replace function optischema.is_application_statement(query text) returns boolean language sql immutable
  return query ~* '^\s*(with|select|insert|update|delete|merge|values|table)\M'
     -- optischema.x, "optischema".x, graphile_worker.x, the recording's temp table, and
     -- per-request settings (the API's).
     and query !~* '"?(optischema|graphile_worker)"?\.|optischema_entries|^\s*select\s+set_config\(';
create or replace function optischema.recommendation_dedup_key(kind text, statement text) returns text
  language sql immutable parallel safe
  return md5(kind || ':' || btrim(regexp_replace(statement, '\s+', ' ', 'g')));

-- 1 and 2, for every function whatever migration made it (0010's included).
do $$
declare
  f record;
  -- Where pg_stat_statements is (else where CREATE EXTENSION would usually put it).
  stats_schema text := coalesce(
    (select n.nspname from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace
      where e.extname = 'pg_stat_statements'),
    'public');
  path text;
begin
  for f in
    select p.oid::regprocedure as signature, p.proname, p.prokind, p.prosqlbody is not null as standard_body,
           exists (select from unnest(coalesce(p.proconfig, '{}')) c where c like 'search\_path=%') as pinned
    from pg_catalog.pg_proc p
    join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    where n.nspname in ('optischema', 'optischema_api')
      and not exists (select from pg_catalog.pg_depend d
                       where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  loop
    execute format('revoke execute on routine %s from public', f.signature);
    -- Aggregates take no SET clause (there are none today).
    continue when f.pinned or f.standard_body or f.prokind = 'a';
    path := case when f.proname in ('read_statements', 'read_statements_info', 'record_statements')
                 then format('pg_catalog, %I, pg_temp', stats_schema)
                 else 'pg_catalog, pg_temp' end;
    execute format('alter routine %s set search_path = %s', f.signature, path);
  end loop;
end
$$;

-- 1. Granted back, the whole list (earlier migrations granted most of it already).
grant execute on function optischema.current_tenant_id(), optischema.current_user_id(), optischema.current_app_role(),
  optischema.require_role(text) to optischema_viewer;
grant execute on function optischema_api.set_recommendation_state(uuid, text), optischema_api.add_recommendation_note(uuid, text)
  to optischema_analyst;
grant execute on function optischema_api.create_api_key(text, text), optischema_api.revoke_api_key(uuid),
  optischema_api.delete_target(uuid), optischema_api.set_member_role(uuid, text), optischema_api.remove_member(uuid),
  optischema_api.add_member(text, text), optischema.add_member_to_current_tenant(text, text)
  to optischema_admin;

-- 3. No API role reads a target's secret, nor writes its check result.
revoke select (secret_ciphertext, secret_ref) on optischema.targets from optischema_analyst;
revoke update (last_check_at, last_check) on optischema.targets from optischema_analyst;
