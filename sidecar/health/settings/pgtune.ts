/**
 * PgTune's formulas (pgtune.leopard.in.ua, as summarised in the field notes' "Schema and
 * configuration rules"): what a server with `memoryBytes` of RAM and `maxConnections` should set.
 * Pure arithmetic, in bytes; each formula is the note's, with its source beside it.
 */

export type WorkloadType = 'web' | 'oltp' | 'mixed' | 'dw';

export interface PgTuneInput {
  memoryBytes: number;
  maxConnections: number;
  /** max_worker_processes (default 8): parallel workers take work_mem too. */
  maxWorkerProcesses: number;
  workload: WorkloadType;
}

export interface PgTuneValues {
  shared_buffers: number;
  effective_cache_size: number;
  maintenance_work_mem: number;
  wal_buffers: number;
  work_mem: number;
}

const KB = 1024;
const MB = 1024 ** 2;
const GB = 1024 ** 3;
/** PgTune caps maintenance_work_mem at 2 GB: more does not speed up VACUUM or CREATE INDEX. */
export const MAINTENANCE_WORK_MEM_CAP = 2 * GB;
/** PgTune: wal_buffers is 3 % of shared_buffers, at most 16 MB (one WAL segment) and at least 32 kB. */
export const WAL_BUFFERS_SHARE = 0.03;
export const WAL_BUFFERS_CAP = 16 * MB;
export const WAL_BUFFERS_MIN = 32 * KB;
/** The field notes: work_mem never below 4 MB (PostgreSQL's own default). */
export const WORK_MEM_MIN = 4 * MB;

/**
 * @example
 *   pgtune({ memoryBytes: 16 * 1024 ** 3, maxConnections: 100, maxWorkerProcesses: 8, workload: 'web' }).shared_buffers === 4 * 1024 ** 3
 */
export function pgtune(input: PgTuneInput): PgTuneValues {
  const ram = input.memoryBytes;
  // RAM / 4: PostgreSQL relies on the OS cache for the rest.
  const sharedBuffers = floorKb(ram / 4);
  // RAM × 3/4: what shared_buffers and the OS cache together hold (a planner estimate, allocates nothing).
  const effectiveCacheSize = floorKb((ram * 3) / 4);
  // RAM / 16 for web, OLTP and mixed loads, RAM / 8 for a warehouse; capped.
  const maintenanceWorkMem = Math.min(floorKb(ram / (input.workload === 'dw' ? 8 : 16)), MAINTENANCE_WORK_MEM_CAP);
  const walBuffers = Math.max(WAL_BUFFERS_MIN, Math.min(floorKb(sharedBuffers * WAL_BUFFERS_SHARE), WAL_BUFFERS_CAP));
  // (RAM − shared_buffers) / ((max_connections + max_worker_processes) × 3): every connection and
  // worker may run about three sorts or hashes at once; halved where queries are big (mixed, dw).
  const perSession = (ram - sharedBuffers) / ((input.maxConnections + input.maxWorkerProcesses) * 3);
  const workMem = Math.max(WORK_MEM_MIN, floorKb(input.workload === 'mixed' || input.workload === 'dw' ? perSession / 2 : perSession));
  return { shared_buffers: sharedBuffers, effective_cache_size: effectiveCacheSize, maintenance_work_mem: maintenanceWorkMem, wal_buffers: walBuffers, work_mem: workMem };
}

/** Memory settings are whole kB. */
function floorKb(bytes: number): number {
  return Math.floor(bytes / KB) * KB;
}
