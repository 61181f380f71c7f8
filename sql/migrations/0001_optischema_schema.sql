-- OptiSchema's home in the database: everything it stores or exposes to psql lives in this schema.
create schema if not exists optischema;
comment on schema optischema is 'OptiSchema: PostgreSQL performance advisor (state, history and SQL API)';

-- The extensions OptiSchema reads from, created when the server has them and this role may create
-- them. A missing one is not an error here: `optischema doctor` reports it with the fix, and the
-- features that need it say so when used.
do $$
declare
  wanted text;
begin
  foreach wanted in array array['pg_stat_statements', 'hypopg', 'pg_qualstats'] loop
    if exists (select 1 from pg_available_extensions where name = wanted and installed_version is null) then
      begin
        execute format('create extension if not exists %I', wanted);
      exception when insufficient_privilege then
        raise notice 'OptiSchema: no privilege to create extension %; ask a superuser to run CREATE EXTENSION %', wanted, wanted;
      end;
    end if;
  end loop;
end
$$;
