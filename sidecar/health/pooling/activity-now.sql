-- The server's client connections now (pg_stat_activity, one look; every database, since
-- max_connections is the server's): counts by state, sessions waiting by wait_event_type (active
-- sessions with a wait event, as optischema.read_activity() counts them), idle-in-transaction
-- ages, connection ages, and the settings the rules weigh. $1: the idle-in-transaction age, in
-- seconds, above which a session counts as long idle.
with a as (
  select state, wait_event_type, backend_start, state_change
  from pg_catalog.pg_stat_activity
  where backend_type = 'client backend' and pid <> pg_catalog.pg_backend_pid()
)
select current_database() as database,
       (select count(*) from a)::int as connections,
       (select count(*) from a where state = 'active')::int as active,
       (select count(*) from a where state = 'idle')::int as idle,
       (select count(*) from a where state like 'idle in transaction%')::int as idle_in_transaction,
       (select count(*) from a where state like 'idle in transaction%' and now() - state_change > make_interval(secs => $1))::int as idle_in_transaction_long,
       (select max(extract(epoch from now() - state_change)) from a where state like 'idle in transaction%')::float8 as longest_idle_in_transaction_s,
       (select coalesce(jsonb_object_agg(w.type, w.n), '{}') from (
          select wait_event_type as type, count(*)::int as n from a where state = 'active' and wait_event_type is not null group by 1) w) as waiting,
       (select percentile_cont(0.5) within group (order by extract(epoch from now() - backend_start)) from a)::float8 as median_connection_age_s,
       current_setting('max_connections')::int as max_connections,
       current_setting('superuser_reserved_connections')::int as superuser_reserved_connections,
       (select to_jsonb(s) from (
          select name, setting, unit, context, boot_val, reset_val, source, pending_restart
          from pg_catalog.pg_settings where name = 'idle_in_transaction_session_timeout') s) as idle_timeout
