-- The facts the model is given about tables, one row per table that resolves.
--   $1 text[]   names as SQL writes them ("Sales"."Order Items", orders), resolved with to_regclass
--               under the session's search_path; the first occurrence of a table decides its place
--   $2 text[]   the columns whose statistics are wanted; null: every column
--   $3 boolean  whether values may be read: most_common_vals and histogram_bounds stay in the
--               database unless it is true (the CASE is decided before any value is touched)
-- Everything is ordered (columns by position, indexes by name in "C" collation, statistics by
-- column position) so the same catalog gives the same text.
with named as (
  select min(w.ord) as ord, to_regclass(w.name) as oid
  from unnest($1::text[]) with ordinality as w(name, ord)
  group by 2
)
select
  named.ord,
  n.nspname as schema,
  c.relname as name,
  c.relkind::text as kind,
  -- reltuples is -1 for a table never vacuumed or analyzed (PostgreSQL 14+): unknown, not empty.
  case when c.reltuples >= 0 then c.reltuples::float8 end as rows_estimate,
  pg_total_relation_size(c.oid)::float8 as total_bytes,
  pg_relation_size(c.oid)::float8 as heap_bytes,
  (select coalesce(jsonb_agg(jsonb_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'notNull', a.attnotnull) order by a.attnum), '[]')
     from pg_attribute a
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
  (select coalesce(jsonb_agg(jsonb_build_object('name', ic.relname, 'definition', pg_get_indexdef(i.indexrelid), 'valid', i.indisvalid) order by ic.relname collate "C"), '[]')
     from pg_index i join pg_class ic on ic.oid = i.indexrelid
    where i.indrelid = c.oid) as indexes,
  (select coalesce(jsonb_agg(st.facts order by st.attnum), '[]')
     from (
       -- An inheritance parent has two rows per column (with and without its children): the
       -- whole tree's, which the planner uses for the parent, comes first.
       select distinct on (a.attnum) a.attnum, jsonb_build_object(
                'column', s.attname,
                'nullFrac', s.null_frac,
                'nDistinct', s.n_distinct,
                'correlation', s.correlation,
                'mostCommonFreqs', to_jsonb(s.most_common_freqs[1:10]),
                'mostCommonVals', case when $3 then (
                    select jsonb_agg(left(v, 80) order by k) from unnest((s.most_common_vals::text::text[])[1:10]) with ordinality as m(v, k)) end,
                -- Eleven of the (up to 101) bounds, evenly spaced, first and last included.
                'histogramBounds', case when $3 then (
                    select jsonb_agg(left(v, 80) order by k)
                      from unnest(s.histogram_bounds::text::text[]) with ordinality as h(v, k)
                     where (k - 1) % greatest(1, ceil((cardinality(s.histogram_bounds::text::text[]) - 1) / 10.0)::int) = 0
                        or k = cardinality(s.histogram_bounds::text::text[])) end) as facts
         from pg_stats s join pg_attribute a on a.attrelid = c.oid and a.attname = s.attname
        where s.schemaname = n.nspname and s.tablename = c.relname
          and ($2::text[] is null or s.attname = any ($2::text[]))
        order by a.attnum, s.inherited desc
     ) st) as statistics
from named
join pg_class c on c.oid = named.oid
join pg_namespace n on n.oid = c.relnamespace
-- Tables, partitioned tables, views, materialized views, foreign tables: what a statement reads.
where c.relkind in ('r', 'p', 'v', 'm', 'f')
order by named.ord
