-- The insert rate from OptiSchema's history of a monitored target: inserts between its first and
-- last snapshot, over the time between them. A partitioned table's partitions are summed per
-- snapshot. $1: target id; $2, $3: the tables' schema and table names, pairwise.
with per_snapshot as (
  select h.snapshot_id, min(h.captured_at) as captured_at, sum(h.n_tup_ins)::float8 as inserts
    from optischema.table_history h
    join unnest($2::text[], $3::text[]) t(schema_name, table_name)
      on t.schema_name = h.schema_name and t.table_name = h.table_name
   where h.target_id = $1
   group by h.snapshot_id
)
select count(*)::int as snapshots,
       extract(epoch from max(captured_at) - min(captured_at))::float8 as seconds,
       (array_agg(inserts order by captured_at desc))[1] - (array_agg(inserts order by captured_at))[1] as inserted,
       min(captured_at) as first_at, max(captured_at) as last_at
  from per_snapshot
