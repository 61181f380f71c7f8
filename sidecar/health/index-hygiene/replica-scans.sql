-- Index scans as one replica counts them (each standby keeps statistics of its own), keyed like
-- index-facts.sql: schema and index name as the catalog has them, a partitioned index summed over
-- the tree of indexes attached below it.
select n.nspname as schema, ic.relname as index,
       (select coalesce(sum(s.idx_scan), 0) from (select i.indexrelid::regclass as relid union select p.relid from pg_catalog.pg_partition_tree(i.indexrelid) p) t
        join pg_catalog.pg_stat_user_indexes s on s.indexrelid = t.relid) as scans
from pg_catalog.pg_index i
join pg_catalog.pg_class ic on ic.oid = i.indexrelid
join pg_catalog.pg_namespace n on n.oid = ic.relnamespace
where n.nspname !~ '^pg_'
  and n.nspname not in ('information_schema', 'optischema', 'optischema_api', 'graphile_worker')
