-- What planning other people's statements needs on this database (docs/security.md), readable by
-- any role. $1: the analysis role's name. `authors`: the roles whose statements pg_stat_statements
-- holds for this database, read by analysis-facts.ts only when the view exists.
select
  pg_catalog.has_database_privilege(current_database(), 'TEMP') as can_temp,
  pg_catalog.pg_has_role(current_user, 'pg_monitor', 'MEMBER') as is_monitor,
  exists (select from pg_catalog.pg_roles where rolname = $1) as analysis_exists,
  coalesce((select pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER') from pg_catalog.pg_roles r where r.rolname = $1), false) as analysis_becomable,
  coalesce((select pg_catalog.pg_has_role(r.oid, 'pg_read_all_data', 'USAGE') and not r.rolsuper and not r.rolcanlogin
              from pg_catalog.pg_roles r where r.rolname = $1), false) as analysis_shaped,
  (select n.nspname from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace
    where e.extname = 'pg_stat_statements') as pg_stat_statements_schema
