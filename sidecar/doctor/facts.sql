-- Everything the doctor needs, in one round trip, readable by any role (no superuser-only views).
-- current_setting(name, true) answers NULL for settings of libraries that are not loaded.
select
  current_setting('server_version') as server_version,
  current_setting('server_version_num')::int as server_version_num,
  current_database() as database,
  current_user as user_name,
  (select rolsuper from pg_roles where rolname = current_user) as is_superuser,
  (select rolbypassrls from pg_roles where rolname = current_user) as bypasses_rls,
  pg_has_role(current_user, 'pg_read_all_stats', 'member') as reads_all_stats,
  has_database_privilege(current_database(), 'CREATE') as can_create_schema,
  exists (select 1 from pg_namespace where nspname = 'optischema') as has_optischema_schema,
  current_setting('shared_preload_libraries') as shared_preload_libraries,
  current_setting('pg_stat_statements.track', true) as pg_stat_statements_track,
  current_setting('track_io_timing') as track_io_timing,
  coalesce((
    select json_agg(json_build_object('name', name, 'installed_version', installed_version) order by name)
    from pg_available_extensions
    where name in ('pg_stat_statements', 'hypopg', 'pg_qualstats', 'plv8')
  ), '[]'::json) as extensions
