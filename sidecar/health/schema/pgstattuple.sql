-- Whether pgstattuple_approx can be called without an error: the extension is created here and
-- this role may execute the function (by default only superusers and pg_stat_scan_tables).
select n.nspname as schema_name,
       pg_catalog.has_function_privilege(format('%I.pgstattuple_approx(regclass)', n.nspname), 'EXECUTE') as allowed
  from pg_catalog.pg_extension e
  join pg_catalog.pg_namespace n on n.oid = e.extnamespace
 where e.extname = 'pgstattuple'
