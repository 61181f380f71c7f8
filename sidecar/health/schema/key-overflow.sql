-- int2/int4 columns fed by a sequence, with the sequence's last value and the table's insert rate.
-- A sequence feeds a column through its identity (pg_depend deptype 'i' from the sequence to the
-- column) or through a DEFAULT nextval(…) (pg_depend from the column's pg_attrdef to the sequence).
-- pg_sequence_last_value needs SELECT or USAGE on the sequence (as pg_sequences does); without it
-- the value is unknown. Partitions are left out: their parent carries the column. $1: schemas to leave out.
with fed as (
  select c.oid as relid, c.relkind, a.attnum, a.attname, a.atttypid, s.oid as seqid, a.attidentity <> '' as is_identity
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    join lateral (
      select d.objid as oid from pg_catalog.pg_depend d
       where d.classid = 'pg_catalog.pg_class'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
         and d.refobjid = c.oid and d.refobjsubid = a.attnum and d.deptype = 'i'
      union
      select d.refobjid from pg_catalog.pg_attrdef ad
        join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_attrdef'::regclass and d.objid = ad.oid
                                   and d.refclassid = 'pg_catalog.pg_class'::regclass
        join pg_catalog.pg_class sc on sc.oid = d.refobjid and sc.relkind = 'S'
       where ad.adrelid = c.oid and ad.adnum = a.attnum
    ) s on true
   where c.relkind in ('r', 'p') and not c.relispartition
     and a.atttypid in ('pg_catalog.int2'::regtype, 'pg_catalog.int4'::regtype)
     and n.nspname <> all ($1::text[])
     and n.nspname !~ '^pg_(toast_)?temp_'
)
select tn.nspname as schema_name, t.relname as table_name, f.attname as column_name,
       format_type(f.atttypid, null) as column_type,
       case f.atttypid when 'pg_catalog.int2'::regtype then 32767 else 2147483647 end::float8 as type_max,
       case f.atttypid when 'pg_catalog.int2'::regtype then -32768 else -2147483648 end::float8 as type_min,
       sn.nspname as sequence_schema, sq.relname as sequence_name,
       format_type(ps.seqtypid, null) as sequence_type,
       ps.seqincrement::float8 as increment,
       f.is_identity,
       pg_catalog.has_sequence_privilege(f.seqid, 'SELECT,USAGE') as readable,
       case when pg_catalog.has_sequence_privilege(f.seqid, 'SELECT,USAGE') then pg_catalog.pg_sequence_last_value(f.seqid) end::float8 as last_value,
       (select coalesce(sum(st.n_tup_ins), 0) from pg_catalog.pg_stat_all_tables st
         where st.relid in (select p.relid from pg_catalog.pg_partition_tree(f.relid) p where p.isleaf union select f.relid))::float8 as n_tup_ins,
       coalesce((select d.stats_reset from pg_catalog.pg_stat_database d where d.datname = current_database()), pg_catalog.pg_postmaster_start_time()) as counted_since,
       (select d.stats_reset is not null from pg_catalog.pg_stat_database d where d.datname = current_database()) as since_stats_reset,
       extract(epoch from now() - coalesce((select d.stats_reset from pg_catalog.pg_stat_database d where d.datname = current_database()), pg_catalog.pg_postmaster_start_time()))::float8 as counted_seconds,
       coalesce((select json_agg(json_build_object('schema', ln.nspname, 'name', lc.relname))
                   from pg_catalog.pg_partition_tree(f.relid) p
                   join pg_catalog.pg_class lc on lc.oid = p.relid
                   join pg_catalog.pg_namespace ln on ln.oid = lc.relnamespace), '[]'::json) as tree,
       coalesce((select json_agg(json_build_object(
                          'constraint', k.conname, 'schema', rn.nspname, 'table', r.relname,
                          'column', ra.attname, 'type', format_type(ra.atttypid, ra.atttypmod)) order by rn.nspname, r.relname, k.conname)
                   from pg_catalog.pg_constraint k
                   join pg_catalog.pg_class r on r.oid = k.conrelid
                   join pg_catalog.pg_namespace rn on rn.oid = r.relnamespace
                   join lateral unnest(k.confkey, k.conkey) as m(referenced, referencing) on m.referenced = f.attnum
                   join pg_catalog.pg_attribute ra on ra.attrelid = k.conrelid and ra.attnum = m.referencing
                  -- conparentid = 0: a partitioned referencing table's constraint once, not each partition's copy.
                  where k.contype = 'f' and k.confrelid = f.relid and k.conparentid = 0), '[]'::json) as referenced_by
  from fed f
  join pg_catalog.pg_class t on t.oid = f.relid
  join pg_catalog.pg_namespace tn on tn.oid = t.relnamespace
  join pg_catalog.pg_class sq on sq.oid = f.seqid
  join pg_catalog.pg_namespace sn on sn.oid = sq.relnamespace
  join pg_catalog.pg_sequence ps on ps.seqrelid = f.seqid
 order by tn.nspname, t.relname, f.attnum
