-- The user's tables and materialized views with their columns and statistics, one row each.
-- $1: schemas to leave out (options.ts EXCLUDED_SCHEMAS). Temporary schemas and extension-owned
-- tables are left out too: they are not the user's schema to change.
-- A partitioned table has no storage of its own: its rows, size and counters are its leaf
-- partitions' sums (pg_partition_tree), and its column widths come from the inherited statistics
-- ANALYZE of the parent writes, else from its leaves' averages (autovacuum never analyzes a parent).
with rel as (
  select c.oid, n.nspname, c.relname, c.relkind, c.relispartition, c.relpages, c.reltuples,
         coalesce((select option_value::int from pg_catalog.pg_options_to_table(c.reloptions) where option_name = 'fillfactor'), 100) as fillfactor,
         case when c.relkind = 'p'
              then array(select t.relid from pg_catalog.pg_partition_tree(c.oid) t where t.isleaf)
              else array[c.oid] end as leaves
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
   where c.relkind in ('r', 'p', 'm')
     and c.relpersistence <> 't'
     and n.nspname <> all ($1::text[])
     and n.nspname !~ '^pg_(toast_)?temp_'
     and not exists (select 1 from pg_catalog.pg_depend d
                      where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
)
select r.oid::bigint as oid,
       r.nspname as schema_name,
       r.relname as table_name,
       r.relkind::text as relkind,
       r.relispartition as is_partition,
       r.relpages::bigint as relpages,
       -- reltuples is -1 until the first VACUUM or ANALYZE: unknown, not empty.
       case when r.relkind = 'p'
            then (select sum(greatest(l.reltuples, 0)) from pg_catalog.pg_class l where l.oid = any (r.leaves))
            else nullif(r.reltuples, -1) end::float8 as reltuples,
       r.fillfactor,
       case when r.relkind = 'p' then pg_catalog.pg_get_partkeydef(r.oid) end as partition_key,
       current_setting('block_size')::int as block_size,
       (select coalesce(sum(pg_catalog.pg_table_size(l)), 0) from unnest(r.leaves) l)::bigint as table_bytes,
       (select coalesce(sum(s.n_tup_ins), 0) from pg_catalog.pg_stat_all_tables s where s.relid = any (r.leaves))::float8 as n_tup_ins,
       (select coalesce(sum(s.n_tup_del), 0) from pg_catalog.pg_stat_all_tables s where s.relid = any (r.leaves))::float8 as n_tup_del,
       exists (select 1 from pg_catalog.pg_constraint k where k.conrelid = r.oid and k.contype = 'p') as has_primary_key,
       coalesce((
         select json_agg(json_build_object('name', a.attname, 'type', pg_catalog.format_type(a.atttypid, a.atttypmod)) order by k.ord)
           from pg_catalog.pg_constraint p
           cross join lateral unnest(p.conkey) with ordinality k(attnum, ord)
           join pg_catalog.pg_attribute a on a.attrelid = r.oid and a.attnum = k.attnum
          where p.conrelid = r.oid and p.contype = 'p'
       ), '[]'::json) as primary_key,
       coalesce((
         select json_agg(json_build_object(
                  'name', a.attname,
                  'attnum', a.attnum,
                  'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
                  'type_name', t.typname,
                  -- varchar(n): n, from the type modifier (n + 4, the varlena header).
                  'varchar_length', case when a.atttypid = 'pg_catalog.varchar'::regtype and a.atttypmod > 4 then a.atttypmod - 4 end,
                  'attlen', a.attlen,
                  'attalign', a.attalign::text,
                  'not_null', a.attnotnull,
                  'default', pg_catalog.pg_get_expr(d.adbin, d.adrelid),
                  'generated', a.attgenerated::text,
                  'identity', a.attidentity::text,
                  'collation', case when a.attcollation <> t.typcollation then (select co.collname from pg_catalog.pg_collation co where co.oid = a.attcollation) end,
                  'avg_width', coalesce(st.avg_width, leaf.avg_width),
                  'correlation', st.correlation)
                order by a.attnum)
           from pg_catalog.pg_attribute a
           join pg_catalog.pg_type t on t.oid = a.atttypid
           left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
           left join pg_catalog.pg_stats st
             on st.schemaname = r.nspname and st.tablename = r.relname and st.attname = a.attname and st.inherited = (r.relkind = 'p')
           left join lateral (
             select avg(ls.avg_width)::int as avg_width
               from pg_catalog.pg_class lc
               join pg_catalog.pg_namespace ln on ln.oid = lc.relnamespace
               join pg_catalog.pg_stats ls on ls.schemaname = ln.nspname and ls.tablename = lc.relname and ls.attname = a.attname and not ls.inherited
              where r.relkind = 'p' and lc.oid = any (r.leaves)
           ) leaf on true
          where a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
       ), '[]'::json) as columns
  from rel r
 order by r.nspname, r.relname
