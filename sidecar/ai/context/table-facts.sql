-- One table's facts for the model ($1: the name as written, resolved with to_regclass; $2: the
-- columns the statement mentions, for their statistics; $3: whether values may be shown).
-- Sorted throughout, so the same catalog gives the same text.
with t as (select to_regclass($1) as oid)
select jsonb_build_object(
  'table', format('%I.%I', n.nspname, c.relname),
  'kind', case c.relkind when 'r' then 'table' when 'p' then 'partitioned table' when 'm' then 'materialized view' when 'v' then 'view' else c.relkind::text end,
  'rows', greatest(c.reltuples, 0)::bigint,
  'totalBytes', pg_total_relation_size(c.oid),
  'columns', (select coalesce(jsonb_agg(jsonb_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'notNull', a.attnotnull) order by a.attnum), '[]')
                from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped),
  'indexes', (select coalesce(jsonb_agg(pg_get_indexdef(i.indexrelid) || case when not i.indisvalid then ' -- INVALID' else '' end order by pg_get_indexdef(i.indexrelid)), '[]')
                from pg_index i where i.indrelid = c.oid),
  'statistics', (select coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                     'column', s.attname, 'nullFrac', round(s.null_frac::numeric, 4), 'nDistinct', s.n_distinct, 'correlation', round(s.correlation::numeric, 4),
                     'mostCommonFreqs', (select jsonb_agg(round(f::numeric, 4)) from unnest(s.most_common_freqs[1:10]) f),
                     'mostCommonVals', case when $3 then (s.most_common_vals::text::text[])[1:10] end,
                     'histogramBounds', case when $3 then (s.histogram_bounds::text::text[])[1:11] end)) order by s.attname), '[]')
                   from pg_stats s where s.schemaname = n.nspname and s.tablename = c.relname and s.attname = any ($2::text[]))
) as facts
from t join pg_class c on c.oid = t.oid join pg_namespace n on n.oid = c.relnamespace
