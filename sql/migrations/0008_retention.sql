-- Retention: the history must not grow without bound (PgHero's table does: its issues #44, #287).
--
-- Per target, raw intervals are kept for targets.raw_retention (default 7 days) and hourly rollups
-- of statement_history for targets.hourly_retention (default 90 days). The sidecar's worker calls
-- this hourly; psql and pg_cron users call the same function:
--   select * from optischema.apply_retention();
-- Like the recording functions it writes across tenants: run it as the role that installed
-- OptiSchema (or a superuser, or a role with BYPASSRLS), never as an API role.

/*
 * For each target: folds raw statement_history rows older than raw_retention into statement_hourly
 * and deletes them; deletes table_history, index_history, activity_samples and snapshots older than
 * raw_retention, statement_hourly rows older than hourly_retention, and query texts nothing within
 * retention refers to any more. Every delete takes at most p_batch rows per statement and loops
 * until none is left, so no single statement holds a huge row set (the whole call is still one
 * transaction: a function cannot commit).
 *
 * Returns one row per target: rolled_up = raw statement_history rows folded into hourly rows,
 * deleted_raw = raw rows deleted (statement, table, index and activity history, snapshots; the
 * rolled-up rows included), deleted_hourly = hourly rows deleted.
 */
create function optischema.apply_retention(p_batch int default 10000)
returns table (target_id uuid, rolled_up int, deleted_raw int, deleted_hourly int)
language plpgsql as $$
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
  for v_target in select t.id, t.raw_retention, t.hourly_retention from optischema.targets t order by t.id loop
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
comment on function optischema.apply_retention(int) is
  'Rolls raw statement history older than each target''s raw_retention into hourly rows, deletes expired raw and hourly history in batches';
