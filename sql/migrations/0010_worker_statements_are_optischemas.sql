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
 * advise_workload with the in-database engine, where plv8 is installed (sql/plv8/engine.sql):
 * optischema.engine_advise_workload answers inside the call, and its recommendations are stored
 * like the sidecar's. Without it, the sidecar answers as before (queued, then the answer).
 */
create or replace function optischema.advise_workload(since interval default '1 hour', budget_bytes bigint default null)
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
