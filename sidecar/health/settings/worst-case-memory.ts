/**
 * Rule worst_case_memory (postgresqltuner): the most memory the settings allow PostgreSQL to take,
 *   shared_buffers + max_connections × work_mem × 1.5 + autovacuum_max_workers × (autovacuum_work_mem, or maintenance_work_mem when it is -1),
 * compared with the server's RAM. Above WORST_CASE_SHARE the server can run out of memory under
 * load; the fix lowers work_mem until the sum fits (or, where even 1 MB does not fit, asks for
 * fewer connections: a pooler).
 */
import type { Finding } from '../finding.ts';
import { settingChange, type SettingRow } from './setting-change.ts';
import { formatBytes, humanBytes, settingBytes } from './setting-units.ts';

/** postgresqltuner: worst-case memory above 80 % of RAM leaves too little for the OS and its cache. */
export const WORST_CASE_SHARE = 0.8;
/** postgresqltuner's factor: a query may hold a little more than one work_mem per connection. */
export const WORK_MEM_FACTOR = 1.5;
/** Below 1 MB work_mem sorts spill constantly: then fewer connections are the fix, not less work_mem. */
const WORK_MEM_FLOOR = 1024 * 1024;

export function worstCaseMemoryFindings(byName: ReadonlyMap<string, SettingRow>, memoryBytes: number, share = WORST_CASE_SHARE): Finding[] {
  const bytes = (name: string) => {
    const row = byName.get(name);
    return row ? settingBytes(row.setting, row.unit) : null;
  };
  const sharedBuffers = bytes('shared_buffers');
  const workMemRow = byName.get('work_mem');
  const workMem = bytes('work_mem');
  const maintenance = bytes('maintenance_work_mem');
  const connections = Number(byName.get('max_connections')?.setting);
  const workers = Number(byName.get('autovacuum_max_workers')?.setting);
  if (sharedBuffers === null || workMem === null || maintenance === null || !workMemRow || !Number.isFinite(connections) || !Number.isFinite(workers)) return [];
  // autovacuum_work_mem = -1 (settingBytes: null) means maintenance_work_mem.
  const autovacuumMem = bytes('autovacuum_work_mem') ?? maintenance;
  const worst = sharedBuffers + connections * workMem * WORK_MEM_FACTOR + workers * autovacuumMem;
  const limit = memoryBytes * share;
  if (worst <= limit) return [];
  // The work_mem at which the worst case is exactly the limit, in whole MB.
  const fitting = Math.floor((limit - sharedBuffers - workers * autovacuumMem) / (connections * WORK_MEM_FACTOR) / (1024 * 1024)) * 1024 * 1024;
  const formula = `${humanBytes(sharedBuffers)} shared_buffers + ${connections} max_connections × ${humanBytes(workMem)} work_mem × ${WORK_MEM_FACTOR} + ${workers} autovacuum workers × ${humanBytes(autovacuumMem)}`;
  const evidence = {
    worstCaseBytes: worst,
    memoryBytes,
    limitShare: share,
    sharedBuffersBytes: sharedBuffers,
    maxConnections: connections,
    workMemBytes: workMem,
    autovacuumMaxWorkers: workers,
    autovacuumMemBytes: autovacuumMem,
    formula: `postgresqltuner: ${formula}`,
    source: 'pg_settings, one look now; RAM as given to the advisor',
  };
  const base = {
    kind: 'setting' as const,
    rule: 'worst_case_memory',
    subject: 'server',
    title: `Worst-case memory ${humanBytes(worst)} is ${Math.round((worst / memoryBytes) * 100)} % of ${humanBytes(memoryBytes)} RAM (limit ${Math.round(share * 100)} %)`,
    risk: 'medium' as const,
  };
  const rationale = `At full load PostgreSQL may take ${formula} = ${humanBytes(worst)}, more than ${Math.round(share * 100)} % of the ${humanBytes(memoryBytes)} of RAM given (postgresqltuner's rule; settings from pg_settings now).`;
  if (fitting < WORK_MEM_FLOOR) {
    return [{
      ...base,
      rationale: `${rationale} Even 1 MB of work_mem would not fit: lower max_connections and put a connection pooler in front (see the pooling advisor), or lower shared_buffers.`,
      sql: `-- Lower max_connections (now ${connections}) and put PgBouncer in front of PostgreSQL; work_mem cannot fit below 1 MB.`,
      rollbackSql: null,
      evidence: { ...evidence, fittingWorkMemBytes: Math.max(0, fitting) },
    }];
  }
  const value = formatBytes(fitting);
  const change = settingChange(workMemRow, value);
  return [{
    ...base,
    rationale: `${rationale} work_mem = ${value} brings it to ${Math.round(share * 100)} %; fewer connections (a pooler) would allow more work_mem per query.`,
    sql: change.sql,
    rollbackSql: change.rollbackSql,
    needsRestart: change.needsRestart,
    evidence: { ...evidence, proposedWorkMem: value, currentWorkMem: change.current },
  }];
}
