/**
 * The SQL that changes one server setting and the SQL that puts it back, from its pg_settings row.
 *
 *  - sighup, user, superuser (and the backend contexts, for new sessions): ALTER SYSTEM then
 *    pg_reload_conf(), in effect at once;
 *  - postmaster: ALTER SYSTEM, then a restart of PostgreSQL (said as a comment; needsRestart).
 * The rollback sets the value in force now, with its unit; a value that was PostgreSQL's default
 * (source = 'default') is RESET instead, so no stale line stays in postgresql.auto.conf.
 */
import { settingLiteral } from './setting-units.ts';

/** One row of pg_settings, as settings.sql and the pooling facts read it. */
export interface SettingRow {
  name: string;
  setting: string;
  unit: string | null;
  context: string;
  boot_val: string | null;
  reset_val: string | null;
  source: string;
  pending_restart: boolean;
}

export interface SettingChange {
  sql: string;
  rollbackSql: string;
  needsRestart: boolean;
  /** The value in force now, as ALTER SYSTEM would write it ('128MB'). */
  current: string;
}

const RELOADABLE = new Set(['sighup', 'user', 'superuser', 'backend', 'superuser-backend']);
export const RESTART_COMMENT = '-- takes effect after a restart of PostgreSQL';

/**
 * @example
 *   settingChange({ name: 'work_mem', setting: '4096', unit: 'kB', context: 'user', source: 'default', … }, '32MB')
 *   // sql: "ALTER SYSTEM SET work_mem = '32MB';\nSELECT pg_reload_conf();"
 *   // rollbackSql: "ALTER SYSTEM RESET work_mem;\nSELECT pg_reload_conf();"
 */
export function settingChange(row: SettingRow, value: string): SettingChange {
  // Setting names are plain lower-case words (pg_settings); a string literal doubles its quotes.
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const current = settingLiteral(row.setting, row.unit);
  const needsRestart = !RELOADABLE.has(row.context);
  const apply = needsRestart ? RESTART_COMMENT : 'SELECT pg_reload_conf();';
  return {
    sql: `ALTER SYSTEM SET ${row.name} = ${literal(value)};\n${apply}`,
    rollbackSql: `${row.source === 'default' ? `ALTER SYSTEM RESET ${row.name};` : `ALTER SYSTEM SET ${row.name} = ${literal(current)};`}\n${apply}`,
    needsRestart,
    current,
  };
}
