--
-- PostgreSQL database dump
--

--
-- Name: optischema; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA optischema;

--
-- Name: SCHEMA optischema; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA optischema IS 'OptiSchema: PostgreSQL performance advisor (state, history and SQL API)';

--
-- Name: optischema_api; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA optischema_api;

--
-- Name: SCHEMA optischema_api; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA optischema_api IS 'OptiSchema''s client API: the views and functions PostGraphile exposes';

--
-- Name: snapshot_result; Type: TYPE; Schema: optischema; Owner: -
--

CREATE TYPE optischema.snapshot_result AS (
	snapshot_id bigint,
	target_id uuid,
	statements integer,
	changed integer,
	resets integer,
	new_slow_queries integer,
	duration_ms double precision
);

--
-- Name: ai_status; Type: TYPE; Schema: optischema_api; Owner: -
--

CREATE TYPE optischema_api.ai_status AS (
	enabled boolean,
	provider text,
	model text,
	base_url text,
	send_literals boolean,
	tokens_this_month bigint,
	monthly_token_budget bigint,
	reviews_last_hour integer,
	reviews_per_hour integer
);

--
-- Name: new_api_key; Type: TYPE; Schema: optischema_api; Owner: -
--

CREATE TYPE optischema_api.new_api_key AS (
	id uuid,
	prefix text,
	key text
);

--
-- Name: TYPE new_api_key; Type: COMMENT; Schema: optischema_api; Owner: -
--

COMMENT ON TYPE optischema_api.new_api_key IS 'A new API key. `key` is shown this once; only its hash is stored.';

--
-- Name: whoami; Type: TYPE; Schema: optischema_api; Owner: -
--

CREATE TYPE optischema_api.whoami AS (
	user_id uuid,
	email text,
	role text,
	tenant_id uuid,
	tenant_name text
);

--
-- Name: activity_summary(interval, uuid); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.activity_summary(since interval DEFAULT '01:00:00'::interval, target uuid DEFAULT NULL::uuid) RETURNS TABLE(samples bigint, avg_active numeric, max_active integer, avg_idle_in_transaction numeric, max_idle_in_transaction integer, max_connections_used integer, max_connections integer, max_oldest_xact_age_s double precision, waits jsonb)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  with s as (
    select * from optischema.activity_samples a
    where a.target_id = optischema.resolve_target(activity_summary.target) and a.captured_at > now() - since
  )
  select count(*), round(avg(active), 2), max(active), round(avg(idle_in_transaction + idle_in_transaction_aborted), 2),
         max(idle_in_transaction + idle_in_transaction_aborted), max(connections), max(max_connections),
         max(oldest_xact_age_s),
         coalesce((select jsonb_object_agg(w.key, w.total) from (
           select e.key, sum(e.value::int) as total from s, jsonb_each_text(s.waiting) e group by e.key) w), '{}'::jsonb)
  from s
$$;

--
-- Name: add_member_to_current_tenant(text, text); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.add_member_to_current_tenant(member_email text, member_role text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  tenant uuid := optischema.current_tenant_id();
  member uuid;
begin
  if tenant is null then
    raise exception 'no tenant in this request' using errcode = 'insufficient_privilege';
  end if;
  select u.id into member from optischema.users u where lower(u.email) = lower(member_email);
  if member is null then
    insert into optischema.users (email) values (member_email) returning id into member;
  end if;
  insert into optischema.memberships (tenant_id, user_id, role) values (tenant, member, member_role);
  return member;
exception when unique_violation then
  raise exception '% is already a member', member_email using errcode = 'unique_violation';
end
$$;

--
-- Name: advice_rows(jsonb); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.advice_rows(answer jsonb) RETURNS TABLE(statement text, rollback text, table_name text, cost_before double precision, cost_after double precision, improvement_pct numeric, size_bytes bigint, rationale text, queries jsonb)
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: advise(text); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.advise(query text) RETURNS TABLE(statement text, rollback text, table_name text, cost_before double precision, cost_after double precision, improvement_pct numeric, size_bytes bigint, rationale text)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;

--
-- Name: advise_workload(interval, bigint); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.advise_workload(since interval DEFAULT '01:00:00'::interval, budget_bytes bigint DEFAULT NULL::bigint) RETURNS TABLE(statement text, rollback text, table_name text, cost_before double precision, cost_after double precision, improvement_pct numeric, size_bytes bigint, rationale text, queries jsonb)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;

--
-- Name: ai_allowance(uuid); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.ai_allowance(p_tenant uuid) RETURNS TABLE(tokens_this_month bigint, monthly_token_budget bigint, reviews_last_hour integer, reviews_per_hour integer, allowed boolean)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  with settings as (
    select coalesce(s.monthly_token_budget, 2000000) as budget, coalesce(s.reviews_per_hour, 20) as per_hour
    from (select 1) one left join optischema.ai_settings s on s.tenant_id = p_tenant
  ), spent as (
    select coalesce(sum(a.input_tokens + a.output_tokens), 0)::bigint as tokens,
           count(*) filter (where a.created_at > now() - interval '1 hour' and a.status <> 'deterministic')::int as last_hour
    from optischema.ai_analyses a
    where a.tenant_id = p_tenant and a.created_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'
  )
  select spent.tokens, settings.budget, spent.last_hour, settings.per_hour,
         spent.tokens < settings.budget and spent.last_hour < settings.per_hour
  from spent, settings
$$;

--
-- Name: ai_settings_drop_stale_key(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.ai_settings_drop_stale_key() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if (new.provider is distinct from old.provider or new.base_url is distinct from old.base_url)
     and new.api_key_ciphertext is not distinct from old.api_key_ciphertext
     and new.api_key_ref is not distinct from old.api_key_ref then
    new.api_key_ciphertext := null;
    new.api_key_ref := null;
  end if;
  return new;
end
$$;

--
-- Name: answer_advice_request(bigint, jsonb); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.answer_advice_request(p_request bigint, p_answer jsonb) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: recommendation_dedup_key(text, text); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.recommendation_dedup_key(kind text, statement text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN md5(((kind || ':'::text) || btrim(regexp_replace(statement, '\s+'::text, ' '::text, 'g'::text))));

--
-- Name: recommendations; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.recommendations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    target_id uuid NOT NULL,
    kind text NOT NULL,
    title text NOT NULL,
    statement text NOT NULL,
    rollback_statement text,
    rationale text DEFAULT ''::text NOT NULL,
    state text DEFAULT 'proposed'::text NOT NULL,
    improvement_pct numeric(6,2),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    table_name text,
    cost_before double precision,
    cost_after double precision,
    size_bytes bigint,
    evidence jsonb DEFAULT '{}'::jsonb NOT NULL,
    seen_count integer DEFAULT 1 NOT NULL,
    last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
    dedup_key text GENERATED ALWAYS AS (optischema.recommendation_dedup_key(kind, statement)) STORED,
    state_reason text,
    validation jsonb,
    validated_at timestamp with time zone,
    measured_improvement_pct numeric(6,2),
    apply_at timestamp with time zone,
    force_reason text,
    rule text,
    subject text,
    risk text,
    needs_restart boolean DEFAULT false NOT NULL,
    manual boolean GENERATED ALWAYS AS ((regexp_replace(statement, '--[^\n]*'::text, ''::text, 'g'::text) !~ '\S'::text)) STORED,
    CONSTRAINT recommendations_kind_check CHECK ((kind = ANY (ARRAY['index'::text, 'query'::text, 'schema'::text, 'setting'::text, 'plan_insight'::text, 'index_hygiene'::text, 'pooling'::text]))),
    CONSTRAINT recommendations_risk_check CHECK ((risk = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text]))),
    CONSTRAINT recommendations_rule_subject_check CHECK (((rule IS NULL) = (subject IS NULL))),
    CONSTRAINT recommendations_state_check CHECK ((state = ANY (ARRAY['proposed'::text, 'validating'::text, 'validated'::text, 'rejected'::text, 'inconclusive'::text, 'scheduled'::text, 'applying'::text, 'applied'::text, 'failed'::text, 'rolling_back'::text, 'rolled_back'::text, 'dismissed'::text])))
);

ALTER TABLE ONLY optischema.recommendations FORCE ROW LEVEL SECURITY;

--
-- Name: apply(uuid, timestamp with time zone, text); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.apply(id uuid, at timestamp with time zone DEFAULT now(), force_reason text DEFAULT NULL::text) RETURNS optischema.recommendations
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v optischema.recommendations;
  v_reason text := nullif(btrim(force_reason), '');
begin
  perform optischema.transition_caller('admin');
  v := optischema.recommendation_for_transition(id);
  if v.kind = 'query' then
    raise exception 'query rewrites are changed in the application, not applied by OptiSchema' using errcode = 'feature_not_supported';
  end if;
  if v.manual then
    raise exception 'this recommendation is steps to follow by hand (%), not SQL OptiSchema can run: follow them, then dismiss it', v.title
      using errcode = 'feature_not_supported';
  end if;
  if at is null then
    raise exception 'at must be a time (now() for now)' using errcode = 'invalid_parameter_value';
  end if;
  if v.state = 'validated' or (v.state = 'scheduled' and v_reason is null) then
    null;
  elsif v.state in ('proposed', 'rejected', 'inconclusive', 'failed') then
    if v_reason is null or length(v_reason) < 10 then
      raise exception 'a % recommendation is applied only after validation, or forced with a written reason (at least 10 characters)', v.state
        using errcode = 'check_violation', hint = 'select optischema.validate(id) first';
    end if;
  else
    raise exception 'a % recommendation cannot be applied', v.state using errcode = 'check_violation';
  end if;
  if v.state = 'scheduled' then
    -- Rescheduling: the trigger moves the pending job to the new time.
    update optischema.recommendations r set apply_at = at, updated_at = now() where r.id = v.id returning * into v;
    return v;
  end if;
  -- The time first (not yet scheduled: nothing is queued), then the state, whose trigger queues the job for it.
  update optischema.recommendations r set apply_at = at, force_reason = v_reason where r.id = v.id;
  return optischema.move_recommendation(id, 'scheduled',
    jsonb_strip_nulls(jsonb_build_object('at', at, 'forceReason', v_reason, 'forced', v_reason is not null and v.state <> 'validated')));
end
$$;

--
-- Name: apply_retention(integer); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.apply_retention(p_batch integer DEFAULT 10000) RETURNS TABLE(target_id uuid, rolled_up integer, deleted_raw integer, deleted_hourly integer)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_column
declare
  v_target record;
  v_raw_cutoff timestamptz;
  v_hourly_cutoff timestamptz;
  v_rows int;
begin
  if p_batch is null or p_batch < 1 then
    raise exception 'p_batch must be a positive number of rows, not %', p_batch using errcode = 'invalid_parameter_value';
  end if;
  for v_target in select t.id, t.raw_retention, t.hourly_retention, t.keep_literal_samples from optischema.targets t order by t.id loop
    v_raw_cutoff := now() - v_target.raw_retention;
    v_hourly_cutoff := now() - v_target.hourly_retention;
    target_id := v_target.id;
    rolled_up := 0;
    deleted_raw := 0;
    deleted_hourly := 0;

    -- Delete and roll up in one statement: each raw row is summed into its hour exactly once, even
    -- if a later batch (or a later run) adds more rows of the same hour (the upsert adds to it).
    loop
      with gone as (
        delete from optischema.statement_history h
        where h.id in (select s.id from optischema.statement_history s
                        where s.target_id = v_target.id and s.captured_at < v_raw_cutoff
                        order by s.id limit p_batch)
        returning h.tenant_id, h.target_id, h.captured_at, h.queryid, h.calls, h.total_exec_time, h.rows,
                  h.shared_blks_hit, h.shared_blks_read, h.temp_blks_written
      ), hourly as (
        insert into optischema.statement_hourly as s (tenant_id, target_id, hour, queryid, calls, total_exec_time, rows,
                                                      shared_blks_hit, shared_blks_read, temp_blks_written)
        select g.tenant_id, g.target_id, date_trunc('hour', g.captured_at), g.queryid, sum(g.calls), sum(g.total_exec_time),
               sum(g.rows), sum(g.shared_blks_hit), sum(g.shared_blks_read), sum(g.temp_blks_written)
        from gone g
        group by g.tenant_id, g.target_id, date_trunc('hour', g.captured_at), g.queryid
        on conflict (target_id, hour, queryid) do update set
          calls = s.calls + excluded.calls,
          total_exec_time = s.total_exec_time + excluded.total_exec_time,
          rows = s.rows + excluded.rows,
          shared_blks_hit = s.shared_blks_hit + excluded.shared_blks_hit,
          shared_blks_read = s.shared_blks_read + excluded.shared_blks_read,
          temp_blks_written = s.temp_blks_written + excluded.temp_blks_written
      )
      -- A data-modifying WITH runs whether or not it is referenced: hourly always runs.
      select count(*) into v_rows from gone;
      exit when v_rows = 0;
      deleted_raw := deleted_raw + v_rows;
      rolled_up := rolled_up + v_rows;
    end loop;

    -- These have no id column: batches by ctid, each re-read inside its own statement.
    loop
      delete from optischema.table_history h
      where h.ctid = any (array(select s.ctid from optischema.table_history s
                                 where s.target_id = v_target.id and s.captured_at < v_raw_cutoff limit p_batch));
      get diagnostics v_rows = row_count;
      exit when v_rows = 0;
      deleted_raw := deleted_raw + v_rows;
    end loop;
    loop
      delete from optischema.index_history h
      where h.ctid = any (array(select s.ctid from optischema.index_history s
                                 where s.target_id = v_target.id and s.captured_at < v_raw_cutoff limit p_batch));
      get diagnostics v_rows = row_count;
      exit when v_rows = 0;
      deleted_raw := deleted_raw + v_rows;
    end loop;
    loop
      delete from optischema.activity_samples a
      where a.target_id = v_target.id
        and a.captured_at in (select s.captured_at from optischema.activity_samples s
                               where s.target_id = v_target.id and s.captured_at < v_raw_cutoff
                               order by s.captured_at limit p_batch);
      get diagnostics v_rows = row_count;
      exit when v_rows = 0;
      deleted_raw := deleted_raw + v_rows;
    end loop;
    -- At most 5 per query id: one statement is enough.
    delete from optischema.statement_samples s
    where s.target_id = v_target.id and (s.last_seen_at < v_raw_cutoff or not v_target.keep_literal_samples);
    get diagnostics v_rows = row_count;
    deleted_raw := deleted_raw + v_rows;
    -- Snapshots last: their history rows are gone (or rolled up) by now, so the cascade deletes
    -- nothing unaccounted for. The newest snapshot of a target stays whatever its age:
    -- record_statements compares the next one's dealloc and stats_reset with it.
    loop
      delete from optischema.snapshots n
      where n.id in (select s.id from optischema.snapshots s
                      where s.target_id = v_target.id and s.captured_at < v_raw_cutoff
                        and s.id <> (select max(l.id) from optischema.snapshots l where l.target_id = v_target.id)
                      order by s.id limit p_batch);
      get diagnostics v_rows = row_count;
      exit when v_rows = 0;
      deleted_raw := deleted_raw + v_rows;
    end loop;

    loop
      delete from optischema.statement_hourly h
      where (h.target_id, h.hour, h.queryid) in (
        select s.target_id, s.hour, s.queryid from optischema.statement_hourly s
        where s.target_id = v_target.id and s.hour < v_hourly_cutoff order by s.hour limit p_batch);
      get diagnostics v_rows = row_count;
      exit when v_rows = 0;
      deleted_hourly := deleted_hourly + v_rows;
    end loop;

    -- A text is kept while any raw or hourly row of its query id is; the counters
    -- (statement_counters) are not touched: they are the base of the next delta, and dropping the
    -- counter of a statement that is idle but still in pg_stat_statements would count its whole
    -- cumulative value as one interval.
    delete from optischema.query_texts q
    where q.target_id = v_target.id and q.last_seen_at < v_hourly_cutoff
      and not exists (select from optischema.statement_hourly s where s.target_id = q.target_id and s.queryid = q.queryid)
      and not exists (select from optischema.statement_history s where s.target_id = q.target_id and s.queryid = q.queryid);

    return next;
  end loop;
end
$$;

--
-- Name: FUNCTION apply_retention(p_batch integer); Type: COMMENT; Schema: optischema; Owner: -
--

COMMENT ON FUNCTION optischema.apply_retention(p_batch integer) IS 'Rolls raw statement history older than each target''s raw_retention into hourly rows, deletes expired raw and hourly history in batches';

--
-- Name: check_recommendation_transition(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.check_recommendation_transition() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if new.state = old.state then
    return new;
  end if;
  if not optischema.recommendation_transition_allowed(old.state, new.state) then
    raise exception 'a % recommendation cannot become %', old.state, new.state using errcode = 'check_violation';
  end if;
  if optischema.current_tenant_id() is not null and not optischema.recommendation_transition_requestable(old.state, new.state) then
    raise exception 'only OptiSchema''s own jobs move a recommendation from % to %', old.state, new.state
      using errcode = 'insufficient_privilege';
  end if;
  if optischema.current_tenant_id() is not null and new.state in ('scheduled', 'rolling_back') then
    perform optischema.require_role('admin');
  end if;
  new.updated_at := now();
  return new;
end
$$;

--
-- Name: counter_delta(numeric, numeric); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.counter_delta(cur numeric, prev numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    RETURN CASE WHEN ((prev IS NULL) OR (cur IS NULL)) THEN cur WHEN (cur >= prev) THEN (cur - prev) ELSE cur END;

--
-- Name: current_app_role(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.current_app_role() RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select case
    when pg_has_role(current_user, 'optischema_admin', 'usage') then 'admin'
    when pg_has_role(current_user, 'optischema_analyst', 'usage') then 'analyst'
    when pg_has_role(current_user, 'optischema_viewer', 'usage') then 'viewer'
  end
$$;

--
-- Name: current_tenant_id(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.current_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE
    RETURN (NULLIF(current_setting('optischema.tenant_id'::text, true), ''::text))::uuid;

--
-- Name: current_user_id(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.current_user_id() RETURNS uuid
    LANGUAGE sql STABLE
    RETURN (NULLIF(current_setting('optischema.user_id'::text, true), ''::text))::uuid;

--
-- Name: dismiss(uuid, text); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.dismiss(id uuid, reason text) RETURNS optischema.recommendations
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v optischema.recommendations;
begin
  perform optischema.transition_caller('analyst');
  if nullif(btrim(reason), '') is null then
    raise exception 'dismissing needs a reason' using errcode = 'invalid_parameter_value';
  end if;
  v := optischema.recommendation_for_transition(id);
  if not optischema.recommendation_transition_allowed(v.state, 'dismissed') then
    raise exception 'a % recommendation cannot be dismissed', v.state using errcode = 'check_violation';
  end if;
  return optischema.move_recommendation(id, 'dismissed', jsonb_build_object('reason', left(btrim(reason), 2000)));
end
$$;

--
-- Name: find_slow_queries(uuid, interval); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.find_slow_queries(p_target uuid, p_since interval DEFAULT '01:00:00'::interval) RETURNS TABLE(queryid bigint, reason text, mean_exec_ms double precision, calls bigint)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;

--
-- Name: forget_literal_samples(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.forget_literal_samples() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform pg_advisory_xact_lock(1330664268, hashtext(new.id::text));
  delete from optischema.statement_samples s where s.target_id = new.id;
  return null;
end
$$;

--
-- Name: index_fingerprint(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.index_fingerprint() RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select md5(coalesce(string_agg(i.indexrelid::text, ',' order by i.indexrelid), '')) from pg_catalog.pg_index i
$$;

--
-- Name: is_application_statement(text); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.is_application_statement(query text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    RETURN ((query ~* '^\s*(with|select|insert|update|delete|merge|values|table)\M'::text) AND (query !~* '"?(optischema|optischema_api|graphile_worker)"?\.|optischema_entries|pg_temp\.optischema_|^\s*select\s+set_config\('::text));

--
-- Name: local_target(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.local_target() RETURNS uuid
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: merge_evidence_queries(jsonb, jsonb); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.merge_evidence_queries(old_queries jsonb, new_queries jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: move_recommendation(uuid, text, jsonb); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.move_recommendation(p_id uuid, p_to text, p_details jsonb) RETURNS optischema.recommendations
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v optischema.recommendations;
begin
  perform set_config('optischema.transition', p_details::text, true);
  update optischema.recommendations r
     set state = p_to,
         state_reason = coalesce(p_details ->> 'reason', case when p_to in ('validating', 'scheduled', 'proposed') then null else r.state_reason end)
   where r.id = p_id
   returning * into v;
  perform set_config('optischema.transition', '', true);
  return v;
end
$$;

--
-- Name: no_longer_found_reason(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.no_longer_found_reason() RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN 'no longer found by the health check'::text;

--
-- Name: publish_event(jsonb); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.publish_event(payload jsonb) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  tenant uuid := optischema.current_tenant_id();
begin
  if tenant is null then
    raise exception 'publish_event needs the tenant of the request (setting optischema.tenant_id)' using errcode = 'insufficient_privilege';
  end if;
  perform pg_notify('optischema_events:' || tenant, payload::text);
end
$$;

--
-- Name: query_history(bigint, interval, uuid); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.query_history(queryid bigint, since interval DEFAULT '24:00:00'::interval, target uuid DEFAULT NULL::uuid) RETURNS TABLE(captured_at timestamp with time zone, calls bigint, total_time_ms double precision, mean_time_ms double precision, rows bigint, shared_blks_hit bigint, shared_blks_read bigint, temp_blks_written bigint, reset boolean)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select h.captured_at, sum(h.calls)::bigint, sum(h.total_exec_time), sum(h.total_exec_time) / nullif(sum(h.calls), 0),
         sum(h.rows)::bigint, sum(h.shared_blks_hit)::bigint, sum(h.shared_blks_read)::bigint,
         sum(h.temp_blks_written)::bigint, bool_or(h.reset)
  from optischema.statement_history h
  where h.target_id = optischema.resolve_target(query_history.target)
    and h.queryid = query_history.queryid and h.captured_at > now() - since
  group by h.captured_at
  order by h.captured_at
$$;

--
-- Name: queue_recommendation_job(text, uuid, uuid, timestamp with time zone); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.queue_recommendation_job(p_task text, p_id uuid, p_target uuid, p_at timestamp with time zone) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
begin
  if to_regproc('graphile_worker.add_job') is null then
    return;
  end if;
  execute 'select graphile_worker.add_job($1, json_build_object(''recommendationId'', $2::text), queue_name := $3, run_at := $4, job_key := $5, max_attempts := $6)'
    using p_task, p_id,
          case when p_task = 'validate_recommendation' then 'sandbox:' else 'apply:' end || p_target,
          greatest(coalesce(p_at, now()), now()),
          p_task || ':' || p_id,
          case when p_task = 'validate_recommendation' then 3 else 10 end;
end
$_$;

--
-- Name: advice_requests; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.advice_requests (
    id bigint NOT NULL,
    tenant_id uuid NOT NULL,
    target_id uuid NOT NULL,
    kind text NOT NULL,
    query text,
    since interval,
    budget_bytes bigint,
    request_key text NOT NULL,
    state text NOT NULL,
    requested_at timestamp with time zone NOT NULL,
    started_at timestamp with time zone,
    answered_at timestamp with time zone,
    answer jsonb,
    index_fingerprint text,
    requested_by oid,
    CONSTRAINT advice_requests_check CHECK (((kind = 'query'::text) = (query IS NOT NULL))),
    CONSTRAINT advice_requests_kind_check CHECK ((kind = ANY (ARRAY['query'::text, 'workload'::text]))),
    CONSTRAINT advice_requests_state_check CHECK ((state = ANY (ARRAY['queued'::text, 'running'::text, 'done'::text])))
);

ALTER TABLE ONLY optischema.advice_requests FORCE ROW LEVEL SECURITY;

--
-- Name: COLUMN advice_requests.requested_by; Type: COMMENT; Schema: optischema; Owner: -
--

COMMENT ON COLUMN optischema.advice_requests.requested_by IS 'The role that asked (pg_roles.oid): the sidecar plans a query request with this role''s rights.';

--
-- Name: queued_rationale(optischema.advice_requests); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.queued_rationale(request optischema.advice_requests) RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select 'queued: the OptiSchema sidecar is advising on this ' || case request.kind when 'query' then 'query' else 'workload' end
         || case when request.requested_at < now() - interval '1 second'
              then ' (asked ' || round(extract(epoch from now() - request.requested_at)) || ' s ago)' else '' end
         || '; run the same call again in a few seconds'
$$;

--
-- Name: read_activity(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.read_activity() RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: read_indexes(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.read_indexes() RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  /* optischema.read_indexes */ select coalesce(jsonb_agg(jsonb_build_object(
    'indexrelid', i.indexrelid, 'schema_name', i.schemaname, 'table_name', i.relname, 'index_name', i.indexrelname,
    'idx_scan', i.idx_scan, 'idx_tup_read', i.idx_tup_read, 'index_bytes', pg_relation_size(i.indexrelid))), '[]'::jsonb)
  from pg_stat_user_indexes i
$$;

--
-- Name: read_statement_samples(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.read_statement_samples() RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  /* optischema.read_statement_samples */ select coalesce(jsonb_agg(jsonb_build_object('queryid', s.query_id, 'query', s.query)), '[]'::jsonb)
  from (
    select distinct a.query_id, a.query
    from pg_stat_activity a
    where a.backend_type = 'client backend' and a.pid <> pg_backend_pid()
      and a.datname = current_database()
      -- idle and idle in transaction: the statement that just finished (its query id stays).
      and a.state in ('active', 'idle', 'idle in transaction')
      and a.query_id is not null
      -- OptiSchema's own sessions (collector, checks, advisor, the sidecar's pools).
      and a.application_name not like 'optischema%'
      -- pg_stat_activity keeps at most track_activity_query_size - 1 bytes, cut at a character
      -- boundary (up to 3 bytes earlier in a 4-byte encoding): a text that long may be cut.
      and octet_length(a.query) < (select p.setting::int from pg_settings p where p.name = 'track_activity_query_size') - 4
      and octet_length(a.query) <= 16384
  ) s
$$;

--
-- Name: read_statements(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.read_statements() RETURNS json
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'optischema', 'pg_temp'
    AS $$
  -- This database's statements only: pg_stat_statements covers the whole cluster, a target is one database.
  /* optischema.read_statements */ select coalesce(json_agg(s), '[]'::json) from pg_stat_statements(true) s
  where s.queryid is not null and s.dbid = (select oid from pg_database where datname = current_database())
$$;

--
-- Name: read_statements_info(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.read_statements_info() RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'optischema', 'pg_temp'
    AS $$
  /* optischema.read_statements_info */ select to_jsonb(i) from pg_stat_statements_info i
$$;

--
-- Name: read_tables(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.read_tables() RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: realized_gain(bigint, integer, interval); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.realized_gain(p_change bigint, min_calls integer DEFAULT 20, max_window interval DEFAULT '24:00:00'::interval) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
declare
  c optischema.changes;
  v_queryids bigint[];
  v_window interval;
  b record;
  a record;
begin
  select * into c from optischema.changes where id = p_change;
  if not found then
    raise exception 'no applied change %', p_change using errcode = 'no_data_found';
  end if;
  select coalesce(array_agg(distinct (q ->> 'queryid')::bigint) filter (where q ->> 'queryid' ~ '^-?[0-9]+$'), '{}') into v_queryids
    from optischema.recommendations r, jsonb_array_elements(coalesce(r.evidence -> 'queries', '[]')) q
   where r.id = c.recommendation_id;
  if cardinality(v_queryids) = 0 then
    return jsonb_build_object('state', 'waiting', 'reason', 'the recommendation names no collected query to measure');
  end if;
  v_window := least(coalesce(c.rolled_back_at, now()) - c.applied_at, max_window);
  select coalesce(sum(h.calls), 0)::bigint as calls, sum(h.total_exec_time) / nullif(sum(h.calls), 0) as mean_ms into b
    from optischema.statement_history h
   where h.target_id = c.target_id and h.queryid = any (v_queryids)
     and h.captured_at > c.applied_at - v_window and h.captured_at <= c.applied_at;
  -- After: only intervals that began once the index was there (the one the apply fell in mixes both).
  select coalesce(sum(h.calls), 0)::bigint as calls, sum(h.total_exec_time) / nullif(sum(h.calls), 0) as mean_ms into a
    from optischema.statement_history h
    join optischema.snapshots s on s.id = h.snapshot_id
   where h.target_id = c.target_id and h.queryid = any (v_queryids)
     and h.captured_at - make_interval(secs => coalesce(s.interval_s, 0)) >= c.applied_at and h.captured_at <= c.applied_at + v_window;
  if b.calls < min_calls or a.calls < min_calls then
    return jsonb_build_object('state', 'waiting', 'windowS', extract(epoch from v_window), 'callsBefore', b.calls, 'callsAfter', a.calls,
      'reason', format('not enough traffic yet: %s calls before and %s after over %s windows (%s needed on each side)',
                       b.calls, a.calls, v_window, min_calls));
  end if;
  return jsonb_build_object('state', 'measured', 'windowS', extract(epoch from v_window), 'callsBefore', b.calls, 'callsAfter', a.calls,
    'beforeMs', round(b.mean_ms::numeric, 4), 'afterMs', round(a.mean_ms::numeric, 4),
    'improvementPct', round((100 * (b.mean_ms - a.mean_ms) / nullif(b.mean_ms, 0))::numeric, 2));
end
$_$;

--
-- Name: recommendation_event(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.recommendation_event() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform pg_notify('optischema_events:' || new.tenant_id, jsonb_build_object(
    'kind', case when tg_op = 'INSERT' then 'recommendation_created' else 'recommendation_state' end,
    'target', new.target_id, 'recommendationId', new.id, 'state', new.state)::text);
  return new;
end
$$;

--
-- Name: recommendation_for_transition(uuid); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.recommendation_for_transition(p_id uuid) RETURNS optischema.recommendations
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v optischema.recommendations;
begin
  select * into v from optischema.recommendations r where r.id = p_id for update;
  if not found then
    raise exception 'no recommendation %', p_id using errcode = 'no_data_found';
  end if;
  return v;
end
$$;

--
-- Name: recommendation_transition_allowed(text, text); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.recommendation_transition_allowed(p_from text, p_to text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    BEGIN ATOMIC
 SELECT (((((((((((((((((((((((((((((((p_from = 'proposed'::text) AND (p_to = 'validating'::text)) OR ((p_from = 'validated'::text) AND (p_to = 'validating'::text))) OR ((p_from = 'rejected'::text) AND (p_to = 'validating'::text))) OR ((p_from = 'inconclusive'::text) AND (p_to = 'validating'::text))) OR ((p_from = 'failed'::text) AND (p_to = 'validating'::text))) OR ((p_from = 'rolled_back'::text) AND (p_to = 'validating'::text))) OR ((p_from = 'validating'::text) AND (p_to = 'validated'::text))) OR ((p_from = 'validating'::text) AND (p_to = 'rejected'::text))) OR ((p_from = 'validating'::text) AND (p_to = 'inconclusive'::text))) OR ((p_from = 'validated'::text) AND (p_to = 'scheduled'::text))) OR ((p_from = 'proposed'::text) AND (p_to = 'scheduled'::text))) OR ((p_from = 'rejected'::text) AND (p_to = 'scheduled'::text))) OR ((p_from = 'inconclusive'::text) AND (p_to = 'scheduled'::text))) OR ((p_from = 'failed'::text) AND (p_to = 'scheduled'::text))) OR ((p_from = 'scheduled'::text) AND (p_to = 'applying'::text))) OR ((p_from = 'applying'::text) AND (p_to = 'applied'::text))) OR ((p_from = 'applying'::text) AND (p_to = 'failed'::text))) OR ((p_from = 'applying'::text) AND (p_to = 'scheduled'::text))) OR ((p_from = 'applied'::text) AND (p_to = 'rolling_back'::text))) OR ((p_from = 'rolling_back'::text) AND (p_to = 'rolled_back'::text))) OR ((p_from = 'rolling_back'::text) AND (p_to = 'applied'::text))) OR ((p_from = 'proposed'::text) AND (p_to = 'dismissed'::text))) OR ((p_from = 'validating'::text) AND (p_to = 'dismissed'::text))) OR ((p_from = 'validated'::text) AND (p_to = 'dismissed'::text))) OR ((p_from = 'rejected'::text) AND (p_to = 'dismissed'::text))) OR ((p_from = 'inconclusive'::text) AND (p_to = 'dismissed'::text))) OR ((p_from = 'scheduled'::text) AND (p_to = 'dismissed'::text))) OR ((p_from = 'failed'::text) AND (p_to = 'dismissed'::text))) OR ((p_from = 'rolled_back'::text) AND (p_to = 'dismissed'::text))) OR ((p_from = 'dismissed'::text) AND (p_to = 'proposed'::text)));
END;

--
-- Name: recommendation_transition_requestable(text, text); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.recommendation_transition_requestable(p_from text, p_to text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    BEGIN ATOMIC
 SELECT ((p_to = ANY (ARRAY['validating'::text, 'scheduled'::text, 'rolling_back'::text, 'dismissed'::text])) OR ((p_from = 'dismissed'::text) AND (p_to = 'proposed'::text)));
END;

--
-- Name: record_activity(uuid, timestamp with time zone, jsonb); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.record_activity(p_target uuid, p_captured timestamp with time zone, p_sample jsonb) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  insert into optischema.activity_samples (tenant_id, target_id, captured_at, active, idle, idle_in_transaction,
    idle_in_transaction_aborted, waiting, oldest_xact_age_s, oldest_query_age_s, connections, max_connections)
  select t.tenant_id, t.id, p_captured, (p_sample ->> 'active')::int, (p_sample ->> 'idle')::int,
         (p_sample ->> 'idle_in_transaction')::int, (p_sample ->> 'idle_in_transaction_aborted')::int,
         coalesce(p_sample -> 'waiting', '{}'::jsonb), (p_sample ->> 'oldest_xact_age_s')::float8,
         (p_sample ->> 'oldest_query_age_s')::float8, (p_sample ->> 'connections')::int, (p_sample ->> 'max_connections')::int
  from optischema.targets t where t.id = p_target
  on conflict (target_id, captured_at) do nothing
$$;

--
-- Name: record_health_findings(uuid, text[], jsonb); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.record_health_findings(p_target uuid, p_kinds text[], p_findings jsonb) RETURNS TABLE(recommendation_id uuid, created boolean, state text, kind text, rule text, subject text)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_column
declare
  v_tenant uuid;
  v_finding jsonb;
begin
  select t.tenant_id into v_tenant from optischema.targets t where t.id = p_target;
  if v_tenant is null then
    raise exception 'no target %', p_target using errcode = 'no_data_found';
  end if;
  if jsonb_typeof(p_findings) is distinct from 'array' then
    raise exception 'findings must be a JSON array' using errcode = 'invalid_parameter_value';
  end if;
  for v_finding in select e.value from jsonb_array_elements(p_findings) e loop
    if not (v_finding ->> 'kind' = any (p_kinds)) then
      raise exception 'a finding of kind % from a check of %', v_finding ->> 'kind', p_kinds using errcode = 'invalid_parameter_value';
    end if;
    if coalesce(btrim(v_finding ->> 'sql'), '') = '' or coalesce(v_finding ->> 'rule', '') = '' or coalesce(v_finding ->> 'subject', '') = '' then
      raise exception 'a finding without rule, subject or sql: %', left(v_finding::text, 200) using errcode = 'invalid_parameter_value';
    end if;
    return query
    insert into optischema.recommendations as r (
      tenant_id, target_id, kind, rule, subject, title, statement, rollback_statement, rationale, risk,
      table_name, needs_restart, evidence, last_seen_at)
    values (
      v_tenant, p_target, v_finding ->> 'kind', v_finding ->> 'rule', v_finding ->> 'subject',
      left(coalesce(v_finding ->> 'title', v_finding ->> 'rule'), 200), v_finding ->> 'sql', v_finding ->> 'rollbackSql',
      coalesce(v_finding ->> 'rationale', ''), v_finding ->> 'risk', v_finding ->> 'table',
      coalesce((v_finding ->> 'needsRestart')::boolean, false),
      jsonb_build_object('finding', coalesce(v_finding -> 'evidence', '{}'), 'queries', coalesce(v_finding #> '{evidence,queries}', '[]'),
                         'sources', jsonb_build_array('health_check')),
      now())
    on conflict (target_id, kind, rule, subject) where rule is not null do update set
      seen_count = r.seen_count + 1,
      last_seen_at = now(),
      state = case when r.state = 'dismissed' and r.state_reason = optischema.no_longer_found_reason() then 'proposed' else r.state end,
      title = case when r.state in ('proposed', 'dismissed') then excluded.title else r.title end,
      statement = case when r.state in ('proposed', 'dismissed') then excluded.statement else r.statement end,
      rollback_statement = case when r.state in ('proposed', 'dismissed') then excluded.rollback_statement else r.rollback_statement end,
      rationale = case when r.state in ('proposed', 'dismissed') then excluded.rationale else r.rationale end,
      risk = case when r.state in ('proposed', 'dismissed') then excluded.risk else r.risk end,
      table_name = case when r.state in ('proposed', 'dismissed') then excluded.table_name else r.table_name end,
      needs_restart = case when r.state in ('proposed', 'dismissed') then excluded.needs_restart else r.needs_restart end,
      evidence = case when r.state in ('proposed', 'dismissed') then excluded.evidence else r.evidence end
    -- xmax = 0: the row version was inserted by this statement, not updated (the upsert's usual tell).
    returning r.id, (r.xmax = 0), r.state, r.kind, r.rule, r.subject;
  end loop;

  perform set_config('optischema.transition', json_build_object('reason', optischema.no_longer_found_reason())::text, true);
  update optischema.recommendations r
     set state = 'dismissed', state_reason = optischema.no_longer_found_reason(), updated_at = now()
   where r.target_id = p_target and r.kind = any (p_kinds) and r.rule is not null and r.state = 'proposed'
     and not exists (select from jsonb_array_elements(p_findings) f
                      where f.value ->> 'kind' = r.kind and f.value ->> 'rule' = r.rule and f.value ->> 'subject' = r.subject);
  perform set_config('optischema.transition', '', true);
end
$$;

--
-- Name: record_index_recommendations(uuid, text, jsonb); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.record_index_recommendations(p_target uuid, p_source text, p_recommendations jsonb) RETURNS TABLE(recommendation_id uuid, created boolean, state text)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;

--
-- Name: record_recommendation_transition(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.record_recommendation_transition() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
declare
  v_details jsonb := coalesce(nullif(current_setting('optischema.transition', true), '')::jsonb, '{}');
  v_job text := case new.state
    when 'validating' then 'validate_recommendation'
    when 'scheduled' then 'apply_recommendation'
    when 'rolling_back' then 'rollback_recommendation' end;
begin
  if new.state = old.state then
    -- A scheduled apply moved to another time: its pending job moves with it (same job key).
    if new.state = 'scheduled' and new.apply_at is distinct from old.apply_at then
      insert into optischema.audit_log (tenant_id, actor_user_id, actor_api_key_id, actor_label, action, object_type, object_id, result, details)
      values (new.tenant_id, optischema.current_user_id(), nullif(current_setting('optischema.api_key_id', true), '')::uuid,
              case when optischema.current_tenant_id() is null then session_user::text else '' end,
              'recommendation.rescheduled', 'recommendation', new.id::text, 'ok',
              jsonb_build_object('from', old.apply_at, 'to', new.apply_at) || v_details);
      perform optischema.queue_recommendation_job('apply_recommendation', new.id, new.target_id, new.apply_at);
    end if;
    return new;
  end if;
  insert into optischema.audit_log (tenant_id, actor_user_id, actor_api_key_id, actor_label, action, object_type, object_id, result, details)
  values (
    new.tenant_id,
    optischema.current_user_id(),
    nullif(current_setting('optischema.api_key_id', true), '')::uuid,
    -- Outside an API request: the database role that made the change (psql's user, or the sidecar).
    case when optischema.current_tenant_id() is null then session_user::text else '' end,
    'recommendation.' || new.state,
    'recommendation',
    new.id::text,
    case when new.state in ('failed', 'inconclusive') then 'error' else 'ok' end,
    jsonb_build_object('from', old.state, 'to', new.state) || v_details);
  if v_job is not null then
    perform optischema.queue_recommendation_job(v_job, new.id, new.target_id, new.apply_at);
  end if;
  if old.state = 'scheduled' and new.state = 'dismissed' and to_regproc('graphile_worker.remove_job') is not null then
    execute 'select graphile_worker.remove_job($1)' using 'apply_recommendation:' || new.id;
  end if;
  return new;
end
$_$;

--
-- Name: record_relations(bigint, jsonb, jsonb); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.record_relations(p_snapshot bigint, p_tables jsonb, p_indexes jsonb) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: record_snapshot(uuid, timestamp with time zone, json, jsonb, jsonb, jsonb, timestamp with time zone); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.record_snapshot(p_target uuid, p_captured timestamp with time zone, p_statements json, p_info jsonb, p_tables jsonb, p_indexes jsonb, p_started timestamp with time zone DEFAULT clock_timestamp()) RETURNS optischema.snapshot_result
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: record_statement_samples(uuid, timestamp with time zone, jsonb); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.record_statement_samples(p_target uuid, p_captured timestamp with time zone, p_samples jsonb) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
declare
  v_tenant uuid;
  v_stored int;
begin
  -- Waits only while the switch is being turned off: a sample read before the switch then finds it
  -- off below, instead of landing after the delete.
  perform pg_advisory_xact_lock_shared(1330664268, hashtext(p_target::text));
  select t.tenant_id into v_tenant from optischema.targets t where t.id = p_target and t.keep_literal_samples;
  if v_tenant is null or jsonb_typeof(p_samples) is distinct from 'array' then
    return 0;
  end if;

  insert into optischema.statement_samples as s (tenant_id, target_id, queryid, query, first_seen_at, last_seen_at)
  select distinct v_tenant, p_target, (e ->> 'queryid')::bigint, e ->> 'query', p_captured, p_captured
  from jsonb_array_elements(p_samples) e
  where jsonb_typeof(e) = 'object' and e ->> 'queryid' ~ '^-?[0-9]{1,19}$' and e ->> 'query' is not null
    and octet_length(e ->> 'query') <= 16384
    and optischema.is_application_statement(e ->> 'query')
    -- One statement: no ';' but trailing ones. Stricter than the grammar (a ';' in a string
    -- literal also leaves the text out), never looser; the engine's lexer checks again.
    and strpos(regexp_replace(e ->> 'query', '[\s;]+$', ''), ';') = 0
    -- $1, $2…: the values travelled apart from the text (extended protocol); nothing to learn.
    and (e ->> 'query') !~ '\$[0-9]'
  on conflict (target_id, queryid, query_md5) do update
    set last_seen_at = greatest(s.last_seen_at, excluded.last_seen_at), times_seen = s.times_seen + 1;
  get diagnostics v_stored = row_count;

  -- The bound, for the query ids just seen: newest first, then the most often seen.
  delete from optischema.statement_samples s
  where s.target_id = p_target
    and (s.queryid, s.query_md5) in (
      select r.queryid, r.query_md5 from (
        select x.queryid, x.query_md5,
               row_number() over (partition by x.queryid order by x.last_seen_at desc, x.times_seen desc, x.query_md5) as n
        from optischema.statement_samples x
        where x.target_id = p_target
          and x.queryid in (select (e ->> 'queryid')::bigint from jsonb_array_elements(p_samples) e
                             where jsonb_typeof(e) = 'object' and e ->> 'queryid' ~ '^-?[0-9]{1,19}$')
      ) r
      where r.n > 5);
  return v_stored;
end
$_$;

--
-- Name: record_statements(uuid, timestamp with time zone, json, jsonb); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.record_statements(p_target uuid, p_captured timestamp with time zone, p_entries json, p_info jsonb DEFAULT NULL::jsonb) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'optischema', 'pg_temp'
    AS $$
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

--
-- Name: refuse_audit_change(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.refuse_audit_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  raise exception 'the audit log is append-only' using errcode = 'insufficient_privilege';
end
$$;

--
-- Name: refuse_manual_apply(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.refuse_manual_apply() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  raise exception 'this recommendation is steps to follow by hand (%), not SQL OptiSchema can run: follow them, then dismiss it', new.title
    using errcode = 'feature_not_supported';
end
$$;

--
-- Name: request_advice(text, text, interval, bigint); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.request_advice(p_kind text, p_query text, p_since interval, p_budget_bytes bigint) RETURNS optischema.advice_requests
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: requeue_transitions(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.requeue_transitions() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v record;
  n int := 0;
begin
  if to_regproc('graphile_worker.add_job') is null then
    return 0;
  end if;
  for v in
    select r.id, r.target_id, r.state, r.apply_at,
           case r.state when 'validating' then 'validate_recommendation' when 'scheduled' then 'apply_recommendation'
                        when 'applying' then 'apply_recommendation' else 'rollback_recommendation' end as task
      from optischema.recommendations r
     where r.state in ('validating', 'scheduled', 'applying', 'rolling_back')
  loop
    continue when exists (select from graphile_worker.jobs j where j.key = v.task || ':' || v.id);
    perform optischema.queue_recommendation_job(v.task, v.id, v.target_id, v.apply_at);
    n := n + 1;
  end loop;
  return n;
end
$$;

--
-- Name: require_role(text); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.require_role(needed text) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  rank constant jsonb := '{"viewer": 1, "analyst": 2, "admin": 3}';
  have text := optischema.current_app_role();
begin
  if have is null or optischema.current_tenant_id() is null or (rank ->> have)::int < (rank ->> needed)::int then
    raise exception 'this needs the % role', needed using errcode = 'insufficient_privilege';
  end if;
end
$$;

--
-- Name: reserve_sign_in_attempt(text[], integer[], interval, timestamp with time zone); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.reserve_sign_in_attempt(p_keys text[], p_limits integer[], p_window interval, p_now timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS TABLE(reserved_at timestamp with time zone, retry_after_seconds integer)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_column
declare
  v_now timestamptz := coalesce(p_now, pg_catalog.clock_timestamp());
  v_wait interval := interval '0';
  v_i int;
  v_recent timestamptz[];
begin
  -- Sweep a bounded batch of rows whose attempts have all left the window; rows another attempt
  -- holds are skipped, not waited for.
  delete from optischema.sign_in_attempts a
  where a.key in (select s.key from optischema.sign_in_attempts s where s.expires_at < v_now limit 1000 for update skip locked);

  for v_i in select i from pg_catalog.generate_subscripts(p_keys, 1) i order by p_keys[i] loop
    insert into optischema.sign_in_attempts as a (key, attempts, expires_at)
    values (p_keys[v_i], '{}', v_now + p_window)
    on conflict (key) do update
      set attempts = array(select t from pg_catalog.unnest(a.attempts) t where t > v_now - p_window order by t)
    returning a.attempts into v_recent;
    if pg_catalog.cardinality(v_recent) >= p_limits[v_i] then
      v_wait := greatest(v_wait, v_recent[pg_catalog.cardinality(v_recent) - p_limits[v_i] + 1] + p_window - v_now);
    end if;
  end loop;

  if v_wait > interval '0' then
    return query select null::timestamptz, greatest(1, pg_catalog.ceil(extract(epoch from v_wait)))::int;
    return;
  end if;
  update optischema.sign_in_attempts a
  set attempts = a.attempts || v_now, expires_at = v_now + p_window
  where a.key = any (p_keys);
  return query select v_now, 0;
end
$$;

--
-- Name: resolve_target(uuid); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.resolve_target(target uuid) RETURNS uuid
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select coalesce(target, optischema.local_target())
$$;

--
-- Name: rollback(uuid); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.rollback(id uuid) RETURNS optischema.recommendations
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v optischema.recommendations;
begin
  perform optischema.transition_caller('admin');
  v := optischema.recommendation_for_transition(id);
  if v.state = 'rolling_back' then
    return v;
  end if;
  if v.state <> 'applied' then
    raise exception 'a % recommendation cannot be rolled back: only an applied one', v.state using errcode = 'check_violation';
  end if;
  return optischema.move_recommendation(id, 'rolling_back', '{}');
end
$$;

--
-- Name: sample_activity(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.sample_activity() RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_target uuid := optischema.local_target();
begin
  perform optischema.record_activity(v_target, now(), optischema.read_activity());
  if (select t.keep_literal_samples from optischema.targets t where t.id = v_target) then
    perform optischema.record_statement_samples(v_target, now(), optischema.read_statement_samples());
  end if;
end
$$;

--
-- Name: sidecar_is_running(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.sidecar_is_running() RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select exists (
    select from pg_catalog.pg_locks l
    where l.locktype = 'advisory' and l.granted
      and l.database = (select d.oid from pg_catalog.pg_database d where d.datname = current_database())
      -- Two-int4 advisory keys: classid, objid, and objsubid = 2.
      and l.classid = 1330664787 and l.objid = 1 and l.objsubid = 2)
$$;

--
-- Name: snapshot(); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.snapshot() RETURNS optischema.snapshot_result
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_started timestamptz := clock_timestamp();
begin
  perform set_config('statement_timeout', '10s', true), set_config('lock_timeout', '1s', true);
  -- NULL statements: record_statements reads this database's pg_stat_statements in place.
  return optischema.record_snapshot(optischema.local_target(), now(), null,
    optischema.read_statements_info(), optischema.read_tables(), optischema.read_indexes(), v_started);
end
$$;

--
-- Name: top_queries(interval, text, uuid, integer); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.top_queries(since interval DEFAULT '01:00:00'::interval, order_by text DEFAULT 'total_time'::text, target uuid DEFAULT NULL::uuid, top integer DEFAULT 20) RETURNS TABLE(queryid bigint, query text, calls bigint, total_time_ms double precision, mean_time_ms double precision, rows bigint, shared_blks_hit bigint, shared_blks_read bigint, temp_blks_written bigint, share_of_total_pct numeric)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
#variable_conflict use_column
declare
  v_target uuid := optischema.resolve_target(target);
begin
  if order_by not in ('total_time', 'mean_time', 'calls', 'rows', 'shared_blks_read', 'temp_blks_written') then
    raise exception 'order_by must be one of total_time, mean_time, calls, rows, shared_blks_read, temp_blks_written; not %', order_by
      using errcode = 'invalid_parameter_value';
  end if;
  return query
  with window_stats as (
    select h.queryid, sum(h.calls)::bigint as calls, sum(h.total_exec_time) as total_ms, sum(h.rows)::bigint as rows,
           sum(h.shared_blks_hit)::bigint as hit, sum(h.shared_blks_read)::bigint as read,
           sum(h.temp_blks_written)::bigint as temp
    from optischema.statement_history h
    join optischema.query_texts q on q.target_id = h.target_id and q.queryid = h.queryid
    where h.target_id = v_target and h.captured_at > now() - since and optischema.is_application_statement(q.query)
    group by h.queryid
  )
  select w.queryid, q.query, w.calls, w.total_ms, w.total_ms / nullif(w.calls, 0), w.rows, w.hit, w.read, w.temp,
         round((100 * w.total_ms / nullif(sum(w.total_ms) over (), 0))::numeric, 2)
  from window_stats w
  left join optischema.query_texts q on q.target_id = v_target and q.queryid = w.queryid
  order by case order_by
             when 'total_time' then w.total_ms
             when 'mean_time' then w.total_ms / nullif(w.calls, 0)
             when 'calls' then w.calls
             when 'rows' then w.rows
             when 'shared_blks_read' then w.read
             else w.temp
           end desc nulls last
  limit top;
end
$$;

--
-- Name: transition_caller(text); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.transition_caller(needed text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if optischema.current_tenant_id() is null then
    if exists (select from pg_catalog.pg_roles r where r.rolname = current_user and (r.rolsuper or r.rolbypassrls)) then
      return 'operator';
    end if;
    raise exception 'this needs the % role in a tenant, or the role that installed OptiSchema', needed using errcode = 'insufficient_privilege';
  end if;
  perform optischema.require_role(needed);
  return optischema.current_app_role();
end
$$;

--
-- Name: validate(uuid); Type: FUNCTION; Schema: optischema; Owner: -
--

CREATE FUNCTION optischema.validate(id uuid) RETURNS optischema.recommendations
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v optischema.recommendations;
begin
  perform optischema.transition_caller('analyst');
  v := optischema.recommendation_for_transition(id);
  if v.kind = 'query' then
    raise exception 'query rewrites are verified by the AI review, not validated as recommendations' using errcode = 'feature_not_supported';
  end if;
  if v.state = 'validating' then
    return v;
  end if;
  if not optischema.recommendation_transition_allowed(v.state, 'validating') then
    raise exception 'a % recommendation cannot be validated', v.state using errcode = 'check_violation';
  end if;
  return optischema.move_recommendation(id, 'validating', '{}');
end
$$;

--
-- Name: memberships; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.memberships (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT memberships_role_check CHECK ((role = ANY (ARRAY['viewer'::text, 'analyst'::text, 'admin'::text])))
);

ALTER TABLE ONLY optischema.memberships FORCE ROW LEVEL SECURITY;

--
-- Name: users; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email text NOT NULL,
    display_name text DEFAULT ''::text NOT NULL,
    password_hash text,
    oidc_issuer text,
    oidc_subject text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    disabled_at timestamp with time zone,
    CONSTRAINT users_email_check CHECK ((email ~ '^[^@\s]+@[^@\s]+$'::text))
);

ALTER TABLE ONLY optischema.users FORCE ROW LEVEL SECURITY;

--
-- Name: members; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.members WITH (security_invoker='true') AS
 SELECT m.user_id,
    u.email,
    u.display_name,
    m.role,
    m.created_at
   FROM (optischema.memberships m
     JOIN optischema.users u ON ((u.id = m.user_id)));

--
-- Name: add_member(text, text); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.add_member(email text, role text) RETURNS optischema_api.members
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
declare
  member uuid;
  result optischema_api.members;
begin
  perform optischema.require_role('admin');
  if role not in ('viewer', 'analyst', 'admin') then
    raise exception 'role must be viewer, analyst or admin' using errcode = 'invalid_parameter_value';
  end if;
  if email !~ '^[^@\s]+@[^@\s]+$' or length(email) > 320 then
    raise exception 'not an email address: %', left(email, 80) using errcode = 'invalid_parameter_value';
  end if;
  member := optischema.add_member_to_current_tenant(email, role);
  select * into result from optischema_api.members v where v.user_id = member;
  return result;
end
$_$;

--
-- Name: recommendation_notes; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.recommendation_notes (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    recommendation_id uuid NOT NULL,
    author_id uuid,
    body text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT recommendation_notes_body_check CHECK (((length(body) >= 1) AND (length(body) <= 10000)))
);

ALTER TABLE ONLY optischema.recommendation_notes FORCE ROW LEVEL SECURITY;

--
-- Name: recommendation_notes; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.recommendation_notes WITH (security_invoker='true') AS
 SELECT recommendation_notes.id,
    recommendation_notes.recommendation_id,
    recommendation_notes.author_id,
    recommendation_notes.body,
    recommendation_notes.created_at
   FROM optischema.recommendation_notes;

--
-- Name: add_recommendation_note(uuid, text); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.add_recommendation_note(recommendation_id uuid, body text) RETURNS optischema_api.recommendation_notes
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  note_id uuid;
  result optischema_api.recommendation_notes;
begin
  perform optischema.require_role('analyst');
  if not exists (select from optischema.recommendations r where r.id = recommendation_id) then
    raise exception 'no recommendation %', recommendation_id using errcode = 'no_data_found';
  end if;
  insert into optischema.recommendation_notes (tenant_id, recommendation_id, author_id, body)
    values (optischema.current_tenant_id(), recommendation_id, optischema.current_user_id(), body)
    returning id into note_id;
  select * into result from optischema_api.recommendation_notes v where v.id = note_id;
  return result;
end
$$;

--
-- Name: ai_status(); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.ai_status() RETURNS optischema_api.ai_status
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select coalesce(s.enabled, true) and coalesce(s.provider, d.provider) is not null,
         coalesce(s.provider, d.provider), case when s.provider is not null then s.model else d.model end,
         -- The tenant's own address only: the sidecar's default is the operator's configuration.
         case when s.provider is not null then s.base_url end,
         coalesce(s.send_literals, false),
         (select coalesce(sum(a.input_tokens + a.output_tokens), 0)::bigint from optischema.ai_analyses a
           where a.created_at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'),
         coalesce(s.monthly_token_budget, 2000000),
         (select count(*)::int from optischema.ai_analyses a where a.created_at > now() - interval '1 hour' and a.status <> 'deterministic'),
         coalesce(s.reviews_per_hour, 20)
  from (select 1) one
  left join optischema.ai_settings s on s.tenant_id = optischema.current_tenant_id()
  left join optischema.ai_default d on true
$$;

--
-- Name: FUNCTION ai_status(); Type: COMMENT; Schema: optischema_api; Owner: -
--

COMMENT ON FUNCTION optischema_api.ai_status() IS 'Whether AI analysis is on for the caller''s tenant, with which model, and the tokens spent this month.';

--
-- Name: recommendations; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.recommendations WITH (security_invoker='true') AS
 SELECT recommendations.id,
    recommendations.target_id,
    recommendations.kind,
    recommendations.title,
    recommendations.statement,
    recommendations.rollback_statement,
    recommendations.rationale,
    recommendations.state,
    recommendations.improvement_pct,
    recommendations.created_at,
    recommendations.updated_at,
    recommendations.table_name,
    recommendations.cost_before,
    recommendations.cost_after,
    recommendations.size_bytes,
    recommendations.evidence,
    recommendations.seen_count,
    recommendations.last_seen_at,
    recommendations.state_reason,
    recommendations.validation,
    recommendations.validated_at,
    recommendations.measured_improvement_pct,
    recommendations.apply_at,
    recommendations.force_reason,
    recommendations.rule,
    recommendations.subject,
    recommendations.risk,
    recommendations.needs_restart,
    recommendations.manual
   FROM optischema.recommendations;

--
-- Name: COLUMN recommendations.rule; Type: COMMENT; Schema: optischema_api; Owner: -
--

COMMENT ON COLUMN optischema_api.recommendations.rule IS 'The health advisor''s rule that found it (unused_index, column_padding, work_mem…); null for the index advisor''s recommendations.';

--
-- Name: COLUMN recommendations.subject; Type: COMMENT; Schema: optischema_api; Owner: -
--

COMMENT ON COLUMN optischema_api.recommendations.subject IS 'What a health finding is about: schema.index, schema.table, schema.table.column, a setting''s name, or server.';

--
-- Name: COLUMN recommendations.manual; Type: COMMENT; Schema: optischema_api; Owner: -
--

COMMENT ON COLUMN optischema_api.recommendations.manual IS 'Steps to follow by hand (only SQL comments): it can be validated where a sandbox can test it, never applied by OptiSchema.';

--
-- Name: apply_recommendation(uuid, timestamp with time zone, text); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.apply_recommendation(recommendation_id uuid, at timestamp with time zone DEFAULT NULL::timestamp with time zone, force_reason text DEFAULT NULL::text) RETURNS optischema_api.recommendations
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  result optischema_api.recommendations;
begin
  perform optischema.apply(recommendation_id, coalesce(at, now()), force_reason);
  select * into result from optischema_api.recommendations v where v.id = recommendation_id;
  return result;
end
$$;

--
-- Name: create_api_key(text, text); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.create_api_key(name text, role text) RETURNS optischema_api.new_api_key
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  prefix text := substr(replace(gen_random_uuid()::text, '-', ''), 1, 8);
  -- Two random UUIDs: 244 bits from the server's strong random source.
  key text := 'osk_' || prefix || '_' || replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
  new_id uuid;
begin
  perform optischema.require_role('admin');
  if role not in ('viewer', 'analyst', 'admin') then
    raise exception 'role must be viewer, analyst or admin' using errcode = 'invalid_parameter_value';
  end if;
  insert into optischema.api_keys (tenant_id, name, role, prefix, key_hash, created_by)
    values (optischema.current_tenant_id(), name, role, prefix, encode(sha256(convert_to(key, 'UTF8')), 'hex'), optischema.current_user_id())
    returning id into new_id;
  return (new_id, prefix, key)::optischema_api.new_api_key;
end
$$;

--
-- Name: delete_target(uuid); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.delete_target(target_id uuid) RETURNS uuid
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform optischema.require_role('admin');
  delete from optischema.targets t where t.id = target_id;
  if not found then
    raise exception 'no target %', target_id using errcode = 'no_data_found';
  end if;
  return target_id;
end
$$;

--
-- Name: dismiss_recommendation(uuid, text); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.dismiss_recommendation(recommendation_id uuid, reason text) RETURNS optischema_api.recommendations
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  result optischema_api.recommendations;
begin
  perform optischema.dismiss(recommendation_id, reason);
  select * into result from optischema_api.recommendations v where v.id = recommendation_id;
  return result;
end
$$;

--
-- Name: query_history(uuid, bigint, interval); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.query_history(target_id uuid, queryid bigint, since interval DEFAULT '24:00:00'::interval) RETURNS TABLE(captured_at timestamp with time zone, calls bigint, total_time_ms double precision, mean_time_ms double precision, rows bigint, shared_blks_hit bigint, shared_blks_read bigint, temp_blks_written bigint)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select s.captured_at, sum(s.calls)::bigint, sum(s.total_exec_time), sum(s.total_exec_time) / nullif(sum(s.calls), 0),
         sum(s.rows)::bigint, sum(s.shared_blks_hit)::bigint, sum(s.shared_blks_read)::bigint, sum(s.temp_blks_written)::bigint
  from optischema.statement_series s
  where s.target_id = query_history.target_id and s.queryid = query_history.queryid
    and s.captured_at > now() - least(since, interval '400 days')
  group by s.captured_at
  order by s.captured_at
$$;

--
-- Name: query_stats(uuid, interval, integer, integer); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.query_stats(target_id uuid, since interval DEFAULT '01:00:00'::interval, buckets integer DEFAULT 24, top integer DEFAULT 200) RETURNS TABLE(queryid bigint, query text, calls bigint, total_time_ms double precision, mean_time_ms double precision, rows bigint, shared_blks_read bigint, temp_blks_written bigint, share_pct numeric, sparkline double precision[], slow_reason text, open_recommendations integer)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: FUNCTION query_stats(target_id uuid, since interval, buckets integer, top integer); Type: COMMENT; Schema: optischema_api; Owner: -
--

COMMENT ON FUNCTION optischema_api.query_stats(target_id uuid, since interval, buckets integer, top integer) IS 'The statements of a database over a range, by total execution time: calls, mean, rows, share of the total, a sparkline of `buckets` slices, whether it was found slow, open recommendations naming it.';

--
-- Name: recommendations_for_query(uuid, bigint); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.recommendations_for_query(target_id uuid, queryid bigint) RETURNS SETOF optischema_api.recommendations
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select r.* from optischema_api.recommendations r
  where r.target_id = recommendations_for_query.target_id
    and r.evidence -> 'queries' @> jsonb_build_array(jsonb_build_object('queryid', recommendations_for_query.queryid::text))
  order by r.created_at desc
$$;

--
-- Name: remove_member(uuid); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.remove_member(user_id uuid) RETURNS uuid
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform optischema.require_role('admin');
  if user_id = optischema.current_user_id() then
    raise exception 'you cannot remove yourself' using errcode = 'check_violation';
  end if;
  delete from optischema.memberships m where m.user_id = remove_member.user_id;
  if not found then
    raise exception 'no member %', user_id using errcode = 'no_data_found';
  end if;
  return user_id;
end
$$;

--
-- Name: api_keys; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.api_keys (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    prefix text NOT NULL,
    key_hash text NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone,
    CONSTRAINT api_keys_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT api_keys_role_check CHECK ((role = ANY (ARRAY['viewer'::text, 'analyst'::text, 'admin'::text])))
);

ALTER TABLE ONLY optischema.api_keys FORCE ROW LEVEL SECURITY;

--
-- Name: api_keys; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.api_keys WITH (security_invoker='true') AS
 SELECT api_keys.id,
    api_keys.name,
    api_keys.role,
    api_keys.prefix,
    api_keys.created_by,
    api_keys.created_at,
    api_keys.last_used_at,
    api_keys.revoked_at
   FROM optischema.api_keys;

--
-- Name: revoke_api_key(uuid); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.revoke_api_key(api_key_id uuid) RETURNS optischema_api.api_keys
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  result optischema_api.api_keys;
begin
  perform optischema.require_role('admin');
  update optischema.api_keys k set revoked_at = coalesce(k.revoked_at, now()) where k.id = api_key_id;
  if not found then
    raise exception 'no API key %', api_key_id using errcode = 'no_data_found';
  end if;
  select * into result from optischema_api.api_keys v where v.id = api_key_id;
  return result;
end
$$;

--
-- Name: rollback_recommendation(uuid); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.rollback_recommendation(recommendation_id uuid) RETURNS optischema_api.recommendations
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  result optischema_api.recommendations;
begin
  perform optischema.rollback(recommendation_id);
  select * into result from optischema_api.recommendations v where v.id = recommendation_id;
  return result;
end
$$;

--
-- Name: set_ai_settings(boolean, text, text, text, boolean, bigint, integer); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.set_ai_settings(enabled boolean, provider text, model text, base_url text, send_literals boolean, monthly_token_budget bigint, reviews_per_hour integer) RETURNS optischema_api.ai_status
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform optischema.require_role('admin');
  if provider is not null and model is null then
    raise exception 'a provider needs a model' using errcode = 'invalid_parameter_value';
  end if;
  insert into optischema.ai_settings as s (tenant_id, enabled, provider, model, base_url, send_literals, monthly_token_budget, reviews_per_hour, updated_at)
  values (optischema.current_tenant_id(), coalesce(enabled, true), provider, model, base_url, coalesce(send_literals, false),
          coalesce(monthly_token_budget, 2000000), coalesce(reviews_per_hour, 20), now())
  on conflict (tenant_id) do update
    set enabled = excluded.enabled, provider = excluded.provider, model = excluded.model, base_url = excluded.base_url,
        send_literals = excluded.send_literals, monthly_token_budget = excluded.monthly_token_budget,
        reviews_per_hour = excluded.reviews_per_hour, updated_at = now();
  return optischema_api.ai_status();
end
$$;

--
-- Name: FUNCTION set_ai_settings(enabled boolean, provider text, model text, base_url text, send_literals boolean, monthly_token_budget bigint, reviews_per_hour integer); Type: COMMENT; Schema: optischema_api; Owner: -
--

COMMENT ON FUNCTION optischema_api.set_ai_settings(enabled boolean, provider text, model text, base_url text, send_literals boolean, monthly_token_budget bigint, reviews_per_hour integer) IS 'Sets the tenant''s AI model (admins). The API key is never set or read here.';

--
-- Name: set_member_role(uuid, text); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.set_member_role(user_id uuid, role text) RETURNS optischema_api.members
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  result optischema_api.members;
begin
  perform optischema.require_role('admin');
  if role not in ('viewer', 'analyst', 'admin') then
    raise exception 'role must be viewer, analyst or admin' using errcode = 'invalid_parameter_value';
  end if;
  update optischema.memberships m set role = set_member_role.role where m.user_id = set_member_role.user_id;
  if not found then
    raise exception 'no member %', user_id using errcode = 'no_data_found';
  end if;
  select * into result from optischema_api.members v where v.user_id = set_member_role.user_id;
  return result;
end
$$;

--
-- Name: set_recommendation_state(uuid, text); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.set_recommendation_state(recommendation_id uuid, state text) RETURNS optischema_api.recommendations
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  current_state text;
  result optischema_api.recommendations;
begin
  perform optischema.require_role('analyst');
  select r.state into current_state from optischema.recommendations r where r.id = recommendation_id for update;
  if not found then
    raise exception 'no recommendation %', recommendation_id using errcode = 'no_data_found';
  end if;
  if not (current_state, state) in (('proposed', 'dismissed'), ('validated', 'dismissed'), ('dismissed', 'proposed')) then
    raise exception 'a % recommendation cannot become %', current_state, state using errcode = 'check_violation';
  end if;
  update optischema.recommendations r set state = set_recommendation_state.state, updated_at = now() where r.id = recommendation_id;
  select * into result from optischema_api.recommendations v where v.id = recommendation_id;
  return result;
end
$$;

--
-- Name: targets; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.targets (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    name text NOT NULL,
    secret_ciphertext bytea,
    secret_ref text,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_check_at timestamp with time zone,
    last_check jsonb,
    snapshot_interval_s integer DEFAULT 30 NOT NULL,
    activity_interval_s integer DEFAULT 10 NOT NULL,
    slow_threshold_ms double precision DEFAULT 100 NOT NULL,
    slow_min_calls integer DEFAULT 3 NOT NULL,
    raw_retention interval DEFAULT '7 days'::interval NOT NULL,
    hourly_retention interval DEFAULT '90 days'::interval NOT NULL,
    status text DEFAULT 'new'::text NOT NULL,
    status_message text,
    last_seen_at timestamp with time zone,
    last_snapshot_at timestamp with time zone,
    workload_advice_interval_s integer DEFAULT 3600 NOT NULL,
    keep_literal_samples boolean DEFAULT true NOT NULL,
    sandbox_strategy text DEFAULT 'embedded'::text NOT NULL,
    sandbox_sample_fraction double precision DEFAULT 0.1 NOT NULL,
    sandbox_secret_ciphertext bytea,
    auto_validate boolean DEFAULT false NOT NULL,
    auto_apply text DEFAULT 'never'::text NOT NULL,
    apply_window_start time without time zone,
    apply_window_minutes integer,
    health_check_interval_s integer DEFAULT 86400 NOT NULL,
    CONSTRAINT targets_activity_interval_s_check CHECK (((activity_interval_s >= 1) AND (activity_interval_s <= 86400))),
    CONSTRAINT targets_apply_window_minutes_check CHECK (((apply_window_minutes >= 1) AND (apply_window_minutes <= 1440))),
    CONSTRAINT targets_auto_apply_check CHECK ((auto_apply = ANY (ARRAY['never'::text, 'validated'::text, 'validated_low_risk'::text]))),
    CONSTRAINT targets_check CHECK (((secret_ciphertext IS NULL) <> (secret_ref IS NULL))),
    CONSTRAINT targets_health_check_interval_s_check CHECK (((health_check_interval_s >= 60) AND (health_check_interval_s <= 604800))),
    CONSTRAINT targets_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT targets_sandbox_sample_fraction_check CHECK (((sandbox_sample_fraction > (0)::double precision) AND (sandbox_sample_fraction <= (1)::double precision))),
    CONSTRAINT targets_sandbox_strategy_check CHECK ((sandbox_strategy = ANY (ARRAY['embedded'::text, 'clone'::text, 'sample'::text, 'url'::text]))),
    CONSTRAINT targets_secret_ref_check CHECK ((secret_ref ~ '^(env:[A-Za-z_][A-Za-z0-9_]*|file:/.+|local)$'::text)),
    CONSTRAINT targets_slow_min_calls_check CHECK ((slow_min_calls >= 1)),
    CONSTRAINT targets_slow_threshold_ms_check CHECK ((slow_threshold_ms > (0)::double precision)),
    CONSTRAINT targets_snapshot_interval_s_check CHECK (((snapshot_interval_s >= 1) AND (snapshot_interval_s <= 86400))),
    CONSTRAINT targets_status_check CHECK ((status = ANY (ARRAY['new'::text, 'ok'::text, 'error'::text, 'no_statistics'::text]))),
    CONSTRAINT targets_workload_advice_interval_s_check CHECK (((workload_advice_interval_s >= 1) AND (workload_advice_interval_s <= 604800)))
);

ALTER TABLE ONLY optischema.targets FORCE ROW LEVEL SECURITY;

--
-- Name: targets; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.targets WITH (security_invoker='true') AS
 SELECT targets.id,
    targets.name,
    targets.created_at,
    targets.last_check_at,
    targets.last_check,
    targets.sandbox_strategy,
    targets.sandbox_sample_fraction,
    targets.auto_validate,
    targets.auto_apply,
    targets.apply_window_start,
    targets.apply_window_minutes,
    targets.status,
    targets.status_message,
    targets.last_snapshot_at,
    targets.snapshot_interval_s,
    targets.slow_threshold_ms,
    targets.slow_min_calls,
    targets.keep_literal_samples
   FROM optischema.targets;

--
-- Name: VIEW targets; Type: COMMENT; Schema: optischema_api; Owner: -
--

COMMENT ON VIEW optischema_api.targets IS 'Monitored databases. Connection strings are never readable through the API.';

--
-- Name: set_target_policy(uuid, text, double precision, boolean, text, time without time zone, integer, boolean); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.set_target_policy(target_id uuid, sandbox_strategy text DEFAULT NULL::text, sandbox_sample_fraction double precision DEFAULT NULL::double precision, auto_validate boolean DEFAULT NULL::boolean, auto_apply text DEFAULT NULL::text, apply_window_start time without time zone DEFAULT NULL::time without time zone, apply_window_minutes integer DEFAULT NULL::integer, clear_apply_window boolean DEFAULT false) RETURNS optischema_api.targets
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  result optischema_api.targets;
begin
  perform optischema.require_role('admin');
  perform from optischema.targets t where t.id = set_target_policy.target_id for update;
  if not found then
    raise exception 'no target %', target_id using errcode = 'no_data_found';
  end if;
  if sandbox_strategy is not null and sandbox_strategy not in ('embedded', 'clone', 'sample') then
    raise exception 'sandbox_strategy must be embedded, clone or sample (a url sandbox is set with the CLI, which seals its URL)'
      using errcode = 'invalid_parameter_value';
  end if;
  if auto_apply is not null and auto_apply not in ('never', 'validated', 'validated_low_risk') then
    raise exception 'auto_apply must be never, validated or validated_low_risk' using errcode = 'invalid_parameter_value';
  end if;
  if (apply_window_start is null) <> (apply_window_minutes is null) then
    raise exception 'a maintenance window needs both apply_window_start and apply_window_minutes' using errcode = 'invalid_parameter_value';
  end if;
  update optischema.targets t set
    sandbox_strategy = coalesce(set_target_policy.sandbox_strategy, t.sandbox_strategy),
    sandbox_sample_fraction = coalesce(set_target_policy.sandbox_sample_fraction, t.sandbox_sample_fraction),
    auto_validate = coalesce(set_target_policy.auto_validate, t.auto_validate),
    auto_apply = coalesce(set_target_policy.auto_apply, t.auto_apply),
    apply_window_start = case when clear_apply_window then null else coalesce(set_target_policy.apply_window_start, t.apply_window_start) end,
    apply_window_minutes = case when clear_apply_window then null else coalesce(set_target_policy.apply_window_minutes, t.apply_window_minutes) end
  where t.id = set_target_policy.target_id;
  select * into result from optischema_api.targets v where v.id = set_target_policy.target_id;
  return result;
end
$$;

--
-- Name: set_target_thresholds(uuid, double precision, integer, integer); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.set_target_thresholds(target_id uuid, slow_threshold_ms double precision DEFAULT NULL::double precision, slow_min_calls integer DEFAULT NULL::integer, snapshot_interval_s integer DEFAULT NULL::integer) RETURNS optischema_api.targets
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: validate_recommendation(uuid); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.validate_recommendation(recommendation_id uuid) RETURNS optischema_api.recommendations
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  result optischema_api.recommendations;
begin
  perform optischema.validate(recommendation_id);
  select * into result from optischema_api.recommendations v where v.id = recommendation_id;
  return result;
end
$$;

--
-- Name: whoami(); Type: FUNCTION; Schema: optischema_api; Owner: -
--

CREATE FUNCTION optischema_api.whoami() RETURNS optischema_api.whoami
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select optischema.current_user_id(),
         (select u.email from optischema.users u where u.id = optischema.current_user_id()),
         optischema.current_app_role(), t.id, t.name
  from optischema.tenants t
  where t.id = optischema.current_tenant_id()
$$;

--
-- Name: FUNCTION whoami(); Type: COMMENT; Schema: optischema_api; Owner: -
--

COMMENT ON FUNCTION optischema_api.whoami() IS 'The signed-in user or API key: email, role and tenant.';

--
-- Name: activity_samples; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.activity_samples (
    tenant_id uuid NOT NULL,
    target_id uuid NOT NULL,
    captured_at timestamp with time zone NOT NULL,
    active integer NOT NULL,
    idle integer NOT NULL,
    idle_in_transaction integer NOT NULL,
    idle_in_transaction_aborted integer NOT NULL,
    waiting jsonb NOT NULL,
    oldest_xact_age_s double precision,
    oldest_query_age_s double precision,
    connections integer NOT NULL,
    max_connections integer NOT NULL
);

ALTER TABLE ONLY optischema.activity_samples FORCE ROW LEVEL SECURITY;

--
-- Name: advice_requests_id_seq; Type: SEQUENCE; Schema: optischema; Owner: -
--

ALTER TABLE optischema.advice_requests ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME optischema.advice_requests_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: ai_analyses; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.ai_analyses (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    target_id uuid NOT NULL,
    queryid bigint,
    query text NOT NULL,
    status text NOT NULL,
    provider text,
    model text,
    explanation text DEFAULT ''::text NOT NULL,
    findings jsonb DEFAULT '[]'::jsonb NOT NULL,
    proposals jsonb DEFAULT '[]'::jsonb NOT NULL,
    error text,
    input_tokens integer DEFAULT 0 NOT NULL,
    output_tokens integer DEFAULT 0 NOT NULL,
    tool_calls integer DEFAULT 0 NOT NULL,
    context jsonb,
    transcript jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT ai_analyses_status_check CHECK ((status = ANY (ARRAY['ok'::text, 'rejected'::text, 'failed'::text, 'deterministic'::text])))
);

ALTER TABLE ONLY optischema.ai_analyses FORCE ROW LEVEL SECURITY;

--
-- Name: ai_analysis_recommendations; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.ai_analysis_recommendations (
    analysis_id uuid NOT NULL,
    recommendation_id uuid NOT NULL,
    tenant_id uuid NOT NULL
);

ALTER TABLE ONLY optischema.ai_analysis_recommendations FORCE ROW LEVEL SECURITY;

--
-- Name: ai_default; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.ai_default (
    only_row boolean DEFAULT true NOT NULL,
    provider text,
    model text,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT ai_default_only_row_check CHECK (only_row)
);

--
-- Name: ai_settings; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.ai_settings (
    tenant_id uuid NOT NULL,
    enabled boolean DEFAULT true NOT NULL,
    provider text,
    model text,
    base_url text,
    api_key_ciphertext bytea,
    api_key_ref text,
    send_literals boolean DEFAULT false NOT NULL,
    monthly_token_budget bigint DEFAULT 2000000 NOT NULL,
    reviews_per_hour integer DEFAULT 20 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT ai_settings_api_key_ref_check CHECK ((api_key_ref ~ '^(env:[A-Za-z_][A-Za-z0-9_]*|file:/.+)$'::text)),
    CONSTRAINT ai_settings_base_url_check CHECK ((base_url ~ '^https?://'::text)),
    CONSTRAINT ai_settings_check CHECK (((api_key_ciphertext IS NULL) OR (api_key_ref IS NULL))),
    CONSTRAINT ai_settings_model_check CHECK (((length(model) >= 1) AND (length(model) <= 200))),
    CONSTRAINT ai_settings_monthly_token_budget_check CHECK ((monthly_token_budget >= 0)),
    CONSTRAINT ai_settings_provider_check CHECK ((provider = ANY (ARRAY['openai'::text, 'ollama'::text, 'gemini'::text, 'bedrock'::text]))),
    CONSTRAINT ai_settings_reviews_per_hour_check CHECK (((reviews_per_hour >= 0) AND (reviews_per_hour <= 10000)))
);

ALTER TABLE ONLY optischema.ai_settings FORCE ROW LEVEL SECURITY;

--
-- Name: changes; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.changes (
    id bigint NOT NULL,
    tenant_id uuid NOT NULL,
    target_id uuid NOT NULL,
    recommendation_id uuid NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL,
    statements text[] NOT NULL,
    rollback_sql text,
    build_ms double precision,
    forced boolean DEFAULT false NOT NULL,
    rolled_back_at timestamp with time zone,
    rollback_statements text[],
    realized jsonb,
    realized_improvement_pct numeric(7,2),
    realized_at timestamp with time zone
);

ALTER TABLE ONLY optischema.changes FORCE ROW LEVEL SECURITY;

--
-- Name: applied_changes; Type: VIEW; Schema: optischema; Owner: -
--

CREATE VIEW optischema.applied_changes WITH (security_invoker='true') AS
 SELECT c.id,
    c.target_id,
    t.name AS target,
    c.recommendation_id,
    r.title,
    r.statement,
    c.rollback_sql,
    r.state,
    c.applied_at,
    c.build_ms,
    c.forced,
    r.force_reason,
    c.rolled_back_at,
    r.improvement_pct AS estimated_pct,
    r.measured_improvement_pct AS measured_pct,
    c.realized_improvement_pct AS realized_pct,
    c.realized,
    c.realized_at
   FROM ((optischema.changes c
     JOIN optischema.recommendations r ON ((r.id = c.recommendation_id)))
     JOIN optischema.targets t ON ((t.id = c.target_id)));

--
-- Name: audit_log; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.audit_log (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    tenant_id uuid,
    actor_user_id uuid,
    actor_api_key_id uuid,
    actor_label text DEFAULT ''::text NOT NULL,
    action text NOT NULL,
    object_type text,
    object_id text,
    result text NOT NULL,
    client_address inet,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT audit_log_result_check CHECK ((result = ANY (ARRAY['ok'::text, 'denied'::text, 'error'::text])))
);

ALTER TABLE ONLY optischema.audit_log FORCE ROW LEVEL SECURITY;

--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: optischema; Owner: -
--

ALTER TABLE optischema.audit_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME optischema.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: changes_id_seq; Type: SEQUENCE; Schema: optischema; Owner: -
--

ALTER TABLE optischema.changes ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME optischema.changes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: index_counters; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.index_counters (
    target_id uuid NOT NULL,
    indexrelid oid NOT NULL,
    counters jsonb NOT NULL
);

ALTER TABLE ONLY optischema.index_counters FORCE ROW LEVEL SECURITY;

--
-- Name: index_history; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.index_history (
    tenant_id uuid NOT NULL,
    target_id uuid NOT NULL,
    snapshot_id bigint NOT NULL,
    captured_at timestamp with time zone NOT NULL,
    indexrelid oid NOT NULL,
    schema_name text NOT NULL,
    table_name text NOT NULL,
    index_name text NOT NULL,
    idx_scan bigint,
    idx_tup_read bigint,
    index_bytes bigint
);

ALTER TABLE ONLY optischema.index_history FORCE ROW LEVEL SECURITY;

--
-- Name: migrations; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.migrations (
    id integer NOT NULL,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: oidc_pending_logins; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.oidc_pending_logins (
    state_hash text NOT NULL,
    browser_hash text NOT NULL,
    tenant_slug text,
    expires_at timestamp with time zone NOT NULL
);

--
-- Name: query_plans; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.query_plans (
    id bigint NOT NULL,
    tenant_id uuid NOT NULL,
    target_id uuid NOT NULL,
    queryid bigint NOT NULL,
    captured_at timestamp with time zone NOT NULL,
    kind text NOT NULL,
    plan_hash text NOT NULL,
    plan jsonb NOT NULL,
    parameters jsonb,
    CONSTRAINT query_plans_kind_check CHECK ((kind = ANY (ARRAY['generic'::text, 'analyze'::text])))
);

ALTER TABLE ONLY optischema.query_plans FORCE ROW LEVEL SECURITY;

--
-- Name: query_plans_id_seq; Type: SEQUENCE; Schema: optischema; Owner: -
--

ALTER TABLE optischema.query_plans ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME optischema.query_plans_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: query_texts; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.query_texts (
    tenant_id uuid NOT NULL,
    target_id uuid NOT NULL,
    queryid bigint NOT NULL,
    query text NOT NULL,
    first_seen_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    application boolean GENERATED ALWAYS AS (optischema.is_application_statement(query)) STORED
);

ALTER TABLE ONLY optischema.query_texts FORCE ROW LEVEL SECURITY;

--
-- Name: refresh_tokens; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.refresh_tokens (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    tenant_id uuid NOT NULL,
    token_hash text NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY optischema.refresh_tokens FORCE ROW LEVEL SECURITY;

--
-- Name: sandboxes; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.sandboxes (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    tenant_id uuid NOT NULL,
    target_id uuid,
    strategy text NOT NULL,
    server text NOT NULL,
    database text,
    server_secret_ciphertext bytea,
    state text NOT NULL,
    progress jsonb,
    error text,
    built_at timestamp with time zone,
    build_ms double precision,
    size_bytes bigint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT sandboxes_database_check CHECK ((database ~~ 'optischema\_sandbox\_%'::text)),
    CONSTRAINT sandboxes_server_check CHECK ((server = ANY (ARRAY['own'::text, 'target'::text, 'url'::text]))),
    CONSTRAINT sandboxes_state_check CHECK ((state = ANY (ARRAY['building'::text, 'ready'::text, 'failed'::text]))),
    CONSTRAINT sandboxes_strategy_check CHECK ((strategy = ANY (ARRAY['embedded'::text, 'clone'::text, 'sample'::text, 'url'::text])))
);

ALTER TABLE ONLY optischema.sandboxes FORCE ROW LEVEL SECURITY;

--
-- Name: sign_in_attempts; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.sign_in_attempts (
    key text NOT NULL,
    attempts timestamp with time zone[] DEFAULT '{}'::timestamp with time zone[] NOT NULL,
    expires_at timestamp with time zone NOT NULL
);

--
-- Name: slow_queries_found; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.slow_queries_found (
    id bigint NOT NULL,
    tenant_id uuid NOT NULL,
    target_id uuid NOT NULL,
    queryid bigint NOT NULL,
    reason text NOT NULL,
    mean_exec_ms double precision NOT NULL,
    calls bigint NOT NULL,
    first_found_at timestamp with time zone NOT NULL,
    last_found_at timestamp with time zone NOT NULL,
    CONSTRAINT slow_queries_found_reason_check CHECK ((reason = ANY (ARRAY['mean_time'::text, 'top_total_time'::text])))
);

ALTER TABLE ONLY optischema.slow_queries_found FORCE ROW LEVEL SECURITY;

--
-- Name: slow_queries; Type: VIEW; Schema: optischema; Owner: -
--

CREATE VIEW optischema.slow_queries AS
 SELECT t.name AS target,
    f.target_id,
    f.queryid,
    q.query,
    f.reason,
    round((f.mean_exec_ms)::numeric, 2) AS mean_exec_ms,
    f.calls,
    f.first_found_at,
    f.last_found_at
   FROM ((optischema.slow_queries_found f
     JOIN optischema.targets t ON ((t.id = f.target_id)))
     LEFT JOIN optischema.query_texts q ON (((q.target_id = f.target_id) AND (q.queryid = f.queryid))));

--
-- Name: slow_queries_found_id_seq; Type: SEQUENCE; Schema: optischema; Owner: -
--

ALTER TABLE optischema.slow_queries_found ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME optischema.slow_queries_found_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: snapshots; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.snapshots (
    id bigint NOT NULL,
    tenant_id uuid NOT NULL,
    target_id uuid NOT NULL,
    captured_at timestamp with time zone NOT NULL,
    interval_s double precision,
    statements integer NOT NULL,
    changed integer NOT NULL,
    resets integer NOT NULL,
    dealloc bigint,
    dealloc_delta bigint,
    stats_reset timestamp with time zone,
    stats_was_reset boolean DEFAULT false NOT NULL,
    duration_ms double precision
);

ALTER TABLE ONLY optischema.snapshots FORCE ROW LEVEL SECURITY;

--
-- Name: snapshots_id_seq; Type: SEQUENCE; Schema: optischema; Owner: -
--

ALTER TABLE optischema.snapshots ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME optischema.snapshots_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: statement_counters; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.statement_counters (
    tenant_id uuid NOT NULL,
    target_id uuid NOT NULL,
    dbid oid NOT NULL,
    userid oid NOT NULL,
    queryid bigint NOT NULL,
    toplevel boolean NOT NULL,
    calls bigint NOT NULL,
    total_exec_time double precision NOT NULL,
    total_plan_time double precision,
    rows bigint NOT NULL,
    shared_blks_hit bigint NOT NULL,
    shared_blks_read bigint NOT NULL,
    shared_blks_dirtied bigint NOT NULL,
    shared_blks_written bigint NOT NULL,
    local_blks_hit bigint NOT NULL,
    local_blks_read bigint NOT NULL,
    local_blks_dirtied bigint NOT NULL,
    local_blks_written bigint NOT NULL,
    temp_blks_read bigint NOT NULL,
    temp_blks_written bigint NOT NULL,
    wal_bytes numeric,
    captured_at timestamp with time zone NOT NULL
);

ALTER TABLE ONLY optischema.statement_counters FORCE ROW LEVEL SECURITY;

--
-- Name: statement_history; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.statement_history (
    id bigint NOT NULL,
    tenant_id uuid NOT NULL,
    target_id uuid NOT NULL,
    snapshot_id bigint NOT NULL,
    captured_at timestamp with time zone NOT NULL,
    dbid oid NOT NULL,
    userid oid NOT NULL,
    queryid bigint NOT NULL,
    toplevel boolean NOT NULL,
    calls bigint NOT NULL,
    total_exec_time double precision NOT NULL,
    min_exec_time double precision,
    max_exec_time double precision,
    total_plan_time double precision,
    rows bigint NOT NULL,
    shared_blks_hit bigint NOT NULL,
    shared_blks_read bigint NOT NULL,
    shared_blks_dirtied bigint NOT NULL,
    shared_blks_written bigint NOT NULL,
    local_blks_hit bigint NOT NULL,
    local_blks_read bigint NOT NULL,
    local_blks_dirtied bigint NOT NULL,
    local_blks_written bigint NOT NULL,
    temp_blks_read bigint NOT NULL,
    temp_blks_written bigint NOT NULL,
    wal_bytes numeric,
    reset boolean DEFAULT false NOT NULL
);

ALTER TABLE ONLY optischema.statement_history FORCE ROW LEVEL SECURITY;

--
-- Name: statement_history_id_seq; Type: SEQUENCE; Schema: optischema; Owner: -
--

ALTER TABLE optischema.statement_history ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME optischema.statement_history_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: statement_hourly; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.statement_hourly (
    tenant_id uuid NOT NULL,
    target_id uuid NOT NULL,
    hour timestamp with time zone NOT NULL,
    queryid bigint NOT NULL,
    calls bigint NOT NULL,
    total_exec_time double precision NOT NULL,
    rows bigint NOT NULL,
    shared_blks_hit bigint NOT NULL,
    shared_blks_read bigint NOT NULL,
    temp_blks_written bigint NOT NULL
);

ALTER TABLE ONLY optischema.statement_hourly FORCE ROW LEVEL SECURITY;

--
-- Name: statement_samples; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.statement_samples (
    tenant_id uuid NOT NULL,
    target_id uuid NOT NULL,
    queryid bigint NOT NULL,
    query text NOT NULL,
    query_md5 text GENERATED ALWAYS AS (md5(query)) STORED NOT NULL,
    first_seen_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    times_seen integer DEFAULT 1 NOT NULL
);

ALTER TABLE ONLY optischema.statement_samples FORCE ROW LEVEL SECURITY;

--
-- Name: statement_series; Type: VIEW; Schema: optischema; Owner: -
--

CREATE VIEW optischema.statement_series WITH (security_invoker='true') AS
 SELECT h.tenant_id,
    h.target_id,
    h.queryid,
    h.captured_at,
    h.calls,
    h.total_exec_time,
    h.rows,
    h.shared_blks_hit,
    h.shared_blks_read,
    h.temp_blks_written
   FROM optischema.statement_history h
UNION ALL
 SELECT s.tenant_id,
    s.target_id,
    s.queryid,
    s.hour AS captured_at,
    s.calls,
    s.total_exec_time,
    s.rows,
    s.shared_blks_hit,
    s.shared_blks_read,
    s.temp_blks_written
   FROM optischema.statement_hourly s;

--
-- Name: table_counters; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.table_counters (
    target_id uuid NOT NULL,
    relid oid NOT NULL,
    counters jsonb NOT NULL
);

ALTER TABLE ONLY optischema.table_counters FORCE ROW LEVEL SECURITY;

--
-- Name: table_history; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.table_history (
    tenant_id uuid NOT NULL,
    target_id uuid NOT NULL,
    snapshot_id bigint NOT NULL,
    captured_at timestamp with time zone NOT NULL,
    relid oid NOT NULL,
    schema_name text NOT NULL,
    table_name text NOT NULL,
    seq_scan bigint,
    seq_tup_read bigint,
    idx_scan bigint,
    n_tup_ins bigint,
    n_tup_upd bigint,
    n_tup_del bigint,
    n_tup_hot_upd bigint,
    n_live_tup bigint,
    n_dead_tup bigint,
    last_vacuum timestamp with time zone,
    last_autovacuum timestamp with time zone,
    last_analyze timestamp with time zone,
    last_autoanalyze timestamp with time zone,
    table_bytes bigint,
    index_bytes bigint,
    toast_bytes bigint
);

ALTER TABLE ONLY optischema.table_history FORCE ROW LEVEL SECURITY;

--
-- Name: tenants; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.tenants (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    slug text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT tenants_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT tenants_slug_check CHECK ((slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'::text))
);

ALTER TABLE ONLY optischema.tenants FORCE ROW LEVEL SECURITY;

--
-- Name: ai_analyses; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.ai_analyses WITH (security_invoker='true') AS
 SELECT ai_analyses.id,
    ai_analyses.target_id,
    ai_analyses.queryid,
    ai_analyses.query,
    ai_analyses.status,
    ai_analyses.provider,
    ai_analyses.model,
    ai_analyses.explanation,
    ai_analyses.findings,
    ai_analyses.proposals,
    ai_analyses.error,
    ai_analyses.input_tokens,
    ai_analyses.output_tokens,
    ai_analyses.tool_calls,
    ai_analyses.created_at
   FROM optischema.ai_analyses;

--
-- Name: VIEW ai_analyses; Type: COMMENT; Schema: optischema_api; Owner: -
--

COMMENT ON VIEW optischema_api.ai_analyses IS 'AI analyses of statements: the model''s explanation and findings, and each proposal with what PostgreSQL verified.
@primaryKey id';

--
-- Name: ai_analysis_audit; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.ai_analysis_audit WITH (security_invoker='true') AS
 SELECT ai_analyses.id,
    ai_analyses.target_id,
    ai_analyses.queryid,
    ai_analyses.context,
    ai_analyses.transcript,
    ai_analyses.created_at
   FROM optischema.ai_analyses;

--
-- Name: VIEW ai_analysis_audit; Type: COMMENT; Schema: optischema_api; Owner: -
--

COMMENT ON VIEW optischema_api.ai_analysis_audit IS 'What each AI analysis sent to the model and every message exchanged (admins).
@primaryKey id';

--
-- Name: applied_changes; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.applied_changes WITH (security_invoker='true') AS
 SELECT applied_changes.id,
    applied_changes.target_id,
    applied_changes.recommendation_id,
    applied_changes.title,
    applied_changes.statement,
    applied_changes.rollback_sql,
    applied_changes.state,
    applied_changes.applied_at,
    applied_changes.build_ms,
    applied_changes.forced,
    applied_changes.force_reason,
    applied_changes.rolled_back_at,
    applied_changes.estimated_pct,
    applied_changes.measured_pct,
    applied_changes.realized_pct,
    applied_changes.realized,
    applied_changes.realized_at
   FROM optischema.applied_changes;

--
-- Name: audit_log; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.audit_log WITH (security_invoker='true') AS
 SELECT audit_log.id,
    audit_log.at,
    audit_log.actor_user_id,
    audit_log.actor_api_key_id,
    audit_log.actor_label,
    audit_log.action,
    audit_log.object_type,
    audit_log.object_id,
    audit_log.result,
    audit_log.client_address,
    audit_log.details
   FROM optischema.audit_log;

--
-- Name: query_plans; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.query_plans WITH (security_invoker='true') AS
 SELECT p.id,
    p.target_id,
    p.queryid,
    p.captured_at,
    p.kind,
    p.plan_hash,
    p.plan,
        CASE
            WHEN t.keep_literal_samples THEN p.parameters
            ELSE NULL::jsonb
        END AS parameters
   FROM (optischema.query_plans p
     JOIN optischema.targets t ON ((t.id = p.target_id)));

--
-- Name: query_texts; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.query_texts WITH (security_invoker='true') AS
 SELECT query_texts.target_id,
    query_texts.queryid,
    query_texts.query,
    query_texts.first_seen_at,
    query_texts.last_seen_at
   FROM optischema.query_texts;

--
-- Name: recommendation_ai_analyses; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.recommendation_ai_analyses WITH (security_invoker='true') AS
 SELECT l.recommendation_id,
    a.id AS analysis_id,
    a.status,
    a.provider,
    a.model,
    a.explanation,
    a.findings,
    a.proposals,
    a.error,
    a.created_at
   FROM (optischema.ai_analysis_recommendations l
     JOIN optischema.ai_analyses a ON ((a.id = l.analysis_id)));

--
-- Name: VIEW recommendation_ai_analyses; Type: COMMENT; Schema: optischema_api; Owner: -
--

COMMENT ON VIEW optischema_api.recommendation_ai_analyses IS 'The AI analyses that speak to a recommendation.
@primaryKey recommendation_id,analysis_id';

--
-- Name: sandboxes; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.sandboxes WITH (security_invoker='true') AS
 SELECT sandboxes.id,
    sandboxes.target_id,
    sandboxes.strategy,
    sandboxes.server,
    sandboxes.database,
    sandboxes.state,
    sandboxes.progress,
    sandboxes.error,
    sandboxes.built_at,
    sandboxes.build_ms,
    sandboxes.size_bytes,
    sandboxes.created_at
   FROM optischema.sandboxes;

--
-- Name: slow_queries; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.slow_queries WITH (security_invoker='true') AS
 SELECT f.id,
    f.target_id,
    f.queryid,
    q.query,
    f.reason,
    f.mean_exec_ms,
    f.calls,
    f.first_found_at,
    f.last_found_at
   FROM (optischema.slow_queries_found f
     LEFT JOIN optischema.query_texts q ON (((q.target_id = f.target_id) AND (q.queryid = f.queryid))));

--
-- Name: target_overview; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.target_overview WITH (security_invoker='true') AS
 SELECT t.id AS target_id,
    t.name,
    t.status,
    t.status_message,
    t.last_snapshot_at,
    t.snapshot_interval_s,
    s.statements,
    s.captured_at AS snapshot_at,
    (( SELECT count(*) AS count
           FROM optischema.slow_queries_found f
          WHERE ((f.target_id = t.id) AND (f.last_found_at > (now() - '24:00:00'::interval)))))::integer AS slow_queries,
    (( SELECT count(*) AS count
           FROM optischema.recommendations r
          WHERE ((r.target_id = t.id) AND (r.state = ANY (ARRAY['proposed'::text, 'validating'::text, 'validated'::text, 'inconclusive'::text, 'scheduled'::text])))))::integer AS open_recommendations,
    ( SELECT max(COALESCE(r.measured_improvement_pct, r.improvement_pct)) AS max
           FROM optischema.recommendations r
          WHERE ((r.target_id = t.id) AND (r.state = ANY (ARRAY['proposed'::text, 'validating'::text, 'validated'::text, 'inconclusive'::text, 'scheduled'::text])))) AS best_open_gain_pct,
    (( SELECT count(*) AS count
           FROM optischema.changes c
          WHERE ((c.target_id = t.id) AND (c.rolled_back_at IS NULL))))::integer AS applied_changes
   FROM (optischema.targets t
     LEFT JOIN LATERAL ( SELECT n.statements,
            n.captured_at
           FROM optischema.snapshots n
          WHERE (n.target_id = t.id)
          ORDER BY n.captured_at DESC
         LIMIT 1) s ON (true));

--
-- Name: VIEW target_overview; Type: COMMENT; Schema: optischema_api; Owner: -
--

COMMENT ON VIEW optischema_api.target_overview IS 'Each database''s health: collection status, last snapshot, slow queries found in the last 24 hours, open recommendations and applied changes.';

--
-- Name: tenant; Type: VIEW; Schema: optischema_api; Owner: -
--

CREATE VIEW optischema_api.tenant WITH (security_invoker='true') AS
 SELECT tenants.id,
    tenants.name,
    tenants.slug,
    tenants.created_at
   FROM optischema.tenants;

--
-- Name: VIEW tenant; Type: COMMENT; Schema: optischema_api; Owner: -
--

COMMENT ON VIEW optischema_api.tenant IS 'The tenant of the signed-in user or API key.';

--
-- Name: activity_samples activity_samples_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.activity_samples
    ADD CONSTRAINT activity_samples_pkey PRIMARY KEY (target_id, captured_at);

--
-- Name: advice_requests advice_requests_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.advice_requests
    ADD CONSTRAINT advice_requests_pkey PRIMARY KEY (id);

--
-- Name: advice_requests advice_requests_target_id_request_key_key; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.advice_requests
    ADD CONSTRAINT advice_requests_target_id_request_key_key UNIQUE (target_id, request_key);

--
-- Name: ai_analyses ai_analyses_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.ai_analyses
    ADD CONSTRAINT ai_analyses_pkey PRIMARY KEY (id);

--
-- Name: ai_analysis_recommendations ai_analysis_recommendations_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.ai_analysis_recommendations
    ADD CONSTRAINT ai_analysis_recommendations_pkey PRIMARY KEY (analysis_id, recommendation_id);

--
-- Name: ai_default ai_default_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.ai_default
    ADD CONSTRAINT ai_default_pkey PRIMARY KEY (only_row);

--
-- Name: ai_settings ai_settings_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.ai_settings
    ADD CONSTRAINT ai_settings_pkey PRIMARY KEY (tenant_id);

--
-- Name: api_keys api_keys_key_hash_key; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.api_keys
    ADD CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash);

--
-- Name: api_keys api_keys_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (id);

--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);

--
-- Name: changes changes_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.changes
    ADD CONSTRAINT changes_pkey PRIMARY KEY (id);

--
-- Name: index_counters index_counters_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.index_counters
    ADD CONSTRAINT index_counters_pkey PRIMARY KEY (target_id, indexrelid);

--
-- Name: memberships memberships_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.memberships
    ADD CONSTRAINT memberships_pkey PRIMARY KEY (tenant_id, user_id);

--
-- Name: migrations migrations_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.migrations
    ADD CONSTRAINT migrations_pkey PRIMARY KEY (id);

--
-- Name: oidc_pending_logins oidc_pending_logins_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.oidc_pending_logins
    ADD CONSTRAINT oidc_pending_logins_pkey PRIMARY KEY (state_hash);

--
-- Name: query_plans query_plans_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.query_plans
    ADD CONSTRAINT query_plans_pkey PRIMARY KEY (id);

--
-- Name: query_texts query_texts_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.query_texts
    ADD CONSTRAINT query_texts_pkey PRIMARY KEY (target_id, queryid);

--
-- Name: recommendation_notes recommendation_notes_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.recommendation_notes
    ADD CONSTRAINT recommendation_notes_pkey PRIMARY KEY (id);

--
-- Name: recommendations recommendations_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.recommendations
    ADD CONSTRAINT recommendations_pkey PRIMARY KEY (id);

--
-- Name: refresh_tokens refresh_tokens_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.refresh_tokens
    ADD CONSTRAINT refresh_tokens_pkey PRIMARY KEY (id);

--
-- Name: refresh_tokens refresh_tokens_token_hash_key; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.refresh_tokens
    ADD CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash);

--
-- Name: sandboxes sandboxes_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.sandboxes
    ADD CONSTRAINT sandboxes_pkey PRIMARY KEY (id);

--
-- Name: sandboxes sandboxes_target_id_key; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.sandboxes
    ADD CONSTRAINT sandboxes_target_id_key UNIQUE (target_id);

--
-- Name: sign_in_attempts sign_in_attempts_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.sign_in_attempts
    ADD CONSTRAINT sign_in_attempts_pkey PRIMARY KEY (key);

--
-- Name: slow_queries_found slow_queries_found_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.slow_queries_found
    ADD CONSTRAINT slow_queries_found_pkey PRIMARY KEY (id);

--
-- Name: slow_queries_found slow_queries_found_target_id_queryid_key; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.slow_queries_found
    ADD CONSTRAINT slow_queries_found_target_id_queryid_key UNIQUE (target_id, queryid);

--
-- Name: snapshots snapshots_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.snapshots
    ADD CONSTRAINT snapshots_pkey PRIMARY KEY (id);

--
-- Name: statement_counters statement_counters_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.statement_counters
    ADD CONSTRAINT statement_counters_pkey PRIMARY KEY (target_id, dbid, userid, queryid, toplevel);

--
-- Name: statement_history statement_history_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.statement_history
    ADD CONSTRAINT statement_history_pkey PRIMARY KEY (id);

--
-- Name: statement_hourly statement_hourly_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.statement_hourly
    ADD CONSTRAINT statement_hourly_pkey PRIMARY KEY (target_id, hour, queryid);

--
-- Name: statement_samples statement_samples_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.statement_samples
    ADD CONSTRAINT statement_samples_pkey PRIMARY KEY (target_id, queryid, query_md5);

--
-- Name: table_counters table_counters_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.table_counters
    ADD CONSTRAINT table_counters_pkey PRIMARY KEY (target_id, relid);

--
-- Name: targets targets_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.targets
    ADD CONSTRAINT targets_pkey PRIMARY KEY (id);

--
-- Name: targets targets_tenant_id_name_key; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.targets
    ADD CONSTRAINT targets_tenant_id_name_key UNIQUE (tenant_id, name);

--
-- Name: tenants tenants_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.tenants
    ADD CONSTRAINT tenants_pkey PRIMARY KEY (id);

--
-- Name: tenants tenants_slug_key; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.tenants
    ADD CONSTRAINT tenants_slug_key UNIQUE (slug);

--
-- Name: users users_oidc_issuer_oidc_subject_key; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.users
    ADD CONSTRAINT users_oidc_issuer_oidc_subject_key UNIQUE (oidc_issuer, oidc_subject);

--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

--
-- Name: ai_analyses_target_queryid_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX ai_analyses_target_queryid_idx ON optischema.ai_analyses USING btree (target_id, queryid, created_at DESC);

--
-- Name: ai_analyses_tenant_created_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX ai_analyses_tenant_created_idx ON optischema.ai_analyses USING btree (tenant_id, created_at DESC);

--
-- Name: ai_analysis_recommendations_rec_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX ai_analysis_recommendations_rec_idx ON optischema.ai_analysis_recommendations USING btree (recommendation_id);

--
-- Name: api_keys_tenant_id_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX api_keys_tenant_id_idx ON optischema.api_keys USING btree (tenant_id);

--
-- Name: audit_log_tenant_id_at_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX audit_log_tenant_id_at_idx ON optischema.audit_log USING btree (tenant_id, at DESC);

--
-- Name: changes_one_open_per_recommendation; Type: INDEX; Schema: optischema; Owner: -
--

CREATE UNIQUE INDEX changes_one_open_per_recommendation ON optischema.changes USING btree (recommendation_id) WHERE (rolled_back_at IS NULL);

--
-- Name: changes_target_id_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX changes_target_id_idx ON optischema.changes USING btree (target_id, applied_at DESC);

--
-- Name: index_history_target_id_captured_at_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX index_history_target_id_captured_at_idx ON optischema.index_history USING btree (target_id, captured_at);

--
-- Name: memberships_user_id_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX memberships_user_id_idx ON optischema.memberships USING btree (user_id);

--
-- Name: oidc_pending_logins_expires_at_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX oidc_pending_logins_expires_at_idx ON optischema.oidc_pending_logins USING btree (expires_at);

--
-- Name: query_plans_target_id_queryid_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX query_plans_target_id_queryid_idx ON optischema.query_plans USING btree (target_id, queryid, captured_at DESC);

--
-- Name: recommendation_notes_recommendation_id_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX recommendation_notes_recommendation_id_idx ON optischema.recommendation_notes USING btree (recommendation_id);

--
-- Name: recommendations_dedup_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE UNIQUE INDEX recommendations_dedup_idx ON optischema.recommendations USING btree (target_id, kind, dedup_key);

--
-- Name: recommendations_finding_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE UNIQUE INDEX recommendations_finding_idx ON optischema.recommendations USING btree (target_id, kind, rule, subject) WHERE (rule IS NOT NULL);

--
-- Name: recommendations_target_id_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX recommendations_target_id_idx ON optischema.recommendations USING btree (target_id);

--
-- Name: recommendations_tenant_id_created_at_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX recommendations_tenant_id_created_at_idx ON optischema.recommendations USING btree (tenant_id, created_at DESC);

--
-- Name: refresh_tokens_user_id_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX refresh_tokens_user_id_idx ON optischema.refresh_tokens USING btree (user_id);

--
-- Name: sign_in_attempts_expires_at_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX sign_in_attempts_expires_at_idx ON optischema.sign_in_attempts USING btree (expires_at);

--
-- Name: snapshots_target_id_captured_at_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX snapshots_target_id_captured_at_idx ON optischema.snapshots USING btree (target_id, captured_at DESC);

--
-- Name: statement_history_target_id_captured_at_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX statement_history_target_id_captured_at_idx ON optischema.statement_history USING btree (target_id, captured_at);

--
-- Name: statement_history_target_id_queryid_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX statement_history_target_id_queryid_idx ON optischema.statement_history USING btree (target_id, queryid, captured_at);

--
-- Name: table_history_target_id_captured_at_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE INDEX table_history_target_id_captured_at_idx ON optischema.table_history USING btree (target_id, captured_at);

--
-- Name: targets_one_local_idx; Type: INDEX; Schema: optischema; Owner: -
--

CREATE UNIQUE INDEX targets_one_local_idx ON optischema.targets USING btree (secret_ref) WHERE (secret_ref = 'local'::text);

--
-- Name: users_email_key; Type: INDEX; Schema: optischema; Owner: -
--

CREATE UNIQUE INDEX users_email_key ON optischema.users USING btree (lower(email));

--
-- Name: audit_log audit_log_append_only; Type: TRIGGER; Schema: optischema; Owner: -
--

CREATE TRIGGER audit_log_append_only BEFORE DELETE OR UPDATE OR TRUNCATE ON optischema.audit_log FOR EACH STATEMENT EXECUTE FUNCTION optischema.refuse_audit_change();

--
-- Name: ai_settings drop_stale_key; Type: TRIGGER; Schema: optischema; Owner: -
--

CREATE TRIGGER drop_stale_key BEFORE UPDATE ON optischema.ai_settings FOR EACH ROW EXECUTE FUNCTION optischema.ai_settings_drop_stale_key();

--
-- Name: recommendations recommendations_publish; Type: TRIGGER; Schema: optischema; Owner: -
--

CREATE TRIGGER recommendations_publish AFTER INSERT OR UPDATE OF state ON optischema.recommendations FOR EACH ROW EXECUTE FUNCTION optischema.recommendation_event();

--
-- Name: recommendations recommendations_record_transition; Type: TRIGGER; Schema: optischema; Owner: -
--

CREATE TRIGGER recommendations_record_transition AFTER UPDATE OF state, apply_at ON optischema.recommendations FOR EACH ROW EXECUTE FUNCTION optischema.record_recommendation_transition();

--
-- Name: recommendations recommendations_refuse_manual_apply; Type: TRIGGER; Schema: optischema; Owner: -
--

CREATE TRIGGER recommendations_refuse_manual_apply BEFORE UPDATE OF state ON optischema.recommendations FOR EACH ROW WHEN (((new.state = 'scheduled'::text) AND (regexp_replace(new.statement, '--[^\n]*'::text, ''::text, 'g'::text) !~ '\S'::text))) EXECUTE FUNCTION optischema.refuse_manual_apply();

--
-- Name: recommendations recommendations_transition; Type: TRIGGER; Schema: optischema; Owner: -
--

CREATE TRIGGER recommendations_transition BEFORE UPDATE OF state ON optischema.recommendations FOR EACH ROW EXECUTE FUNCTION optischema.check_recommendation_transition();

--
-- Name: targets targets_forget_literal_samples; Type: TRIGGER; Schema: optischema; Owner: -
--

CREATE TRIGGER targets_forget_literal_samples AFTER UPDATE OF keep_literal_samples ON optischema.targets FOR EACH ROW WHEN ((old.keep_literal_samples AND (NOT new.keep_literal_samples))) EXECUTE FUNCTION optischema.forget_literal_samples();

--
-- Name: activity_samples activity_samples_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.activity_samples
    ADD CONSTRAINT activity_samples_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: activity_samples activity_samples_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.activity_samples
    ADD CONSTRAINT activity_samples_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: advice_requests advice_requests_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.advice_requests
    ADD CONSTRAINT advice_requests_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: advice_requests advice_requests_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.advice_requests
    ADD CONSTRAINT advice_requests_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: ai_analyses ai_analyses_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.ai_analyses
    ADD CONSTRAINT ai_analyses_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: ai_analyses ai_analyses_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.ai_analyses
    ADD CONSTRAINT ai_analyses_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: ai_analysis_recommendations ai_analysis_recommendations_analysis_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.ai_analysis_recommendations
    ADD CONSTRAINT ai_analysis_recommendations_analysis_id_fkey FOREIGN KEY (analysis_id) REFERENCES optischema.ai_analyses(id) ON DELETE CASCADE;

--
-- Name: ai_analysis_recommendations ai_analysis_recommendations_recommendation_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.ai_analysis_recommendations
    ADD CONSTRAINT ai_analysis_recommendations_recommendation_id_fkey FOREIGN KEY (recommendation_id) REFERENCES optischema.recommendations(id) ON DELETE CASCADE;

--
-- Name: ai_analysis_recommendations ai_analysis_recommendations_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.ai_analysis_recommendations
    ADD CONSTRAINT ai_analysis_recommendations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: ai_settings ai_settings_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.ai_settings
    ADD CONSTRAINT ai_settings_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: api_keys api_keys_created_by_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.api_keys
    ADD CONSTRAINT api_keys_created_by_fkey FOREIGN KEY (created_by) REFERENCES optischema.users(id) ON DELETE SET NULL;

--
-- Name: api_keys api_keys_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.api_keys
    ADD CONSTRAINT api_keys_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: audit_log audit_log_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.audit_log
    ADD CONSTRAINT audit_log_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE SET NULL;

--
-- Name: changes changes_recommendation_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.changes
    ADD CONSTRAINT changes_recommendation_id_fkey FOREIGN KEY (recommendation_id) REFERENCES optischema.recommendations(id) ON DELETE CASCADE;

--
-- Name: changes changes_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.changes
    ADD CONSTRAINT changes_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: changes changes_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.changes
    ADD CONSTRAINT changes_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: index_counters index_counters_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.index_counters
    ADD CONSTRAINT index_counters_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: index_history index_history_snapshot_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.index_history
    ADD CONSTRAINT index_history_snapshot_id_fkey FOREIGN KEY (snapshot_id) REFERENCES optischema.snapshots(id) ON DELETE CASCADE;

--
-- Name: index_history index_history_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.index_history
    ADD CONSTRAINT index_history_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: index_history index_history_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.index_history
    ADD CONSTRAINT index_history_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: memberships memberships_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.memberships
    ADD CONSTRAINT memberships_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: memberships memberships_user_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.memberships
    ADD CONSTRAINT memberships_user_id_fkey FOREIGN KEY (user_id) REFERENCES optischema.users(id) ON DELETE CASCADE;

--
-- Name: query_plans query_plans_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.query_plans
    ADD CONSTRAINT query_plans_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: query_plans query_plans_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.query_plans
    ADD CONSTRAINT query_plans_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: query_texts query_texts_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.query_texts
    ADD CONSTRAINT query_texts_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: query_texts query_texts_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.query_texts
    ADD CONSTRAINT query_texts_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: recommendation_notes recommendation_notes_author_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.recommendation_notes
    ADD CONSTRAINT recommendation_notes_author_id_fkey FOREIGN KEY (author_id) REFERENCES optischema.users(id) ON DELETE SET NULL;

--
-- Name: recommendation_notes recommendation_notes_recommendation_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.recommendation_notes
    ADD CONSTRAINT recommendation_notes_recommendation_id_fkey FOREIGN KEY (recommendation_id) REFERENCES optischema.recommendations(id) ON DELETE CASCADE;

--
-- Name: recommendation_notes recommendation_notes_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.recommendation_notes
    ADD CONSTRAINT recommendation_notes_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: recommendations recommendations_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.recommendations
    ADD CONSTRAINT recommendations_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: recommendations recommendations_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.recommendations
    ADD CONSTRAINT recommendations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: refresh_tokens refresh_tokens_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.refresh_tokens
    ADD CONSTRAINT refresh_tokens_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: refresh_tokens refresh_tokens_user_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.refresh_tokens
    ADD CONSTRAINT refresh_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES optischema.users(id) ON DELETE CASCADE;

--
-- Name: sandboxes sandboxes_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.sandboxes
    ADD CONSTRAINT sandboxes_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE SET NULL;

--
-- Name: sandboxes sandboxes_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.sandboxes
    ADD CONSTRAINT sandboxes_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: slow_queries_found slow_queries_found_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.slow_queries_found
    ADD CONSTRAINT slow_queries_found_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: slow_queries_found slow_queries_found_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.slow_queries_found
    ADD CONSTRAINT slow_queries_found_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: snapshots snapshots_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.snapshots
    ADD CONSTRAINT snapshots_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: snapshots snapshots_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.snapshots
    ADD CONSTRAINT snapshots_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: statement_counters statement_counters_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.statement_counters
    ADD CONSTRAINT statement_counters_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: statement_history statement_history_snapshot_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.statement_history
    ADD CONSTRAINT statement_history_snapshot_id_fkey FOREIGN KEY (snapshot_id) REFERENCES optischema.snapshots(id) ON DELETE CASCADE;

--
-- Name: statement_history statement_history_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.statement_history
    ADD CONSTRAINT statement_history_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: statement_history statement_history_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.statement_history
    ADD CONSTRAINT statement_history_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: statement_hourly statement_hourly_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.statement_hourly
    ADD CONSTRAINT statement_hourly_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: statement_hourly statement_hourly_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.statement_hourly
    ADD CONSTRAINT statement_hourly_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: statement_samples statement_samples_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.statement_samples
    ADD CONSTRAINT statement_samples_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: statement_samples statement_samples_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.statement_samples
    ADD CONSTRAINT statement_samples_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: table_counters table_counters_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.table_counters
    ADD CONSTRAINT table_counters_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: table_history table_history_snapshot_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.table_history
    ADD CONSTRAINT table_history_snapshot_id_fkey FOREIGN KEY (snapshot_id) REFERENCES optischema.snapshots(id) ON DELETE CASCADE;

--
-- Name: table_history table_history_target_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.table_history
    ADD CONSTRAINT table_history_target_id_fkey FOREIGN KEY (target_id) REFERENCES optischema.targets(id) ON DELETE CASCADE;

--
-- Name: table_history table_history_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.table_history
    ADD CONSTRAINT table_history_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: targets targets_created_by_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.targets
    ADD CONSTRAINT targets_created_by_fkey FOREIGN KEY (created_by) REFERENCES optischema.users(id) ON DELETE SET NULL;

--
-- Name: targets targets_tenant_id_fkey; Type: FK CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.targets
    ADD CONSTRAINT targets_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES optischema.tenants(id) ON DELETE CASCADE;

--
-- Name: activity_samples; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.activity_samples ENABLE ROW LEVEL SECURITY;

--
-- Name: advice_requests; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.advice_requests ENABLE ROW LEVEL SECURITY;

--
-- Name: ai_analyses; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.ai_analyses ENABLE ROW LEVEL SECURITY;

--
-- Name: ai_analysis_recommendations; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.ai_analysis_recommendations ENABLE ROW LEVEL SECURITY;

--
-- Name: ai_settings; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.ai_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: api_keys; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.api_keys ENABLE ROW LEVEL SECURITY;

--
-- Name: audit_log; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.audit_log ENABLE ROW LEVEL SECURITY;

--
-- Name: changes; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.changes ENABLE ROW LEVEL SECURITY;

--
-- Name: index_counters; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.index_counters ENABLE ROW LEVEL SECURITY;

--
-- Name: index_history; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.index_history ENABLE ROW LEVEL SECURITY;

--
-- Name: memberships; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.memberships ENABLE ROW LEVEL SECURITY;

--
-- Name: query_plans; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.query_plans ENABLE ROW LEVEL SECURITY;

--
-- Name: query_texts; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.query_texts ENABLE ROW LEVEL SECURITY;

--
-- Name: recommendation_notes; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.recommendation_notes ENABLE ROW LEVEL SECURITY;

--
-- Name: recommendations; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.recommendations ENABLE ROW LEVEL SECURITY;

--
-- Name: refresh_tokens; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.refresh_tokens ENABLE ROW LEVEL SECURITY;

--
-- Name: sandboxes; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.sandboxes ENABLE ROW LEVEL SECURITY;

--
-- Name: slow_queries_found; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.slow_queries_found ENABLE ROW LEVEL SECURITY;

--
-- Name: snapshots; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.snapshots ENABLE ROW LEVEL SECURITY;

--
-- Name: statement_counters; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.statement_counters ENABLE ROW LEVEL SECURITY;

--
-- Name: statement_history; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.statement_history ENABLE ROW LEVEL SECURITY;

--
-- Name: statement_hourly; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.statement_hourly ENABLE ROW LEVEL SECURITY;

--
-- Name: statement_samples; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.statement_samples ENABLE ROW LEVEL SECURITY;

--
-- Name: table_counters; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.table_counters ENABLE ROW LEVEL SECURITY;

--
-- Name: table_history; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.table_history ENABLE ROW LEVEL SECURITY;

--
-- Name: targets; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.targets ENABLE ROW LEVEL SECURITY;

--
-- Name: activity_samples tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.activity_samples USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: advice_requests tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.advice_requests USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: ai_analyses tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.ai_analyses USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: ai_analysis_recommendations tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.ai_analysis_recommendations USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: ai_settings tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.ai_settings USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: api_keys tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.api_keys USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: audit_log tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.audit_log USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: changes tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.changes USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: index_history tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.index_history USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: memberships tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.memberships USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: query_plans tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.query_plans USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: query_texts tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.query_texts USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: recommendation_notes tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.recommendation_notes USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: recommendations tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.recommendations USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: sandboxes tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.sandboxes USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: slow_queries_found tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.slow_queries_found USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: snapshots tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.snapshots USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: statement_history tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.statement_history USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: statement_hourly tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.statement_hourly USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: statement_samples tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.statement_samples USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: table_history tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.table_history USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: targets tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.targets USING ((tenant_id = optischema.current_tenant_id())) WITH CHECK ((tenant_id = optischema.current_tenant_id()));

--
-- Name: tenants tenant_isolation; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_isolation ON optischema.tenants USING ((id = optischema.current_tenant_id()));

--
-- Name: users tenant_members; Type: POLICY; Schema: optischema; Owner: -
--

CREATE POLICY tenant_members ON optischema.users USING (((id = optischema.current_user_id()) OR (EXISTS ( SELECT
   FROM optischema.memberships m
  WHERE ((m.user_id = users.id) AND (m.tenant_id = optischema.current_tenant_id()))))));

--
-- Name: tenants; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.tenants ENABLE ROW LEVEL SECURITY;

--
-- Name: users; Type: ROW SECURITY; Schema: optischema; Owner: -
--

ALTER TABLE optischema.users ENABLE ROW LEVEL SECURITY;

--
-- PostgreSQL database dump complete
--
