-- Tables without a primary key (ordinary and partitioned ones; a partition follows its parent),
-- each with the unique indexes that ADD CONSTRAINT … PRIMARY KEY USING INDEX accepts: valid, b-tree,
-- not partial, no expressions or INCLUDE columns, default sort order (indoption 0), key columns all
-- NOT NULL, and not already a constraint's index. $1: schemas to leave out.
select n.nspname as schema_name,
       c.relname as table_name,
       c.relkind::text as relkind,
       c.reltuples::float8 as reltuples,
       -- The constraint name PostgreSQL would choose, unless a relation of that name exists already.
       exists (select 1 from pg_catalog.pg_class o
                where o.relnamespace = c.relnamespace and o.relname = left(c.relname || '_pkey', 63)) as pkey_name_taken,
       coalesce((
         select json_agg(json_build_object(
                  'name', i.relname,
                  'definition', pg_catalog.pg_get_indexdef(x.indexrelid),
                  'columns', (select json_agg(a.attname order by k.ord)
                                from unnest(x.indkey::int2[]) with ordinality k(attnum, ord)
                                join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum))
                order by x.indnatts, i.relname)
           from pg_catalog.pg_index x
           join pg_catalog.pg_class i on i.oid = x.indexrelid
           join pg_catalog.pg_am am on am.oid = i.relam
          where x.indrelid = c.oid and x.indisunique and x.indisvalid and x.indisready
            and am.amname = 'btree' and x.indpred is null and x.indexprs is null
            and x.indnkeyatts = x.indnatts
            and 0 = all (x.indoption::int2[])
            and not exists (select 1 from pg_catalog.pg_constraint k where k.conindid = x.indexrelid)
            and not exists (select 1 from unnest(x.indkey::int2[]) k(attnum)
                              join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
                             where not a.attnotnull)
       ), '[]'::json) as promotable_indexes
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
 where c.relkind in ('r', 'p')
   and not c.relispartition
   and c.relpersistence <> 't'
   and n.nspname <> all ($1::text[])
   and n.nspname !~ '^pg_(toast_)?temp_'
   and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
   and not exists (select 1 from pg_catalog.pg_constraint k where k.conrelid = c.oid and k.contype = 'p')
 order by n.nspname, c.relname
