-- 0010: plans of other people's statements never run with OptiSchema's rights (docs/security.md).
--
-- 1. optischema_analysis: a NOLOGIN role that may read every table (pg_read_all_data) and nothing
--    more. The planning guard (plv8/engine/guard/) plans a superuser's statements as this role, so
--    code PostgreSQL runs while planning them (IMMUTABLE and STABLE functions, a view's calls) never
--    runs as a superuser. Roles are cluster-wide: made here only when this session may (a
--    superuser, or CREATEROLE with pg_read_all_data to hand out); otherwise a DBA runs the GRANTs
--    docs/security.md lists, and the advisor says so when it needs them.
-- 2. advice_requests.requested_by: psql's optischema.advise(query) is planned as the role that
--    asked (not as the sidecar), so the sidecar must know who that was.

do $role$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = 'optischema_analysis') then
    create role optischema_analysis nologin;
  end if;
  grant pg_read_all_data to optischema_analysis;
exception when insufficient_privilege then
  raise notice 'optischema_analysis was not created (this role may not create roles): see docs/security.md for the GRANTs to run';
end
$role$;

alter table optischema.advice_requests add column requested_by oid;
comment on column optischema.advice_requests.requested_by is
  'The role that asked (pg_roles.oid): the sidecar plans a query request with this role''s rights.';

create or replace function optischema.request_advice(p_kind text, p_query text, p_since interval, p_budget_bytes bigint)
returns optischema.advice_requests language plpgsql volatile as $$
declare
  v_target uuid := optischema.local_target();
  v_requester oid := (select r.oid from pg_catalog.pg_roles r where r.rolname = current_user);
  -- The requester is part of the key: a query is planned with its requester's rights, so one
  -- role's answer (or error) is never handed to another.
  v_key text := md5(p_kind || E'\n' || coalesce(p_query, '') || E'\n' || coalesce(p_since::text, '') || E'\n' || coalesce(p_budget_bytes::text, '')
                    || E'\n' || v_requester::text);
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
  insert into optischema.advice_requests as r (tenant_id, target_id, kind, query, since, budget_bytes, request_key, state, requested_at, requested_by)
  select t.tenant_id, t.id, p_kind, p_query, p_since, p_budget_bytes, v_key, 'queued', now(), v_requester
    from optischema.targets t where t.id = v_target
  on conflict (target_id, request_key) do update set
    state = 'queued', requested_at = now(), started_at = null, answered_at = null, answer = null, index_fingerprint = null
  returning * into v_request;
  perform graphile_worker.add_job('advise_request', json_build_object('requestId', v_request.id::text),
                                  job_key := 'advise_request:' || v_request.id, max_attempts := 3);
  return v_request;
end
$$;
