-- Ordinary tables (partitions included: a partitioned parent has no storage and autovacuum runs on
-- its partitions) with writes or dead tuples since the statistics were last reset, their planner
-- row estimate, and their own reloptions (autovacuum_* set per table override the server's).
-- Counts are float8 so they arrive as numbers.
select n.nspname as schema_name,
       c.relname as table_name,
       s.n_live_tup::float8 as n_live_tup,
       s.n_dead_tup::float8 as n_dead_tup,
       (s.n_tup_upd + s.n_tup_del)::float8 as writes,
       c.reltuples::float8 as reltuples,
       s.last_autovacuum,
       coalesce(c.reloptions, '{}') as reloptions,
       (select pn.nspname || '.' || p.relname
          from pg_catalog.pg_inherits i
          join pg_catalog.pg_class p on p.oid = i.inhparent
          join pg_catalog.pg_namespace pn on pn.oid = p.relnamespace
         where i.inhrelid = c.oid) as parent,
       (select d.stats_reset from pg_catalog.pg_stat_database d where d.datname = current_database()) as stats_reset
from pg_catalog.pg_stat_user_tables s
join pg_catalog.pg_class c on c.oid = s.relid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.relkind = 'r'
  and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'optischema', 'optischema_api', 'graphile_worker')
  and n.nspname !~ '^pg_(toast_)?temp_'
  and (s.n_tup_upd + s.n_tup_del > 0 or s.n_dead_tup > 0)
order by s.n_dead_tup desc, n.nspname, c.relname
