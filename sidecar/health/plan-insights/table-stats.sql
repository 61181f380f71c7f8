-- What a misestimate's cause rests on, for the tables the plans scan: rows changed since the last
-- analyze against the row count the planner believes (pg_class.reltuples), and when it last ran.
-- $1 and $2: the tables' schemas and names, paired.
select s.schemaname as schema,
       s.relname as table,
       c.reltuples::float8 as reltuples,
       s.n_live_tup::float8 as n_live_tup,
       s.n_mod_since_analyze::float8 as n_mod_since_analyze,
       s.last_analyze,
       s.last_autoanalyze
from pg_catalog.pg_stat_user_tables s
join pg_catalog.pg_class c on c.oid = s.relid
join unnest($1::text[], $2::text[]) as wanted(schema_name, table_name)
  on wanted.schema_name = s.schemaname and wanted.table_name = s.relname
