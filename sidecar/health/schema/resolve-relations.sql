-- Relation names as statements spell them, resolved under this session's search_path, each to the
-- root of its partition tree (a statement naming a partition reads the partitioned table).
-- $1: the names as SQL text. A name that resolves to nothing (a CTE, a dropped table) gets no row.
select r.name, coalesce(pg_catalog.pg_partition_root(r.oid), r.oid)::bigint as oid
  from (select name, pg_catalog.to_regclass(name)::oid as oid from unnest($1::text[]) name) r
 where r.oid is not null
