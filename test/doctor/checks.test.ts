import { describe, expect, it } from 'vitest';
import { evaluate, extensionStates, type DoctorFacts } from '../../sidecar/doctor/checks.ts';

/** The facts of a well set-up PostgreSQL 15 database, as facts.sql returns them. */
const healthy: DoctorFacts = {
  server_version: '15.18',
  server_version_num: 150018,
  database: 'app',
  user_name: 'optischema',
  is_superuser: true,
  bypasses_rls: false,
  reads_all_stats: true,
  can_create_schema: true,
  has_optischema_schema: true,
  shared_preload_libraries: 'pg_stat_statements,pg_qualstats',
  pg_stat_statements_track: 'all',
  track_io_timing: 'on',
  extensions: [
    { name: 'hypopg', installed_version: '1.3.1' },
    { name: 'pg_qualstats', installed_version: '2.0.4' },
    { name: 'pg_stat_statements', installed_version: '1.10' },
  ],
};

const byId = (facts: DoctorFacts) => Object.fromEntries(evaluate(facts).map((check) => [check.id, check]));

describe('doctor checks', () => {
  it('passes a healthy database with plv8 as the only optional gap', () => {
    const checks = evaluate(healthy);
    expect(checks.filter((c) => c.status === 'fail' || c.status === 'warn')).toEqual([]);
    expect(byId(healthy).plv8?.status).toBe('info');
  });

  it('asks to preload pg_stat_statements, keeping the libraries already preloaded', () => {
    const check = byId({ ...healthy, shared_preload_libraries: 'auto_explain' }).pg_stat_statements;
    expect(check?.status).toBe('fail');
    expect(check?.fix).toBe("ALTER SYSTEM SET shared_preload_libraries = 'auto_explain,pg_stat_statements'; then restart PostgreSQL");
  });

  it('names the package for the server major when hypopg is missing', () => {
    const facts = { ...healthy, server_version: '16.4', server_version_num: 160004, extensions: healthy.extensions.filter((e) => e.name !== 'hypopg') };
    const check = byId(facts).hypopg;
    expect(check?.status).toBe('fail');
    expect(check?.fix).toContain('postgresql-16-hypopg');
  });

  it('fails unsupported versions and warns on untested new ones', () => {
    expect(byId({ ...healthy, server_version: '14.12', server_version_num: 140012 }).version?.status).toBe('fail');
    expect(byId({ ...healthy, server_version: '18.1', server_version_num: 180001 }).version?.status).toBe('warn');
  });

  it('gives GRANT lines with quoted names when privileges are missing', () => {
    const facts = { ...healthy, user_name: 'App User', database: 'shop', is_superuser: false, reads_all_stats: false, can_create_schema: false, has_optischema_schema: false };
    const checks = byId(facts);
    expect(checks['privileges.rls']?.fix).toBe('ALTER ROLE "App User" BYPASSRLS; (as a superuser)');
    expect(byId({ ...facts, bypasses_rls: true })['privileges.rls']?.status).toBe('ok');
    expect(checks['privileges.stats']?.fix).toBe('GRANT pg_monitor TO "App User"; (or pg_read_all_stats alone)');
    expect(checks['privileges.schema']?.status).toBe('fail');
    expect(checks['privileges.schema']?.fix).toBe('GRANT CREATE ON DATABASE shop TO "App User";');
  });

  it('warns about track settings that hide statements or I/O time', () => {
    const checks = byId({ ...healthy, pg_stat_statements_track: 'top', track_io_timing: 'off' });
    expect(checks['pg_stat_statements.track']?.status).toBe('warn');
    expect(checks.track_io_timing?.status).toBe('warn');
  });

  it('reports which extensions are available, created and preloaded', () => {
    const states = extensionStates({ ...healthy, shared_preload_libraries: '"pg_stat_statements"' });
    expect(states).toEqual([
      { name: 'pg_stat_statements', required: true, available: true, installed: true, preloaded: true },
      { name: 'hypopg', required: true, available: true, installed: true },
      { name: 'pg_qualstats', required: false, available: true, installed: true, preloaded: false },
      { name: 'plv8', required: false, available: false, installed: false },
    ]);
  });
});
