-- Whether pg_stat_statements can be read without an error (which would abort the runner's
-- transaction): the extension is created, its library is loaded (its settings exist only then),
-- and this role may select from its view.
select n.nspname as schema_name,
       current_setting('pg_stat_statements.max', true) is not null as loaded,
       pg_catalog.has_table_privilege(format('%I.pg_stat_statements', n.nspname), 'SELECT') as readable
  from pg_catalog.pg_extension e
  join pg_catalog.pg_namespace n on n.oid = e.extnamespace
 where e.extname = 'pg_stat_statements'
