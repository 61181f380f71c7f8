-- The health advisors' findings, in the same store and state machine as index recommendations
-- (docs/health.md).
--
-- 1. Five more kinds, one per advisor: plan_insight, index_hygiene, schema, pooling, setting
--    ('setting' and 'schema' existed already). A finding is identified by its advisor (kind), its
--    rule (`unused_index`, `column_padding`…) and its subject (`public.orders_status_idx`,
--    `work_mem`): a repeat refreshes the row, whatever its SQL says this time (a pool size, a
--    setting's value can change between runs).
-- 2. risk (low, medium, high), needs_restart (a setting that takes effect only after a restart),
--    and manual: a recommendation whose statement is only SQL comments is steps to follow by hand
--    (a pooler, a table rewrite); it can be validated where a sandbox can test it, never applied
--    by OptiSchema.
-- 3. optischema.record_health_findings(): the one writer, called by the health_check job and by
--    `optischema health --store`. Findings of an advisor that ran and that it no longer reports
--    are dismissed while still `proposed` ("no longer found"), and come back as `proposed` if found again.

set local search_path = pg_catalog, pg_temp;

alter table optischema.recommendations drop constraint recommendations_kind_check;
alter table optischema.recommendations add constraint recommendations_kind_check check (kind in (
  'index', 'query', 'schema', 'setting', 'plan_insight', 'index_hygiene', 'pooling'));

alter table optischema.recommendations
  add column rule text,
  add column subject text,
  add column risk text check (risk in ('low', 'medium', 'high')),
  add column needs_restart boolean not null default false,
  -- Only comments and blank lines: nothing for OptiSchema to run.
  add column manual boolean generated always as (regexp_replace(statement, '--[^\n]*', '', 'g') !~ '\S') stored,
  add constraint recommendations_rule_subject_check check ((rule is null) = (subject is null));

create unique index recommendations_finding_idx on optischema.recommendations (target_id, kind, rule, subject) where rule is not null;

-- What a dismissal by the health check says, so a finding that comes back can be told from one a person dismissed.
create function optischema.no_longer_found_reason() returns text language sql immutable parallel safe
  return 'no longer found by the health check';

-- Steps to follow by hand are never scheduled: OptiSchema has nothing to run.
create function optischema.refuse_manual_apply() returns trigger language plpgsql
set search_path = pg_catalog, pg_temp as $$
begin
  raise exception 'this recommendation is steps to follow by hand (%), not SQL OptiSchema can run: follow them, then dismiss it', new.title
    using errcode = 'feature_not_supported';
end
$$;
create trigger recommendations_refuse_manual_apply before update of state on optischema.recommendations
  -- The expression of `manual` (a BEFORE trigger cannot read NEW's generated columns).
  for each row when (new.state = 'scheduled' and regexp_replace(new.statement, '--[^\n]*', '', 'g') !~ '\S')
  execute function optischema.refuse_manual_apply();

-- validate() and apply() take every kind but query rewrites (verified by the AI review, changed
-- in the application); apply() refuses steps to follow by hand with the reason.
create or replace function optischema.validate(id uuid) returns optischema.recommendations language plpgsql
set search_path = pg_catalog, pg_temp as $$
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

/*
 * Schedules the apply (admins): now, or at `at` (a maintenance window). Only a validated
 * recommendation, unless `force_reason` says in writing why an unvalidated one must go (audited):
 *   select state from optischema.apply('…');                                  -- scheduled, now
 *   select state from optischema.apply('…', '2026-12-05 02:00+00');           -- in the window
 *   select state from optischema.apply('…', now(), 'sandbox down; incident 4411 needs it tonight');
 */
create or replace function optischema.apply(id uuid, at timestamptz default now(), force_reason text default null)
returns optischema.recommendations language plpgsql
set search_path = pg_catalog, pg_temp as $$
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

/*
 * Records one health check of a target: `p_kinds` are the advisors that ran, `p_findings` their
 * findings as sidecar/health/finding.ts defines them ({kind, rule, subject, title, rationale, sql,
 * rollbackSql, risk, table?, needsRestart?, evidence}).
 *
 * New: inserted as `proposed`. Seen before (same target, kind, rule and subject): seen_count + 1,
 * last_seen_at = now(); while `proposed` its text, SQL, risk and evidence are refreshed; one the
 * health check itself dismissed earlier comes back as `proposed`. A finding of those kinds still
 * `proposed` that this check did not report is dismissed as no longer found. Any other state
 * (validated, applied, dismissed by a person…) is left as it is.
 *
 *   select * from optischema.record_health_findings(target, array['index_hygiene'], '[{"kind": "index_hygiene", …}]');
 */
create function optischema.record_health_findings(p_target uuid, p_kinds text[], p_findings jsonb)
returns table (recommendation_id uuid, created boolean, state text, kind text, rule text, subject text)
language plpgsql volatile
set search_path = pg_catalog, pg_temp as $$
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

-- The API view gains the new columns (CREATE OR REPLACE VIEW can only append).
create or replace view optischema_api.recommendations with (security_invoker = true) as
  select id, target_id, kind, title, statement, rollback_statement, rationale, state, improvement_pct, created_at, updated_at,
         table_name, cost_before, cost_after, size_bytes, evidence, seen_count, last_seen_at,
         state_reason, validation, validated_at, measured_improvement_pct, apply_at, force_reason,
         rule, subject, risk, needs_restart, manual
  from optischema.recommendations;

comment on column optischema_api.recommendations.rule is 'The health advisor''s rule that found it (unused_index, column_padding, work_mem…); null for the index advisor''s recommendations.';
comment on column optischema_api.recommendations.subject is 'What a health finding is about: schema.index, schema.table, schema.table.column, a setting''s name, or server.';
comment on column optischema_api.recommendations.manual is 'Steps to follow by hand (only SQL comments): it can be validated where a sandbox can test it, never applied by OptiSchema.';

-- How often the sidecar runs the health advisors for a target (health_check job); daily by default.
alter table optischema.targets
  add column health_check_interval_s int not null default 86400 check (health_check_interval_s between 60 and 604800);
grant select (health_check_interval_s) on optischema.targets to optischema_viewer;

-- ANALYZE, VACUUM and CREATE STATISTICS's ANALYZE have nothing to undo: their change has no rollback.
alter table optischema.changes alter column rollback_sql drop not null;
