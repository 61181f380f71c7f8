-- OptiSchema's activity samples of one target over the last $2 hours (optischema.activity_samples,
-- one row per look the collector took): how full the server got, how often sessions sat idle in a
-- transaction, and what share of active sessions waited. $1: the target's id.
select count(*)::int as samples,
       min(captured_at) as first_at,
       max(captured_at) as last_at,
       max(connections)::int as peak_connections,
       max(active)::int as peak_active,
       max(max_connections)::int as max_connections,
       max(connections::float8 / nullif(max_connections, 0)) as peak_ratio,
       percentile_cont(0.95) within group (order by connections::float8 / nullif(max_connections, 0)) as p95_ratio,
       avg((idle_in_transaction + idle_in_transaction_aborted > 0)::int)::float8 as idle_in_transaction_share,
       sum((select coalesce(sum(w.value::int), 0) from jsonb_each_text(waiting) w))::float8 as waiting_sessions,
       sum(active)::float8 as active_sessions
from optischema.activity_samples
where target_id = $1 and captured_at > now() - make_interval(hours => $2)
