-- The statements pg_stat_statements has seen in this database, most called first, for the
-- missing_fk_index rule's workload evidence. Only run after to_regclass('pg_stat_statements')
-- found the view; the text match over them happens in missing-fk-index.ts.
select s.query, s.calls
from pg_stat_statements s
where s.dbid = (select d.oid from pg_catalog.pg_database d where d.datname = current_database())
  and s.query is not null
order by s.calls desc
limit 5000
