-- The collector's psql surface (docs/sql-api.md). All read through row-level security, so an API
-- role sees its tenant's targets only; the role that installed OptiSchema sees everything.
-- `target` defaults to this database's own target (optischema.local_target()).

create function optischema.resolve_target(target uuid) returns uuid language sql as $$
  select coalesce(target, optischema.local_target())
$$;

/*
 * The statements that cost the most in a window, from the collected history:
 *   select * from optischema.top_queries();                        -- last hour, by total time
 *   select * from optischema.top_queries('1 day', 'mean_time');
 * order_by: total_time, mean_time, calls, rows, shared_blks_read, temp_blks_written.
 * Application statements only (see optischema.is_application_statement); shares are of their total.
 */
create function optischema.top_queries(
  since interval default '1 hour', order_by text default 'total_time', target uuid default null, top int default 20
) returns table (
  queryid bigint, query text, calls bigint, total_time_ms double precision, mean_time_ms double precision,
  rows bigint, shared_blks_hit bigint, shared_blks_read bigint, temp_blks_written bigint, share_of_total_pct numeric
) language plpgsql stable as $$
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

/*
 * One statement's intervals, oldest first:
 *   select * from optischema.query_history(-4871385735434012345, '6 hours');
 */
create function optischema.query_history(queryid bigint, since interval default '24 hours', target uuid default null)
returns table (
  captured_at timestamptz, calls bigint, total_time_ms double precision, mean_time_ms double precision, rows bigint,
  shared_blks_hit bigint, shared_blks_read bigint, temp_blks_written bigint, reset boolean
) language sql stable as $$
  select h.captured_at, sum(h.calls)::bigint, sum(h.total_exec_time), sum(h.total_exec_time) / nullif(sum(h.calls), 0),
         sum(h.rows)::bigint, sum(h.shared_blks_hit)::bigint, sum(h.shared_blks_read)::bigint,
         sum(h.temp_blks_written)::bigint, bool_or(h.reset)
  from optischema.statement_history h
  where h.target_id = optischema.resolve_target(query_history.target)
    and h.queryid = query_history.queryid and h.captured_at > now() - since
  group by h.captured_at
  order by h.captured_at
$$;

-- Queries found slow, with their text and where (every target the reader may see).
create view optischema.slow_queries as
  select t.name as target, f.target_id, f.queryid, q.query, f.reason, round(f.mean_exec_ms::numeric, 2) as mean_exec_ms,
         f.calls, f.first_found_at, f.last_found_at
  from optischema.slow_queries_found f
  join optischema.targets t on t.id = f.target_id
  left join optischema.query_texts q on q.target_id = f.target_id and q.queryid = f.queryid;

/*
 * Connections over a window, from the activity samples:
 *   select * from optischema.activity_summary('30 minutes');
 */
create function optischema.activity_summary(since interval default '1 hour', target uuid default null)
returns table (
  samples bigint, avg_active numeric, max_active int, avg_idle_in_transaction numeric, max_idle_in_transaction int,
  max_connections_used int, max_connections int, max_oldest_xact_age_s double precision, waits jsonb
) language sql stable as $$
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
