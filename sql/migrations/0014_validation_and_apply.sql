-- Sandbox validation and the apply manager (docs/sandbox.md, docs/apply.md).
--
-- 1. A recommendation's life is a state machine, enforced on the table itself:
--      proposed → validating → validated | rejected | inconclusive → scheduled → applying
--      → applied | failed;  applied → rolling_back → rolled_back;  dismissed from any open state.
--    A trigger refuses every other move, and refuses the moves that only the sidecar's jobs make
--    (a verdict, applying, applied…) to API requests.
-- 2. Every change of state writes one append-only audit row (who, from, to, the SQL run, the
--    result) and, where the new state asks for work, queues the sidecar's job: validating →
--    validate_recommendation, scheduled → apply_recommendation at apply_at (a maintenance window:
--    graphile-worker's run_at), rolling_back → rollback_recommendation. Both in one SECURITY
--    DEFINER trigger function, so the API roles need no rights on the audit log or the job queue,
--    and what it queues follows from the row's new state alone.
-- 3. The transitions people ask for are SQL functions — optischema.validate, apply, dismiss,
--    rollback — that check the caller's role; optischema_api has the same for GraphQL.
-- 4. optischema.changes records what was applied (the exact statements and their rollback) and the
--    realized gain; optischema.applied_changes shows estimate, sandbox measurement and realized gain
--    side by side.
-- 5. Per target: the sandbox strategy and the apply policy (auto_apply, maintenance window);
--    optischema.sandboxes: the sandbox each target has.

set local search_path = pg_catalog, pg_temp;

alter table optischema.recommendations drop constraint recommendations_state_check;
alter table optischema.recommendations add constraint recommendations_state_check check (state in (
  'proposed', 'validating', 'validated', 'rejected', 'inconclusive', 'scheduled', 'applying', 'applied',
  'failed', 'rolling_back', 'rolled_back', 'dismissed'));

alter table optischema.recommendations
  -- Why it is in its state: a verdict's reason, a failure, a dismissal's reason.
  add column state_reason text,
  -- The latest sandbox validation: verdict, medians and spreads, plans, build time, size, write overhead.
  add column validation jsonb,
  add column validated_at timestamptz,
  -- Median execution time saved in the sandbox over the statements the index serves, in percent.
  add column measured_improvement_pct numeric(6, 2),
  -- When a scheduled apply runs, and the written reason when an admin forced an unvalidated one.
  add column apply_at timestamptz,
  add column force_reason text;

-- Which states are open (a dismissal can end them) and which moves are legal.
create function optischema.recommendation_transition_allowed(p_from text, p_to text) returns boolean
language sql immutable parallel safe
begin atomic
  select (p_from, p_to) in (
    ('proposed', 'validating'), ('validated', 'validating'), ('rejected', 'validating'), ('inconclusive', 'validating'),
    ('failed', 'validating'), ('rolled_back', 'validating'),
    ('validating', 'validated'), ('validating', 'rejected'), ('validating', 'inconclusive'),
    -- Scheduling: validated, or forced by an admin with a written reason (checked by apply()).
    ('validated', 'scheduled'), ('proposed', 'scheduled'), ('rejected', 'scheduled'), ('inconclusive', 'scheduled'),
    ('failed', 'scheduled'),
    ('scheduled', 'applying'), ('applying', 'applied'), ('applying', 'failed'),
    -- A build that waited out its lock timeout goes back to wait for its retry.
    ('applying', 'scheduled'),
    ('applied', 'rolling_back'), ('rolling_back', 'rolled_back'), ('rolling_back', 'applied'),
    ('proposed', 'dismissed'), ('validating', 'dismissed'), ('validated', 'dismissed'), ('rejected', 'dismissed'),
    ('inconclusive', 'dismissed'), ('scheduled', 'dismissed'), ('failed', 'dismissed'), ('rolled_back', 'dismissed'),
    ('dismissed', 'proposed'));
end;

-- The moves an API request may make (an analyst or an admin); every other move is a job's.
create function optischema.recommendation_transition_requestable(p_from text, p_to text) returns boolean
language sql immutable parallel safe
begin atomic
  select p_to in ('validating', 'scheduled', 'rolling_back', 'dismissed') or (p_from, p_to) = ('dismissed', 'proposed');
end;

create function optischema.check_recommendation_transition() returns trigger language plpgsql
set search_path = pg_catalog, pg_temp as $$
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
create trigger recommendations_transition before update of state on optischema.recommendations
  for each row execute function optischema.check_recommendation_transition();

/*
 * Queues a recommendation's job. One queue per target and kind of work (graphile-worker runs the
 * jobs of a named queue one at a time): validations share the target's one sandbox, and an index
 * built there by one would skew another's timings; applies to one target go one after the other,
 * as two concurrent builds on a table wait for each other's locks.
 */
create function optischema.queue_recommendation_job(p_task text, p_id uuid, p_target uuid, p_at timestamptz) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
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
$$;

/*
 * After a change of state: one audit row, and the job the new state asks for. The details come from
 * the transaction-local setting optischema.transition (JSON: the reason, the SQL run, the result),
 * which the transition functions and the sidecar's jobs set just before they update the row.
 * SECURITY DEFINER: the API roles may neither write the audit log nor reach the job queue; what is
 * queued depends only on the row's new state (and a job checks that state again before it acts).
 */
create function optischema.record_recommendation_transition() returns trigger language plpgsql security definer
set search_path = pg_catalog, pg_temp as $$
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
$$;
create trigger recommendations_record_transition after update of state, apply_at on optischema.recommendations
  for each row execute function optischema.record_recommendation_transition();

/*
 * Who asks: the role that installed OptiSchema from psql (no request tenant, and it bypasses
 * row-level security: 'operator'), or an API request's role, which must be at least `needed`.
 */
create function optischema.transition_caller(needed text) returns text language plpgsql stable
set search_path = pg_catalog, pg_temp as $$
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

-- One recommendation, locked for its transition; a clear error when it is not there (or not the caller's).
create function optischema.recommendation_for_transition(p_id uuid) returns optischema.recommendations language plpgsql
set search_path = pg_catalog, pg_temp as $$
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

create function optischema.move_recommendation(p_id uuid, p_to text, p_details jsonb) returns optischema.recommendations
language plpgsql set search_path = pg_catalog, pg_temp as $$
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

/*
 * Queues a sandbox validation (analysts and admins; from psql, the installing role):
 *   select state from optischema.validate('…');   -- validating
 */
create function optischema.validate(id uuid) returns optischema.recommendations language plpgsql
set search_path = pg_catalog, pg_temp as $$
declare
  v optischema.recommendations;
begin
  perform optischema.transition_caller('analyst');
  v := optischema.recommendation_for_transition(id);
  if v.kind <> 'index' then
    raise exception 'only index recommendations can be validated in a sandbox yet' using errcode = 'feature_not_supported';
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

/*
 * Schedules the apply (admins): now, or at `at` (a maintenance window). Only a validated
 * recommendation, unless `force_reason` says in writing why an unvalidated one must go (audited):
 *   select state from optischema.apply('…');                                  -- scheduled, now
 *   select state from optischema.apply('…', '2026-12-05 02:00+00');           -- in the window
 *   select state from optischema.apply('…', now(), 'sandbox down; incident 4411 needs it tonight');
 */
create function optischema.apply(id uuid, at timestamptz default now(), force_reason text default null)
returns optischema.recommendations language plpgsql
set search_path = pg_catalog, pg_temp as $$
declare
  v optischema.recommendations;
  v_reason text := nullif(btrim(force_reason), '');
begin
  perform optischema.transition_caller('admin');
  v := optischema.recommendation_for_transition(id);
  if v.kind <> 'index' then
    raise exception 'only index recommendations can be applied yet' using errcode = 'feature_not_supported';
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

-- Dismisses an open recommendation with a reason (analysts and admins).
create function optischema.dismiss(id uuid, reason text) returns optischema.recommendations language plpgsql
set search_path = pg_catalog, pg_temp as $$
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

-- Rolls an applied recommendation back with its stored rollback SQL (admins).
create function optischema.rollback(id uuid) returns optischema.recommendations language plpgsql
set search_path = pg_catalog, pg_temp as $$
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

-- What was applied where: the exact statements, their rollback, and the gain measured afterwards.
create table optischema.changes (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references optischema.tenants on delete cascade,
  target_id uuid not null references optischema.targets on delete cascade,
  recommendation_id uuid not null references optischema.recommendations on delete cascade,
  applied_at timestamptz not null default now(),
  statements text[] not null,
  rollback_sql text not null,
  build_ms double precision,
  forced boolean not null default false,
  rolled_back_at timestamptz,
  rollback_statements text[],
  -- {"state": "measured" | "waiting", "beforeMs", "afterMs", "callsBefore", "callsAfter", "windowS", "reason"}
  realized jsonb,
  realized_improvement_pct numeric(7, 2),
  realized_at timestamptz
);
create unique index changes_one_open_per_recommendation on optischema.changes (recommendation_id) where rolled_back_at is null;
create index changes_target_id_idx on optischema.changes (target_id, applied_at desc);
alter table optischema.changes enable row level security;
alter table optischema.changes force row level security;
create policy tenant_isolation on optischema.changes
  using (tenant_id = optischema.current_tenant_id()) with check (tenant_id = optischema.current_tenant_id());
grant select on optischema.changes to optischema_viewer;

-- Per target: where recommendations are tried, and whether validated ones go to production by themselves.
alter table optischema.targets
  -- embedded: a database in OptiSchema's own cluster, copied from the target (pg_dump, or TEMPLATE
  -- when the target is that cluster's quiet database); clone: a copy on the target's own server;
  -- sample: a foreign-key-consistent sample in OptiSchema's cluster; url: a sandbox the user gives.
  add column sandbox_strategy text not null default 'embedded' check (sandbox_strategy in ('embedded', 'clone', 'sample', 'url')),
  add column sandbox_sample_fraction double precision not null default 0.1 check (sandbox_sample_fraction > 0 and sandbox_sample_fraction <= 1),
  -- The url strategy's connection string, sealed like the target's own.
  add column sandbox_secret_ciphertext bytea,
  -- Validate every new index recommendation in the sandbox by itself (off by default: the first
  -- validation copies the target; on for the embedded demo).
  add column auto_validate boolean not null default false,
  -- never; validated: every validated index; validated_low_risk: validated and of low risk.
  add column auto_apply text not null default 'never' check (auto_apply in ('never', 'validated', 'validated_low_risk')),
  -- A daily maintenance window (UTC) for applies the policy schedules; none: as soon as validated.
  add column apply_window_start time,
  add column apply_window_minutes int check (apply_window_minutes between 1 and 1440);
grant select (sandbox_strategy, sandbox_sample_fraction, auto_validate, auto_apply, apply_window_start, apply_window_minutes) on optischema.targets to optischema_viewer;

-- The sandbox a target has (one at a time), built and refreshed by the sidecar's jobs.
create table optischema.sandboxes (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references optischema.tenants on delete cascade,
  -- NULL once the target is deleted: the sidecar then drops the sandbox database and the row.
  target_id uuid unique references optischema.targets on delete set null,
  strategy text not null check (strategy in ('embedded', 'clone', 'sample', 'url')),
  -- own: OptiSchema's own cluster; target: the target's server; url: the user's sandbox.
  server text not null check (server in ('own', 'target', 'url')),
  -- The database OptiSchema made (NULL for url: not OptiSchema's to drop).
  database text check (database like 'optischema\_sandbox\_%'),
  -- The target's server URL for a sandbox made there, sealed (it outlives the target's own secret).
  server_secret_ciphertext bytea,
  state text not null check (state in ('building', 'ready', 'failed')),
  progress jsonb,
  error text,
  built_at timestamptz,
  build_ms double precision,
  size_bytes bigint,
  created_at timestamptz not null default now()
);
alter table optischema.sandboxes enable row level security;
alter table optischema.sandboxes force row level security;
create policy tenant_isolation on optischema.sandboxes
  using (tenant_id = optischema.current_tenant_id()) with check (tenant_id = optischema.current_tenant_id());
grant select (id, tenant_id, target_id, strategy, server, database, state, progress, error, built_at, build_ms, size_bytes, created_at)
  on optischema.sandboxes to optischema_viewer;

/*
 * Estimated, sandbox-measured and realized improvement of every applied change:
 *   select title, estimated_pct, measured_pct, realized_pct, realized ->> 'reason' from optischema.applied_changes;
 */
create view optischema.applied_changes with (security_invoker = true) as
  select c.id, c.target_id, t.name as target, c.recommendation_id, r.title, r.statement, c.rollback_sql, r.state,
         c.applied_at, c.build_ms, c.forced, r.force_reason, c.rolled_back_at,
         r.improvement_pct as estimated_pct, r.measured_improvement_pct as measured_pct,
         c.realized_improvement_pct as realized_pct, c.realized, c.realized_at
  from optischema.changes c
  join optischema.recommendations r on r.id = c.recommendation_id
  join optischema.targets t on t.id = c.target_id;
grant select on optischema.applied_changes to optischema_viewer;

/*
 * The realized gain of an applied change: the mean time of the queries the index serves (its
 * evidence's queryids) over equal windows before and after the apply, from the collected history;
 * after the apply, only the intervals that began with the index in place count.
 * The window is the time since the apply, at most `max_window`; both sides need `min_calls` calls,
 * else the state is 'waiting' with the reason.
 */
create function optischema.realized_gain(p_change bigint, min_calls int default 20, max_window interval default '24 hours')
returns jsonb language plpgsql stable
set search_path = pg_catalog, pg_temp as $$
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
$$;

-- Recommendations whose state asks for a job that is not queued (queued before graphile-worker's
-- schema existed, or lost with it): queued again. The sidecar calls it every minute.
create function optischema.requeue_transitions() returns int language plpgsql
set search_path = pg_catalog, pg_temp as $$
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

-- The client API: the same transitions, the new columns, the changes and sandboxes.
create or replace view optischema_api.recommendations with (security_invoker = true) as
  select id, target_id, kind, title, statement, rollback_statement, rationale, state, improvement_pct, created_at, updated_at,
         table_name, cost_before, cost_after, size_bytes, evidence, seen_count, last_seen_at,
         state_reason, validation, validated_at, measured_improvement_pct, apply_at, force_reason
  from optischema.recommendations;

create view optischema_api.applied_changes with (security_invoker = true) as
  select id, target_id, recommendation_id, title, statement, rollback_sql, state, applied_at, build_ms, forced, force_reason,
         rolled_back_at, estimated_pct, measured_pct, realized_pct, realized, realized_at
  from optischema.applied_changes;

create view optischema_api.sandboxes with (security_invoker = true) as
  select id, target_id, strategy, server, database, state, progress, error, built_at, build_ms, size_bytes, created_at
  from optischema.sandboxes;
grant select on optischema_api.applied_changes, optischema_api.sandboxes to optischema_viewer;

create function optischema_api.validate_recommendation(recommendation_id uuid) returns optischema_api.recommendations
language plpgsql volatile set search_path = pg_catalog, pg_temp as $$
declare
  result optischema_api.recommendations;
begin
  perform optischema.validate(recommendation_id);
  select * into result from optischema_api.recommendations v where v.id = recommendation_id;
  return result;
end
$$;

create function optischema_api.apply_recommendation(recommendation_id uuid, at timestamptz default null, force_reason text default null)
returns optischema_api.recommendations language plpgsql volatile set search_path = pg_catalog, pg_temp as $$
declare
  result optischema_api.recommendations;
begin
  perform optischema.apply(recommendation_id, coalesce(at, now()), force_reason);
  select * into result from optischema_api.recommendations v where v.id = recommendation_id;
  return result;
end
$$;

create function optischema_api.dismiss_recommendation(recommendation_id uuid, reason text) returns optischema_api.recommendations
language plpgsql volatile set search_path = pg_catalog, pg_temp as $$
declare
  result optischema_api.recommendations;
begin
  perform optischema.dismiss(recommendation_id, reason);
  select * into result from optischema_api.recommendations v where v.id = recommendation_id;
  return result;
end
$$;

create function optischema_api.rollback_recommendation(recommendation_id uuid) returns optischema_api.recommendations
language plpgsql volatile set search_path = pg_catalog, pg_temp as $$
declare
  result optischema_api.recommendations;
begin
  perform optischema.rollback(recommendation_id);
  select * into result from optischema_api.recommendations v where v.id = recommendation_id;
  return result;
end
$$;

-- The targets' policy columns, for the API's view, and their setter (admins).
create or replace view optischema_api.targets with (security_invoker = true) as
  select id, name, created_at, last_check_at, last_check,
         sandbox_strategy, sandbox_sample_fraction, auto_validate, auto_apply, apply_window_start, apply_window_minutes
  from optischema.targets;

/*
 * A target's sandbox strategy and apply policy (docs/apply.md); null leaves a setting as it is.
 * The url strategy's sandbox URL is a secret: the CLI seals it (optischema sandbox create --strategy url).
 */
create function optischema_api.set_target_policy(
  target_id uuid, sandbox_strategy text default null, sandbox_sample_fraction double precision default null,
  auto_validate boolean default null, auto_apply text default null,
  apply_window_start time default null, apply_window_minutes int default null, clear_apply_window boolean default false
) returns optischema_api.targets language plpgsql volatile set search_path = pg_catalog, pg_temp as $$
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
grant update (sandbox_strategy, sandbox_sample_fraction, auto_validate, auto_apply, apply_window_start, apply_window_minutes)
  on optischema.targets to optischema_admin;
grant execute on function optischema_api.set_target_policy(uuid, text, double precision, boolean, text, time, int, boolean) to optischema_admin;

-- The transition functions run as their caller: the state, its reason and the schedule are
-- theirs to write (the trigger above holds each role to its moves); the rest stays the jobs'.
grant update (state, updated_at, state_reason) on optischema.recommendations to optischema_analyst;
grant update (apply_at, force_reason) on optischema.recommendations to optischema_admin;
-- A BEFORE UPDATE trigger makes PostgreSQL recompute the generated dedup_key on every update, as
-- the updating role (without one, only when kind or statement change): a pure md5 of the row's text.
grant execute on function optischema.recommendation_dedup_key(text, text), optischema.transition_caller(text), optischema.recommendation_for_transition(uuid),
  optischema.move_recommendation(uuid, text, jsonb), optischema.recommendation_transition_allowed(text, text),
  optischema.recommendation_transition_requestable(text, text),
  optischema.validate(uuid), optischema.dismiss(uuid, text), optischema_api.validate_recommendation(uuid),
  optischema_api.dismiss_recommendation(uuid, text)
  to optischema_analyst;
grant execute on function optischema.apply(uuid, timestamptz, text), optischema.rollback(uuid),
  optischema_api.apply_recommendation(uuid, timestamptz, text), optischema_api.rollback_recommendation(uuid)
  to optischema_admin;
