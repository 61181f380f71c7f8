/**
 * pg_settings values with their units, in and out. pg_settings gives a memory setting as a number
 * of its unit (`shared_buffers` = 16384 of '8kB', `work_mem` = 4096 of 'kB', `wal_buffers` = 512
 * of '8kB'); a time setting likewise ('ms', 's', 'min'). Everything here works in bytes and
 * milliseconds, and writes values back in units ALTER SYSTEM accepts ('4GB', '64MB', '38836kB').
 */

const MEMORY_UNITS: Record<string, number> = { B: 1, kB: 1024, '8kB': 8192, '16kB': 16_384, '32kB': 32_768, MB: 1024 ** 2, '16MB': 16 * 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };
const TIME_UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Bytes of a memory setting as pg_settings shows it, or null when it is not memory or is a
 * "use another setting" marker (-1, e.g. autovacuum_work_mem).
 *
 * @example settingBytes('16384', '8kB') === 134_217_728; settingBytes('-1', 'kB') === null
 */
export function settingBytes(setting: string, unit: string | null): number | null {
  const size = unit === null ? undefined : MEMORY_UNITS[unit];
  const n = Number(setting);
  if (size === undefined || !Number.isFinite(n) || n < 0) return null;
  return n * size;
}

/** Milliseconds of a time setting (0 is "off" for timeouts), or null when it is not a time. */
export function settingMs(setting: string, unit: string | null): number | null {
  const size = unit === null ? undefined : TIME_UNITS[unit];
  const n = Number(setting);
  if (size === undefined || !Number.isFinite(n)) return null;
  return n * size;
}

/**
 * A byte count as a value PostgreSQL accepts, in the largest unit that divides it exactly (kB at
 * least: memory settings have no smaller unit). Rounds down to whole kB.
 *
 * @example formatBytes(4 * 1024 ** 3) === '4GB'; formatBytes(39_768_064) === '38836kB'
 */
export function formatBytes(bytes: number): string {
  const kb = Math.max(0, Math.floor(bytes / 1024));
  if (kb > 0 && kb % 1024 ** 2 === 0) return `${kb / 1024 ** 2}GB`;
  if (kb > 0 && kb % 1024 === 0) return `${kb / 1024}MB`;
  return `${kb}kB`;
}

/** A duration as PostgreSQL accepts it ('5min', '30s', '250ms'). */
export function formatMs(ms: number): string {
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}min`;
  if (ms > 0 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${Math.round(ms)}ms`;
}

/**
 * The current value of a setting as ALTER SYSTEM would take it back: memory and time with a unit
 * ('128MB', '0'), anything else as pg_settings prints it.
 */
export function settingLiteral(setting: string, unit: string | null): string {
  const bytes = settingBytes(setting, unit);
  if (bytes !== null) return formatBytes(bytes);
  const ms = settingMs(setting, unit);
  if (ms !== null) return ms === 0 ? '0' : formatMs(ms);
  return setting;
}

/** Bytes for people: '4.0 GB', '38 MB', '512 kB'. */
export function humanBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MB`;
  return `${Math.round(bytes / 1024)} kB`;
}
