import { z } from 'zod';
import { quoteIdent } from '../../plv8/engine/quote-ident.ts';

/** The raw row of facts.sql, validated as it enters. */
export const DoctorFacts = z.object({
  server_version: z.string(),
  server_version_num: z.number(),
  database: z.string(),
  user_name: z.string(),
  is_superuser: z.boolean(),
  bypasses_rls: z.boolean(),
  reads_all_stats: z.boolean(),
  can_create_schema: z.boolean(),
  has_optischema_schema: z.boolean(),
  shared_preload_libraries: z.string(),
  pg_stat_statements_track: z.string().nullable(),
  track_io_timing: z.string(),
  extensions: z.array(z.object({ name: z.string(), installed_version: z.string().nullable() })),
});
export type DoctorFacts = z.infer<typeof DoctorFacts>;

/**
 * - ok: in place.
 * - fail: OptiSchema cannot work until it is fixed.
 * - warn: OptiSchema works, with less (a fix is given).
 * - info: optional, nothing to do.
 */
export type CheckStatus = 'ok' | 'fail' | 'warn' | 'info';

export interface Check {
  id: string;
  status: CheckStatus;
  message: string;
  /** What to run or change, when something should change. */
  fix?: string;
}

export interface ExtensionState {
  name: string;
  /** OptiSchema cannot work without it (the others add features). */
  required: boolean;
  available: boolean;
  installed: boolean;
  /** Only for libraries that must be preloaded (pg_stat_statements, pg_qualstats). */
  preloaded?: boolean;
}

/** 15: the API's views need security_invoker (and PostgreSQL 14 reached end of life in November 2026). */
export const MIN_MAJOR = 15;
export const MAX_MAJOR = 17;

/**
 * Turns the facts of one database into checks, in the order a person should fix them. A `target`
 * (a database OptiSchema only monitors) is not asked for the schema or row-level-security rights
 * of OptiSchema's own database.
 */
export function evaluate(facts: DoctorFacts, options: { target?: boolean } = {}): Check[] {
  const major = Math.floor(facts.server_version_num / 10_000);
  const preload = preloadList(facts.shared_preload_libraries);
  const ext = (name: string) => facts.extensions.find((e) => e.name === name);
  const packageFor = (suffix: string) => `postgresql-${major}-${suffix}`;
  const preloadFix = (library: string) =>
    `ALTER SYSTEM SET shared_preload_libraries = '${[...preload, library].join(',')}'; then restart PostgreSQL`;
  const checks: Check[] = [];

  if (major < MIN_MAJOR) {
    checks.push({ id: 'version', status: 'fail', message: `PostgreSQL ${facts.server_version} is too old (supported: ${MIN_MAJOR} to ${MAX_MAJOR})`, fix: `upgrade to PostgreSQL ${MAX_MAJOR}` });
  } else if (major > MAX_MAJOR) {
    checks.push({ id: 'version', status: 'warn', message: `PostgreSQL ${facts.server_version} is newer than OptiSchema is tested on (${MIN_MAJOR} to ${MAX_MAJOR})` });
  } else {
    checks.push({ id: 'version', status: 'ok', message: `PostgreSQL ${facts.server_version} (supported: ${MIN_MAJOR} to ${MAX_MAJOR})` });
  }

  const pgss = ext('pg_stat_statements');
  if (!pgss) {
    checks.push({ id: 'pg_stat_statements', status: 'fail', message: 'pg_stat_statements is not installed on the server', fix: `install PostgreSQL's contrib modules (Debian/Ubuntu: postgresql-${major}; RHEL: postgresql${major}-contrib), then preload it` });
  } else if (!preload.includes('pg_stat_statements')) {
    checks.push({ id: 'pg_stat_statements', status: 'fail', message: 'pg_stat_statements is not in shared_preload_libraries, so no query statistics are collected', fix: preloadFix('pg_stat_statements') });
  } else if (!pgss.installed_version) {
    checks.push({ id: 'pg_stat_statements', status: 'warn', message: `pg_stat_statements is preloaded but not created in database ${facts.database}`, fix: 'CREATE EXTENSION pg_stat_statements; (optischema migrate does it when allowed)' });
  } else {
    checks.push({ id: 'pg_stat_statements', status: 'ok', message: `pg_stat_statements ${pgss.installed_version} preloaded and created` });
  }

  const track = facts.pg_stat_statements_track;
  if (track !== null && track !== 'all') {
    checks.push({ id: 'pg_stat_statements.track', status: track === 'none' ? 'fail' : 'warn', message: `pg_stat_statements.track is '${track}': statements run inside functions are not seen`, fix: "ALTER SYSTEM SET pg_stat_statements.track = 'all'; SELECT pg_reload_conf();" });
  }

  const hypopg = ext('hypopg');
  if (!hypopg) {
    checks.push({ id: 'hypopg', status: 'fail', message: 'hypopg is not installed on the server; the index advisor needs it for what-if indexes', fix: `install ${packageFor('hypopg')} (Debian/Ubuntu), then CREATE EXTENSION hypopg;` });
  } else if (!hypopg.installed_version) {
    checks.push({ id: 'hypopg', status: 'warn', message: `hypopg is available but not created in database ${facts.database}`, fix: 'CREATE EXTENSION hypopg; (optischema migrate does it when allowed)' });
  } else {
    checks.push({ id: 'hypopg', status: 'ok', message: `hypopg ${hypopg.installed_version} created` });
  }

  const qualstats = ext('pg_qualstats');
  if (!qualstats) {
    checks.push({ id: 'pg_qualstats', status: 'info', message: 'pg_qualstats is not installed (optional: real predicate values for the advisor)', fix: `install ${packageFor('pg-qualstats')} and add it to shared_preload_libraries` });
  } else if (!preload.includes('pg_qualstats')) {
    checks.push({ id: 'pg_qualstats', status: 'warn', message: 'pg_qualstats is installed but not in shared_preload_libraries', fix: preloadFix('pg_qualstats') });
  } else if (!qualstats.installed_version) {
    checks.push({ id: 'pg_qualstats', status: 'warn', message: `pg_qualstats is preloaded but not created in database ${facts.database}`, fix: 'CREATE EXTENSION pg_qualstats; (optischema migrate does it when allowed)' });
  } else {
    checks.push({ id: 'pg_qualstats', status: 'ok', message: `pg_qualstats ${qualstats.installed_version} preloaded and created` });
  }

  const plv8 = ext('plv8');
  checks.push(
    plv8
      ? { id: 'plv8', status: 'ok', message: 'plv8 is available: the advisor can also run inside PostgreSQL' }
      : { id: 'plv8', status: 'info', message: 'plv8 is not available (optional: the advisor runs in the sidecar)' },
  );

  if (facts.is_superuser || facts.reads_all_stats) {
    checks.push({ id: 'privileges.stats', status: 'ok', message: `${facts.user_name} can read every session's statistics and query texts` });
  } else {
    checks.push({ id: 'privileges.stats', status: 'warn', message: `${facts.user_name} sees only its own query texts in pg_stat_statements`, fix: `GRANT pg_monitor TO ${quoteIdent(facts.user_name)}; (or pg_read_all_stats alone)` });
  }
  if (options.target) {
    if (facts.track_io_timing !== 'on') checks.push(trackIoTiming);
    return checks;
  }
  if (facts.has_optischema_schema || facts.can_create_schema) {
    checks.push({ id: 'privileges.schema', status: 'ok', message: facts.has_optischema_schema ? 'the optischema schema is installed' : `${facts.user_name} can create the optischema schema` });
  } else {
    checks.push({ id: 'privileges.schema', status: 'fail', message: `${facts.user_name} cannot create the optischema schema in ${facts.database}`, fix: `GRANT CREATE ON DATABASE ${quoteIdent(facts.database)} TO ${quoteIdent(facts.user_name)};` });
  }

  // The sidecar's own connection writes across tenants (audit log, sign-in bookkeeping); tenant
  // tables FORCE row-level security, so that connection must bypass it. API requests never do.
  if (facts.is_superuser || facts.bypasses_rls) {
    checks.push({ id: 'privileges.rls', status: 'ok', message: `${facts.user_name} can maintain every tenant's rows (bypasses row-level security)` });
  } else {
    checks.push({ id: 'privileges.rls', status: 'fail', message: `${facts.user_name} is subject to row-level security, so the sidecar cannot keep the audit log or tenants`, fix: `ALTER ROLE ${quoteIdent(facts.user_name)} BYPASSRLS; (as a superuser)` });
  }

  if (facts.track_io_timing !== 'on') checks.push(trackIoTiming);
  return checks;
}

const trackIoTiming: Check = {
  id: 'track_io_timing',
  status: 'warn',
  message: 'track_io_timing is off: statistics carry no I/O time',
  fix: 'ALTER SYSTEM SET track_io_timing = on; SELECT pg_reload_conf();',
};

/** What the start page and the CLI show for each extension OptiSchema uses. */
export function extensionStates(facts: DoctorFacts): ExtensionState[] {
  const preload = preloadList(facts.shared_preload_libraries);
  return ['pg_stat_statements', 'hypopg', 'pg_qualstats', 'plv8'].map((name) => {
    const ext = facts.extensions.find((e) => e.name === name);
    const required = name === 'pg_stat_statements' || name === 'hypopg';
    const state: ExtensionState = { name, required, available: Boolean(ext), installed: Boolean(ext?.installed_version) };
    if (name === 'pg_stat_statements' || name === 'pg_qualstats') state.preloaded = preload.includes(name);
    return state;
  });
}

function preloadList(setting: string): string[] {
  return setting
    .split(',')
    .map((item) => item.trim().replace(/^"|"$/g, ''))
    .filter(Boolean);
}
