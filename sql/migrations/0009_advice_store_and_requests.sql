-- The index advisor's output, stored and asked for from psql.
--
-- 0. optischema.is_application_statement also leaves out the job queue's own statements.
-- 1. optischema.recommendations keeps each index recommendation once per target (deduplicated on
--    kind + statement), with the engine's figures, its evidence (the
--    queries it serves, every field the engine returned) and how often and when it was last seen.
--    optischema.record_index_recommendations() is the one writer: the sidecar's advise_query and
--    advise_workload jobs call it.
-- 2. optischema.advice_requests carries psql's questions to the sidecar and its answers back:
--    optischema.advise(query) and optischema.advise_workload(since, budget_bytes) (docs/sql-api.md).
--
-- Like the recording functions, everything here writes across tenants: run it as the role that
-- installed OptiSchema (or a superuser, or a role with BYPASSRLS), never as an API role.

-- The sidecar's job queue (graphile-worker, schema graphile_worker) runs in the database OptiSchema
-- lives in; its statements are OptiSchema's own, not the application's. Slow-query findings and
-- workload advice leave them out, as they leave out statements on the optischema schema.
create or replace function optischema.is_application_statement(query text) returns boolean language sql immutable as $$
  select query ~* '^\s*(with|select|insert|update|delete|merge|values|table)\M'
     -- optischema.x, "optischema".x, graphile_worker.x, the recording's temp table, and
     -- per-request settings (the API's).
     and query !~* '"?(optischema|graphile_worker)"?\.|optischema_entries|^\s*select\s+set_config\('
$$;

/*
 * What makes two recommendations the same for a target: their kind and statement, whitespace
 * collapsed. The engine names an index deterministically from its table and keys
 * (plv8/advisor/index-names.ts), so the same index is always the same statement.
 *   recommendation_dedup_key('index', 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id)')
 */
create function optischema.recommendation_dedup_key(kind text, statement text) returns text
language sql immutable parallel safe as $$
  select md5(kind || ':' || btrim(regexp_replace(statement, '\s+', ' ', 'g')))
$$;

alter table optischema.recommendations
  -- `schema.table` the recommendation is about, as the catalog names it (unquoted).
  add column table_name text,
  -- Planner estimates (arbitrary cost units) without and with the index: hypopg what-if costs.
  add column cost_before double precision,
  add column cost_after double precision,
  -- hypopg's estimate of the index size.
  add column size_bytes bigint,
  -- {"advice": <the engine's recommendation as it came, unknown fields included>,
  --  "queries": [{queryid?, query, costBefore, costAfter, improvementPct, source, seenAt}, …] newest first (≤ 50),
  --  "sources": ["advise_query", "advise_workload", …]}
  add column evidence jsonb not null default '{}',
  add column seen_count int not null default 1,
  add column last_seen_at timestamptz not null default now(),
  add column dedup_key text generated always as (optischema.recommendation_dedup_key(kind, statement)) stored;
-- One row per target and recommendation, whatever its state: a repeat never makes a second one.
create unique index recommendations_dedup_idx on optischema.recommendations (target_id, kind, dedup_key);

-- How often the sidecar runs the workload advisor for a target (advise_workload job).
alter table optischema.targets
  add column workload_advice_interval_s int not null default 3600 check (workload_advice_interval_s between 1 and 604800);
grant select (workload_advice_interval_s) on optischema.targets to optischema_viewer;

/*
 * Merges a recommendation's evidence queries: the new ones first, then the older ones not among
 * them (same queryid, or same text when there is no queryid), at most 50.
 */
create function optischema.merge_evidence_queries(old_queries jsonb, new_queries jsonb) returns jsonb
language sql immutable as $$
  select coalesce(jsonb_agg(m.q order by m.ord), '[]'::jsonb) from (
    select d.q, d.ord from (
      select a.q, a.ord,
             row_number() over (partition by coalesce(a.q ->> 'queryid', md5(coalesce(a.q ->> 'query', a.q::text))) order by a.ord) as rn
      from (
        select n.q, n.ord from jsonb_array_elements(coalesce(new_queries, '[]')) with ordinality n(q, ord)
        union all
        select o.q, o.ord + 1000000 from jsonb_array_elements(coalesce(old_queries, '[]')) with ordinality o(q, ord)
      ) a
    ) d
    where d.rn = 1
    order by d.ord
    limit 50
  ) m
$$;

/*
 * Records a batch of index recommendations for a target, as the engine returned them
 * (`{sql, rollbackSql, table, costBefore, costAfter, improvementPct, sizeBytes, rationale, …,
 * queries?: [{queryid?, query, costBefore, costAfter, improvementPct}]}`); `source` names who found
 * them (advise_query, advise_workload).
 *
 * New: inserted as `proposed`. Seen before (same target, kind and statement): evidence
 * merged (the queries it serves accumulate), seen_count + 1, last_seen_at = now(); while still
 * `proposed` its estimates and rationale are refreshed too. The state is never changed, so a
 * dismissed or applied recommendation stays so, and its statement (what was applied) never changes.
 *
 *   select * from optischema.record_index_recommendations(target, 'advise_query', '[{"sql": "CREATE INDEX …", …}]');
 */
create function optischema.record_index_recommendations(p_target uuid, p_source text, p_recommendations jsonb)
returns table (recommendation_id uuid, created boolean, state text)
language plpgsql volatile as $$
#variable_conflict use_column
declare
  v_tenant uuid;
  v_rec jsonb;
  v_statement text;
  v_queries jsonb;
  v_evidence jsonb;
begin
  select t.tenant_id into v_tenant from optischema.targets t where t.id = p_target;
  if v_tenant is null then
    raise exception 'no target %', p_target using errcode = 'no_data_found';
  end if;
  if jsonb_typeof(p_recommendations) is distinct from 'array' then
    raise exception 'recommendations must be a JSON array' using errcode = 'invalid_parameter_value';
  end if;
  for v_rec in select e.value from jsonb_array_elements(p_recommendations) e loop
    v_statement := v_rec ->> 'sql';
    if v_statement is null or btrim(v_statement) = '' then
      raise exception 'a recommendation without sql: %', left(v_rec::text, 200) using errcode = 'invalid_parameter_value';
    end if;
    select coalesce(jsonb_agg(q.value || jsonb_build_object('source', p_source, 'seenAt', now())), '[]'::jsonb) into v_queries
      from jsonb_array_elements(case when jsonb_typeof(v_rec -> 'queries') = 'array' then v_rec -> 'queries' else '[]' end) q;
    v_evidence := jsonb_build_object('advice', v_rec - 'queries', 'queries', v_queries, 'sources', jsonb_build_array(p_source));
    return query
    insert into optischema.recommendations as r (
      tenant_id, target_id, kind, title, statement, rollback_statement, rationale, improvement_pct,
      table_name, cost_before, cost_after, size_bytes, evidence, last_seen_at)
    values (
      v_tenant, p_target, 'index',
      left(coalesce('Index on ' || substring(v_statement from '(?i)\sON\s+(.*)$'), v_statement), 200),
      v_statement, v_rec ->> 'rollbackSql', coalesce(v_rec ->> 'rationale', ''), (v_rec ->> 'improvementPct')::numeric(6, 2),
      v_rec ->> 'table', (v_rec ->> 'costBefore')::float8, (v_rec ->> 'costAfter')::float8,
      round((v_rec ->> 'sizeBytes')::numeric)::bigint, v_evidence, now())
    on conflict (target_id, kind, dedup_key) do update set
      evidence = jsonb_build_object(
        'advice', excluded.evidence -> 'advice',
        'queries', optischema.merge_evidence_queries(r.evidence -> 'queries', excluded.evidence -> 'queries'),
        'sources', (select jsonb_agg(distinct s.value) from jsonb_array_elements(
                      coalesce(r.evidence -> 'sources', '[]') || (excluded.evidence -> 'sources')) s)),
      seen_count = r.seen_count + 1,
      last_seen_at = now(),
      rationale = case when r.state = 'proposed' then excluded.rationale else r.rationale end,
      improvement_pct = case when r.state = 'proposed' then excluded.improvement_pct else r.improvement_pct end,
      table_name = case when r.state = 'proposed' then excluded.table_name else r.table_name end,
      cost_before = case when r.state = 'proposed' then excluded.cost_before else r.cost_before end,
      cost_after = case when r.state = 'proposed' then excluded.cost_after else r.cost_after end,
      size_bytes = case when r.state = 'proposed' then excluded.size_bytes else r.size_bytes end
    -- xmax = 0: the row version was inserted by this statement, not updated (the upsert's usual tell).
    returning r.id, (r.xmax = 0), r.state;
  end loop;
end
$$;

-- The API view gains the new columns (CREATE OR REPLACE VIEW can only append).
create or replace view optischema_api.recommendations with (security_invoker = true) as
  select id, target_id, kind, title, statement, rollback_statement, rationale, state, improvement_pct, created_at, updated_at,
         table_name, cost_before, cost_after, size_bytes, evidence, seen_count, last_seen_at
  from optischema.recommendations;

-- psql's advice requests: asked by optischema.advise()/advise_workload(), answered by the sidecar.
create table optischema.advice_requests (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references optischema.tenants on delete cascade,
  target_id uuid not null references optischema.targets on delete cascade,
  kind text not null check (kind in ('query', 'workload')),
  -- kind query: the query text; kind workload: the window and the size budget.
  query text,
  since interval,
  budget_bytes bigint,
  -- md5 of kind and arguments: asking the same again finds this row.
  request_key text not null,
  state text not null check (state in ('queued', 'running', 'done')),
  requested_at timestamptz not null,
  started_at timestamptz,
  answered_at timestamptz,
  -- {"recommendations": […], "errors": […]} as the advisor returned it.
  answer jsonb,
  -- optischema.index_fingerprint() when answered: an index created or dropped since makes it stale.
  index_fingerprint text,
  unique (target_id, request_key),
  check ((kind = 'query') = (query is not null))
);
alter table optischema.advice_requests enable row level security;
alter table optischema.advice_requests force row level security;
create policy tenant_isolation on optischema.advice_requests
  using (tenant_id = optischema.current_tenant_id()) with check (tenant_id = optischema.current_tenant_id());

-- Changes whenever an index is created or dropped anywhere in this database (pg_index is readable by all).
create function optischema.index_fingerprint() returns text language sql stable as $$
  select md5(coalesce(string_agg(i.indexrelid::text, ',' order by i.indexrelid), '')) from pg_catalog.pg_index i
$$;

/*
 * Is an OptiSchema sidecar serving this database? Its worker holds a shared advisory lock on the
 * key (1330664787, 1) for as long as it runs (sidecar/worker/sidecar-presence.ts); the lock goes
 * with its session, so a sidecar that crashed or lost its connection is not counted. pg_locks is
 * readable by every role, unlike the other sessions' details in pg_stat_activity.
 */
create function optischema.sidecar_is_running() returns boolean language sql stable as $$
  select exists (
    select from pg_catalog.pg_locks l
    where l.locktype = 'advisory' and l.granted
      and l.database = (select d.oid from pg_catalog.pg_database d where d.datname = current_database())
      -- Two-int4 advisory keys: classid, objid, and objsubid = 2.
      and l.classid = 1330664787 and l.objid = 1 and l.objsubid = 2)
$$;

/*
 * Finds or (re)queues the request for `kind` and its arguments on this database's own target, and
 * returns its row. An answer is reused while younger than 10 minutes and while no index was created
 * or dropped since; otherwise, or when none exists, the request is queued as a graphile-worker job
 * (advise_request) for the sidecar. A request queued more than 2 minutes ago without an answer is
 * queued again (a lost job). Raises 55000 when an answer is needed and no sidecar is running.
 * Answers older than 7 days are deleted when a request is queued.
 *
 * The job only becomes visible to the sidecar when the calling transaction commits: the caller gets
 * the row in state `queued` and asks again later.
 */
create function optischema.request_advice(p_kind text, p_query text, p_since interval, p_budget_bytes bigint)
returns optischema.advice_requests language plpgsql volatile as $$
declare
  v_target uuid := optischema.local_target();
  v_key text := md5(p_kind || E'\n' || coalesce(p_query, '') || E'\n' || coalesce(p_since::text, '') || E'\n' || coalesce(p_budget_bytes::text, ''));
  v_request optischema.advice_requests;
begin
  select * into v_request from optischema.advice_requests r where r.target_id = v_target and r.request_key = v_key;
  if found and v_request.state = 'done' and v_request.answered_at > now() - interval '10 minutes'
     and v_request.index_fingerprint = optischema.index_fingerprint() then
    return v_request;
  end if;
  if not optischema.sidecar_is_running() then
    raise exception 'no OptiSchema sidecar is running for database %, so nobody can answer this request', current_database()
      using errcode = 'object_not_in_prerequisite_state',
            hint = case when p_kind = 'query'
              then 'Start one (npx optischema start --db <this database''s URL>) and call again, or install plv8 on the server and run optischema migrate so the advisor runs inside PostgreSQL.'
              else 'Start one (npx optischema start --db <this database''s URL>) and call again.' end;
  end if;
  if found and v_request.state in ('queued', 'running') and v_request.requested_at > now() - interval '2 minutes' then
    return v_request;
  end if;
  -- Requests are a cache, not history: answers nobody asked for again in 7 days go.
  delete from optischema.advice_requests r where r.target_id = v_target and r.state = 'done' and r.answered_at < now() - interval '7 days';
  insert into optischema.advice_requests as r (tenant_id, target_id, kind, query, since, budget_bytes, request_key, state, requested_at)
  select t.tenant_id, t.id, p_kind, p_query, p_since, p_budget_bytes, v_key, 'queued', now()
    from optischema.targets t where t.id = v_target
  on conflict (target_id, request_key) do update set
    state = 'queued', requested_at = now(), started_at = null, answered_at = null, answer = null, index_fingerprint = null
  returning * into v_request;
  perform graphile_worker.add_job('advise_request', json_build_object('requestId', v_request.id::text),
                                  job_key := 'advise_request:' || v_request.id, max_attempts := 3);
  return v_request;
end
$$;

/*
 * Called by the sidecar with the advisor's answer: stores it and announces it on the channel
 * optischema_advice ({"requestId": "…", "kind": "query", "recommendations": 1, "errors": 0}), so a
 * psql session that ran `LISTEN optischema_advice` knows when to ask again.
 */
create function optischema.answer_advice_request(p_request bigint, p_answer jsonb) returns void
language plpgsql volatile as $$
declare
  v_kind text;
begin
  update optischema.advice_requests r
     set state = 'done', answered_at = now(), answer = p_answer, index_fingerprint = optischema.index_fingerprint()
   where r.id = p_request
  returning r.kind into v_kind;
  if found then
    perform pg_notify('optischema_advice', jsonb_build_object(
      'requestId', p_request::text, 'kind', v_kind,
      'recommendations', jsonb_array_length(coalesce(p_answer -> 'recommendations', '[]')),
      'errors', jsonb_array_length(coalesce(p_answer -> 'errors', '[]')))::text);
  end if;
end
$$;

/*
 * An advisor answer ({recommendations, errors}) as rows: one per recommendation, in the engine's
 * order (best first), then one per error (statement null, rationale 'error: …'), or one row saying
 * no index is suggested. `queries` is the workload advisor's list of the queries each index serves.
 */
create function optischema.advice_rows(answer jsonb)
returns table (statement text, rollback text, table_name text, cost_before double precision, cost_after double precision,
               improvement_pct numeric, size_bytes bigint, rationale text, queries jsonb)
language sql immutable as $$
  select a.statement, a.rollback, a.table_name, a.cost_before, a.cost_after, a.improvement_pct, a.size_bytes, a.rationale, a.queries
  from (
    select 1 as part, r.ord, r.rec ->> 'sql' as statement, r.rec ->> 'rollbackSql' as rollback, r.rec ->> 'table' as table_name,
           (r.rec ->> 'costBefore')::float8 as cost_before, (r.rec ->> 'costAfter')::float8 as cost_after,
           (r.rec ->> 'improvementPct')::numeric as improvement_pct, round((r.rec ->> 'sizeBytes')::numeric)::bigint as size_bytes,
           r.rec ->> 'rationale' as rationale, r.rec -> 'queries' as queries
    from jsonb_array_elements(coalesce(answer -> 'recommendations', '[]')) with ordinality r(rec, ord)
    union all
    -- An error is a string, or an object with `error` (the workload advisor's {queryid, query, error}).
    select 2, e.ord, null, null, null, null, null, null, null,
           'error: ' || case when jsonb_typeof(e.err) = 'object' then coalesce(e.err ->> 'error', e.err::text) else e.err #>> '{}' end, null
    from jsonb_array_elements(coalesce(answer -> 'errors', '[]')) with ordinality e(err, ord)
    union all
    select 3, 1, null, null, null, null, null, null, null,
           'no index suggested: no candidate index cuts the planner''s estimated cost enough (hypopg what-if)', null
    where jsonb_array_length(coalesce(answer -> 'recommendations', '[]')) = 0
      and jsonb_array_length(coalesce(answer -> 'errors', '[]')) = 0
  ) a
  order by a.part, a.ord
$$;

-- The one row a caller gets while the sidecar works on its request.
create function optischema.queued_rationale(request optischema.advice_requests) returns text language sql stable as $$
  select 'queued: the OptiSchema sidecar is advising on this ' || case request.kind when 'query' then 'query' else 'workload' end
         || case when request.requested_at < now() - interval '1 second'
              then ' (asked ' || round(extract(epoch from now() - request.requested_at)) || ' s ago)' else '' end
         || '; run the same call again in a few seconds'
$$;

/*
 * Index advice for one query, from psql:
 *   select * from optischema.advise('select * from orders where customer_id = 42');
 * With plv8 (optischema.engine_advise_query(query, options) installed) the engine answers at once, inside this
 * session. Without it the sidecar answers: the first call queues the request and returns one row
 * whose rationale starts with 'queued:'; the same call a few seconds later returns the answer
 * (docs/sql-api.md). Raises 55000 when neither plv8 nor a running sidecar can answer.
 */
create function optischema.advise(query text)
returns table (statement text, rollback text, table_name text, cost_before double precision, cost_after double precision,
               improvement_pct numeric, size_bytes bigint, rationale text)
language plpgsql volatile as $$
#variable_conflict use_column
declare
  v_text text := $1;
  v_answer jsonb;
  v_request optischema.advice_requests;
begin
  if v_text is null or btrim(v_text) = '' then
    raise exception 'optischema.advise needs a query, e.g. select * from optischema.advise(''select * from orders where customer_id = 42'')'
      using errcode = 'invalid_parameter_value';
  end if;
  -- The in-database engine, where plv8 is installed (sql/plv8/engine.sql, installed by migrate):
  -- called dynamically, as it may not exist. Empty options: the engine's defaults.
  if to_regprocedure('optischema.engine_advise_query(text, jsonb)') is not null then
    execute 'select optischema.engine_advise_query($1, ''{}''::jsonb)' into v_answer using v_text;
  elsif to_regprocedure('optischema.engine_advise_query(text)') is not null then
    execute 'select optischema.engine_advise_query($1)' into v_answer using v_text;
  end if;
  if v_answer is not null then
    return query select a.statement, a.rollback, a.table_name, a.cost_before, a.cost_after, a.improvement_pct, a.size_bytes, a.rationale
                   from optischema.advice_rows(v_answer) a;
    return;
  end if;
  v_request := optischema.request_advice('query', v_text, null, null);
  if v_request.state = 'done' then
    return query select a.statement, a.rollback, a.table_name, a.cost_before, a.cost_after, a.improvement_pct, a.size_bytes, a.rationale
                   from optischema.advice_rows(v_request.answer) a;
  else
    return query select null::text, null::text, null::text, null::float8, null::float8, null::numeric, null::bigint,
                        optischema.queued_rationale(v_request);
  end if;
end
$$;

/*
 * Index advice for this database's collected workload (the workload advisor), from psql:
 *   select * from optischema.advise_workload();                       -- last hour, no size budget
 *   select * from optischema.advise_workload('1 day', 500 * 1024 * 1024);
 * With plv8 (optischema.engine_advise_workload installed) the engine answers inside this session and
 * its recommendations are stored like the sidecar's; without it, the same queued / answered
 * behaviour as advise(). `queries` lists the queries each index serves.
 * Its recommendations are also stored in optischema.recommendations (source advise_workload).
 */
create function optischema.advise_workload(since interval default '1 hour', budget_bytes bigint default null)
returns table (statement text, rollback text, table_name text, cost_before double precision, cost_after double precision,
               improvement_pct numeric, size_bytes bigint, rationale text, queries jsonb)
language plpgsql volatile as $$
#variable_conflict use_column
declare
  v_request optischema.advice_requests;
  v_answer jsonb;
begin
  if since is null or since <= interval '0' then
    raise exception 'since must be a positive interval such as ''1 hour'', not %', coalesce(since::text, 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  if budget_bytes is not null and budget_bytes <= 0 then
    raise exception 'budget_bytes must be a positive number of bytes or null (no budget), not %', budget_bytes
      using errcode = 'invalid_parameter_value';
  end if;
  if to_regprocedure('optischema.engine_advise_workload(jsonb)') is not null then
    execute 'select optischema.engine_advise_workload($1)' into v_answer
      using jsonb_build_object('since', since::text, 'budgetBytes', budget_bytes);
    perform optischema.record_index_recommendations(optischema.local_target(), 'advise_workload', coalesce(v_answer -> 'recommendations', '[]'));
    return query select * from optischema.advice_rows(v_answer);
    return;
  end if;
  v_request := optischema.request_advice('workload', null, since, budget_bytes);
  if v_request.state = 'done' then
    return query select * from optischema.advice_rows(v_request.answer);
  else
    return query select null::text, null::text, null::text, null::float8, null::float8, null::numeric, null::bigint,
                        optischema.queued_rationale(v_request), null::jsonb;
  end if;
end
$$;
