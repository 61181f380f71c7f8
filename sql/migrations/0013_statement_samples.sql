-- Statement samples: literal texts of application statements as clients sent them, a few per
-- query id, taken from pg_stat_activity by the activity sampler.
--
-- Why: pg_stat_statements prints statements normalized ($n for every constant), and the index
-- advisor plans those. Real executions run custom plans with real values; a text seen in
-- pg_stat_activity under the same query id is one set of real values the advisor can plan.
--
-- What is kept (docs/security.md, "Statement samples"):
-- - per (target, query id) at most 5 distinct texts, the most recently seen; each text at most
--   16 kB, and none that pg_stat_activity may have cut (track_activity_query_size), since a cut
--   statement cannot be planned;
-- - only application statements (optischema.is_application_statement), one statement per text,
--   with their values in the text (no $n: a client using the extended protocol sent them apart);
-- - for targets.raw_retention, like the other raw collector data (apply_retention);
-- - only while targets.keep_literal_samples is on (default on). Literal values may be personal
--   data: switching it off deletes the target's samples at once and stops reading them.
-- Readable like query_texts: viewers and up, of their own tenant only (RLS).

alter table optischema.targets add column keep_literal_samples boolean not null default true;
grant select (keep_literal_samples) on optischema.targets to optischema_viewer;

create table optischema.statement_samples (
  tenant_id uuid not null references optischema.tenants on delete cascade,
  target_id uuid not null references optischema.targets on delete cascade,
  queryid bigint not null,
  query text not null,
  -- The key holds the text's hash: a text of 16 kB does not fit in a btree entry.
  query_md5 text not null generated always as (md5(query)) stored,
  first_seen_at timestamptz not null,
  last_seen_at timestamptz not null,
  -- Activity samples that saw this text (a session idle after it is seen by every sample).
  times_seen int not null default 1,
  primary key (target_id, queryid, query_md5)
);
alter table optischema.statement_samples enable row level security;
alter table optischema.statement_samples force row level security;
create policy tenant_isolation on optischema.statement_samples
  using (tenant_id = optischema.current_tenant_id()) with check (tenant_id = optischema.current_tenant_id());
grant select on optischema.statement_samples to optischema_viewer;

/*
 * The texts of the sessions of this database that ran a statement with a query id: plain SELECT
 * over pg_stat_activity, like the other read_* functions (the sidecar runs this very text on a
 * remote target, taken from pg_proc). The sampler runs it only when the target keeps literal
 * samples. The application-statement and one-statement rules are record_statement_samples'
 * (they need optischema.is_application_statement, which a remote target does not have).
 * query_id needs compute_query_id = on, or auto with pg_stat_statements loaded.
 */
create function optischema.read_statement_samples() returns jsonb language sql stable
set search_path = pg_catalog, pg_temp as $$
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

-- A two-int4 advisory key per target ('OPSL', hashtext(target id)): recording takes it shared,
-- switching samples off takes it exclusively (forget_literal_samples below).

/*
 * Stores the texts read_statement_samples() returned for a target, when the target keeps literal
 * samples: each new text is added, a text seen again has its last_seen_at and times_seen moved,
 * and each query id keeps its 5 most recently seen texts. Texts that are not one application
 * statement with its values in it are left out (see the head of this file). Returns the number of
 * texts added or seen again.
 */
create function optischema.record_statement_samples(p_target uuid, p_captured timestamptz, p_samples jsonb)
returns int language plpgsql set search_path = pg_catalog, pg_temp as $$
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
$$;

/*
 * keep_literal_samples switched off: the target's samples go at once. The exclusive lock waits for
 * a recording in progress, whose rows the delete then sees (read committed: each statement here
 * takes a new snapshot). A switch made in a repeatable-read transaction can miss rows committed
 * after it began; apply_retention deletes those at its next run.
 */
create function optischema.forget_literal_samples() returns trigger language plpgsql
set search_path = pg_catalog, pg_temp as $$
begin
  perform pg_advisory_xact_lock(1330664268, hashtext(new.id::text));
  delete from optischema.statement_samples s where s.target_id = new.id;
  return null;
end
$$;
create trigger targets_forget_literal_samples after update of keep_literal_samples on optischema.targets
  for each row when (old.keep_literal_samples and not new.keep_literal_samples)
  execute function optischema.forget_literal_samples();

-- As in 0006, and the texts too when the local target keeps them (off: they are not even read).
create or replace function optischema.sample_activity() returns void language plpgsql
set search_path = pg_catalog, pg_temp as $$
declare
  v_target uuid := optischema.local_target();
begin
  perform optischema.record_activity(v_target, now(), optischema.read_activity());
  if (select t.keep_literal_samples from optischema.targets t where t.id = v_target) then
    perform optischema.record_statement_samples(v_target, now(), optischema.read_statement_samples());
  end if;
end
$$;

/*
 * As in 0008, plus statement samples: those last seen before raw_retention are deleted (counted in
 * deleted_raw), and so are any left on a target that no longer keeps them.
 */
create or replace function optischema.apply_retention(p_batch int default 10000)
returns table (target_id uuid, rolled_up int, deleted_raw int, deleted_hourly int)
language plpgsql set search_path = pg_catalog, pg_temp as $$
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
