-- This database's session counters (pg_stat_database, PostgreSQL 14+), cumulative since its
-- statistics were reset; when they never were, since the server started (an upper bound on the
-- rate, as counters survive a clean restart). Times in milliseconds.
select d.sessions::float8 as sessions,
       d.session_time::float8 as session_time_ms,
       d.active_time::float8 as active_time_ms,
       d.idle_in_transaction_time::float8 as idle_in_transaction_time_ms,
       d.sessions_abandoned::float8 as sessions_abandoned,
       d.stats_reset,
       extract(epoch from now() - coalesce(d.stats_reset, pg_catalog.pg_postmaster_start_time()))::float8 as window_s
from pg_catalog.pg_stat_database d
where d.datname = current_database()
