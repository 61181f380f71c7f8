/**
 * Rule memory_setting: each of PgTune's memory settings compared with the value in force
 * (pg_settings, one look now). Flagged only outside a tolerance band around PgTune's figure,
 * which is a starting point, not an optimum.
 */
import type { Finding } from '../finding.ts';
import { pgtune, type PgTuneValues, type WorkloadType } from './pgtune.ts';
import { settingChange, type SettingRow } from './setting-change.ts';
import { formatBytes, humanBytes, settingBytes } from './setting-units.ts';

/**
 * Below half or above twice PgTune's figure. A factor of two is where a value stops being a
 * matter of taste: postgresqltuner warns at shared_buffers > 40 % of RAM (1.6 × PgTune's 25 %),
 * and PgTune's own figures for web and mixed loads differ by two for work_mem.
 */
export const TOLERANCE = { low: 0.5, high: 2 };

export interface MemoryOptions {
  workload: WorkloadType;
  tolerance: { low: number; high: number };
}

const FORMULAS: Record<keyof PgTuneValues, string> = {
  shared_buffers: 'RAM / 4',
  effective_cache_size: 'RAM × 3/4',
  maintenance_work_mem: 'RAM / 16, at most 2 GB (RAM / 8 for a warehouse)',
  wal_buffers: '3 % of the recommended shared_buffers, at most 16 MB',
  work_mem: '(RAM − shared_buffers) / ((max_connections + max_worker_processes) × 3), halved for mixed and warehouse loads, at least 4 MB',
};

const WHY: Record<keyof PgTuneValues, string> = {
  shared_buffers: 'PostgreSQL\'s own page cache; the operating system caches the rest',
  effective_cache_size: 'the planner\'s estimate of cached data, which allocates nothing; too low makes index scans look expensive',
  maintenance_work_mem: 'memory for VACUUM, CREATE INDEX and ALTER TABLE ADD FOREIGN KEY',
  wal_buffers: 'WAL held in memory before it is written',
  work_mem: 'memory per sort or hash before it spills to disk, per operation of each query',
};

/** `byName`: pg_settings rows by name (shared_buffers… and max_connections, max_worker_processes). */
export function memorySettingFindings(byName: ReadonlyMap<string, SettingRow>, memoryBytes: number, options: MemoryOptions): Finding[] {
  const connections = Number(byName.get('max_connections')?.setting ?? 100);
  const workers = Number(byName.get('max_worker_processes')?.setting ?? 8);
  const recommended = pgtune({ memoryBytes, maxConnections: connections, maxWorkerProcesses: workers, workload: options.workload });
  const findings: Finding[] = [];
  for (const name of Object.keys(FORMULAS) as (keyof PgTuneValues)[]) {
    const row = byName.get(name);
    const current = row ? settingBytes(row.setting, row.unit) : null;
    if (!row || current === null) continue;
    const target = recommended[name];
    const ratio = current / target;
    if (ratio >= options.tolerance.low && ratio <= options.tolerance.high) continue;
    const value = formatBytes(target);
    const change = settingChange(row, value);
    const direction = ratio < options.tolerance.low ? 'below half' : `above ${options.tolerance.high} ×`;
    findings.push({
      kind: 'setting',
      rule: 'memory_setting',
      subject: name,
      title: `${name} is ${humanBytes(current)}; PgTune suggests ${humanBytes(target)} for ${humanBytes(memoryBytes)} of RAM`,
      rationale:
        `${name} (${WHY[name]}) is ${humanBytes(current)} now (pg_settings, source: ${row.source}), ${direction} of PgTune's ${humanBytes(target)} ` +
        `for a ${options.workload} load with ${humanBytes(memoryBytes)} of RAM (as given), ${connections} max_connections and ${workers} max_worker_processes: ${FORMULAS[name]}.` +
        (change.needsRestart ? ' The change takes effect only after a restart of PostgreSQL.' : ''),
      sql: change.sql,
      rollbackSql: change.rollbackSql,
      risk: change.needsRestart || name === 'work_mem' ? 'medium' : 'low',
      needsRestart: change.needsRestart,
      evidence: {
        setting: name,
        current: change.current,
        currentBytes: current,
        recommended: value,
        recommendedBytes: target,
        ratio: Math.round(ratio * 100) / 100,
        tolerance: options.tolerance,
        formula: `PgTune: ${FORMULAS[name]}`,
        workload: options.workload,
        memoryBytes,
        maxConnections: connections,
        maxWorkerProcesses: workers,
        source: 'pg_settings, one look now; RAM as given to the advisor',
        settingSource: row.source,
        pendingRestart: row.pending_restart,
      },
    });
  }
  return findings;
}
