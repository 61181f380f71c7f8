-- Everything the index hygiene advisor judges, in one round trip, from the catalog and the
-- statistics views only (no user table's rows are read).
--
-- user_index: every index of a user table (ordinary or partitioned), system schemas and
-- OptiSchema's own left out. Schemas named pg_* are reserved for the system (pg_catalog, pg_toast,
-- pg_temp_N, pg_toast_temp_N), so one pattern covers them.
--
-- Per key column, pg_get_indexdef(index, k, true) prints the column or expression only (no operator
-- class, collation or ordering): those come from indclass, indcollation and indoption, whose
-- subscripts start at 0 (oidvector, int2vector).
--
-- A partitioned index has no storage and no scans of its own: its scans and size are the sums over
-- the tree of indexes attached below it (pg_partition_tree), and its table's writes the sums over
-- the partitions. pg_partition_tree returns nothing for a relation outside any partition tree,
-- hence `select x union pg_partition_tree(x)`: the relation itself and whatever lies below it.
with user_index as (
  select i.indexrelid, i.indrelid, i.indnkeyatts, i.indnatts, i.indkey, i.indclass, i.indcollation, i.indoption,
         i.indpred, i.indisunique, i.indisprimary, i.indisvalid, i.indnullsnotdistinct,
         n.nspname as schema_name, tc.relname as table_name, ic.relname as index_name, ic.relkind as index_kind, am.amname
  from pg_catalog.pg_index i
  join pg_catalog.pg_class ic on ic.oid = i.indexrelid
  join pg_catalog.pg_class tc on tc.oid = i.indrelid
  join pg_catalog.pg_namespace n on n.oid = tc.relnamespace
  join pg_catalog.pg_am am on am.oid = ic.relam
  where tc.relkind in ('r', 'p')
    and n.nspname !~ '^pg_'
    and n.nspname not in ('information_schema', 'optischema', 'optischema_api', 'graphile_worker')
),
user_fk as (
  select c.oid, c.conname, c.conrelid, c.confrelid, c.conkey, n.nspname as schema_name, t.relname as table_name, t.relkind as table_kind,
         pn.nspname as parent_schema, p.relname as parent_table
  from pg_catalog.pg_constraint c
  join pg_catalog.pg_class t on t.oid = c.conrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  join pg_catalog.pg_class p on p.oid = c.confrelid
  join pg_catalog.pg_namespace pn on pn.oid = p.relnamespace
  -- conparentid <> 0: the copy PostgreSQL keeps on each partition of a partitioned table's key
  -- (or for each partition of a partitioned referenced table): the key is judged once, at its top.
  where c.contype = 'f' and c.conparentid = 0
    and n.nspname !~ '^pg_'
    and n.nspname not in ('information_schema', 'optischema', 'optischema_api', 'graphile_worker')
)
select
  (select d.stats_reset from pg_catalog.pg_stat_database d where d.datname = current_database()) as stats_reset,
  coalesce((
    select json_agg(json_build_object(
      'schema', ui.schema_name,
      'table', ui.table_name,
      'index', ui.index_name,
      'am', ui.amname,
      'partitioned', ui.index_kind = 'I',
      'keys', (select json_agg(pg_catalog.pg_get_indexdef(ui.indexrelid, k, true) order by k) from generate_series(1, ui.indnkeyatts) k),
      -- 0 for an expression.
      'key_attnums', (select json_agg(ui.indkey[k - 1] order by k) from generate_series(1, ui.indnkeyatts) k),
      'opclasses', (select json_agg(ui.indclass[k - 1]::text order by k) from generate_series(1, ui.indnkeyatts) k),
      'collations', (select json_agg(ui.indcollation[k - 1]::text order by k) from generate_series(1, ui.indnkeyatts) k),
      'options', (select json_agg(ui.indoption[k - 1] order by k) from generate_series(1, ui.indnkeyatts) k),
      'include', coalesce((select json_agg(pg_catalog.pg_get_indexdef(ui.indexrelid, k, true) order by k) from generate_series(ui.indnkeyatts + 1, ui.indnatts) k), '[]'::json),
      'predicate', pg_catalog.pg_get_expr(ui.indpred, ui.indrelid, true),
      'unique', ui.indisunique,
      'primary', ui.indisprimary,
      'valid', ui.indisvalid,
      'nulls_not_distinct', ui.indnullsnotdistinct,
      'constraint_type', (select c.contype from pg_catalog.pg_constraint c
                          where c.conindid = ui.indexrelid and c.conrelid = ui.indrelid and c.contype in ('p', 'u', 'x') limit 1),
      'parent_index', (select format('%s.%s', pn.nspname, pc.relname) from pg_catalog.pg_inherits h
                       join pg_catalog.pg_class pc on pc.oid = h.inhparent
                       join pg_catalog.pg_namespace pn on pn.oid = pc.relnamespace
                       where h.inhrelid = ui.indexrelid limit 1),
      'scans', (select coalesce(sum(s.idx_scan), 0) from (select ui.indexrelid::regclass as relid union select p.relid from pg_catalog.pg_partition_tree(ui.indexrelid) p) t
                join pg_catalog.pg_stat_user_indexes s on s.indexrelid = t.relid),
      'bytes', (select coalesce(sum(pg_catalog.pg_relation_size(t.relid)), 0) from (select ui.indexrelid::regclass as relid union select p.relid from pg_catalog.pg_partition_tree(ui.indexrelid) p) t),
      'table_writes', (select coalesce(sum(s.n_tup_ins + s.n_tup_upd + s.n_tup_del), 0) from (select ui.indrelid::regclass as relid union select p.relid from pg_catalog.pg_partition_tree(ui.indrelid) p) t
                       join pg_catalog.pg_stat_user_tables s on s.relid = t.relid),
      'definition', pg_catalog.pg_get_indexdef(ui.indexrelid)
    ) order by ui.schema_name, ui.table_name, ui.index_name)
    from user_index ui
  ), '[]'::json) as indexes,
  coalesce((
    select json_agg(json_build_object(
      'name', f.conname,
      'schema', f.schema_name,
      'table', f.table_name,
      'partitioned', f.table_kind = 'p',
      'columns', (select json_agg(a.attname order by k.ord) from unnest(f.conkey) with ordinality k(attnum, ord)
                  join pg_catalog.pg_attribute a on a.attrelid = f.conrelid and a.attnum = k.attnum),
      'attnums', to_json(f.conkey),
      'parent_schema', f.parent_schema,
      'parent_table', f.parent_table,
      'parent_deletes', (select coalesce(sum(s.n_tup_del), 0) from (select f.confrelid::regclass as relid union select p.relid from pg_catalog.pg_partition_tree(f.confrelid) p) t
                         join pg_catalog.pg_stat_user_tables s on s.relid = t.relid),
      'parent_updates', (select coalesce(sum(s.n_tup_upd), 0) from (select f.confrelid::regclass as relid union select p.relid from pg_catalog.pg_partition_tree(f.confrelid) p) t
                         join pg_catalog.pg_stat_user_tables s on s.relid = t.relid)
    ) order by f.schema_name, f.table_name, f.conname)
    from user_fk f
  ), '[]'::json) as foreign_keys
