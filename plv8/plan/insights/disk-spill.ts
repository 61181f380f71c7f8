/**
 * disk_spill: a sort that spilled to disk (Sort Space Type "Disk") or a hash split into batches
 * (Hash Batches > 1), because work_mem was too small for it. The evidence names the setting and
 * the value that would have kept it in memory; validating that value is the sandbox's job.
 */
import { EXPLAIN } from '../explain-keys.ts';
import { count, nodeRef, num, str, type VisitedNode } from './plan-tree.ts';
import type { InsightNode, PlanInsight } from './types.ts';
import { settingFix, workMemValue } from './work-mem.ts';

/**
 * An in-memory sort needs more than the disk run it wrote (tuples in memory carry per-tuple
 * headers and pointers): twice the disk space is the usual rule of thumb (PostgreSQL wiki,
 * "Tuning Your PostgreSQL Server", on work_mem and external sorts).
 */
export const SORT_MEMORY_PER_DISK_KB = 2;

/** The sort's disk usage in kB, from the node or, for a parallel sort, its worst worker. */
function diskSortKb(node: InsightNode): number | null {
  const entries: Record<string, unknown>[] = [node, ...(Array.isArray(node[EXPLAIN.workers]) ? (node[EXPLAIN.workers] as Record<string, unknown>[]) : [])];
  const used = entries.filter((e) => typeof e === 'object' && e !== null && str(e, EXPLAIN.sortSpaceType) === 'Disk').map((e) => num(e, EXPLAIN.sortSpaceUsed) ?? 0);
  return used.length === 0 ? null : Math.max(...used);
}

export function diskSpill(visited: VisitedNode): PlanInsight[] {
  const { node, nodeType } = visited;
  if (nodeType === 'Sort') {
    const diskKb = diskSortKb(node);
    if (diskKb === null) return [];
    const value = workMemValue(diskKb * SORT_MEMORY_PER_DISK_KB);
    return [
      {
        rule: 'disk_spill',
        severity: 'warning',
        node: nodeRef(visited),
        message:
          `Sort wrote ${count(diskKb)} kB to disk (EXPLAIN ANALYZE Sort Space Used, ${str(node, EXPLAIN.sortMethod) ?? 'external sort'}): ` +
          `work_mem was too small; about ${value} (twice the disk space, rounded up to a power of two) keeps it in memory.`,
        evidence: { setting: 'work_mem', value, sortSpaceUsedKb: diskKb, sortMethod: str(node, EXPLAIN.sortMethod) ?? null },
        fix: settingFix('work_mem', value, `The sort spilled ${count(diskKb)} kB to disk.`),
      },
    ];
  }
  if (nodeType === 'Hash') {
    const batches = num(node, EXPLAIN.hashBatches) ?? 1;
    const original = num(node, EXPLAIN.originalHashBatches) ?? 1;
    if (batches <= 1 && original <= 1) return [];
    const peakKb = num(node, EXPLAIN.peakMemoryUsage) ?? 0;
    // Each batch held about Peak Memory Usage: the whole hash table needs that many times it. Hash
    // tables may use work_mem × hash_mem_multiplier (2 by default since PostgreSQL 15): headroom.
    const neededKb = peakKb * Math.max(batches, original);
    const value = workMemValue(neededKb);
    return [
      {
        rule: 'disk_spill',
        severity: 'warning',
        node: nodeRef(visited),
        message:
          `Hash was split into ${batches} batches (planned ${original}; EXPLAIN ANALYZE Hash Batches), writing the rest to temporary files: ` +
          `its ${count(peakKb)} kB peak per batch × ${Math.max(batches, original)} batches needs about ${value} of work_mem (rounded up to a power of two).`,
        evidence: { setting: 'work_mem', value, hashBatches: batches, originalHashBatches: original, peakMemoryUsageKb: peakKb, neededKb: Math.round(neededKb) },
        fix: settingFix('work_mem', value, `The hash needed ${Math.max(batches, original)} batches.`),
      },
    ];
  }
  return [];
}
