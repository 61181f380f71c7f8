import type { RawPlanNode } from './explain-schema.ts';
import { formatCost, formatCount, formatMs } from './format.ts';
import { PLAN_KEYS as K } from './plan-keys.ts';
import type { DetailLine } from './plan-types.ts';

/** Conditions shown as the server wrote them. */
const CONDITIONS = [K.indexCond, K.recheckCond, K.hashCond, K.mergeCond, K.joinFilter, K.filter, K.oneTimeFilter] as const;

const KEY_LISTS = [K.sortKey, K.presortedKey, K.groupKey] as const;

/**
 * The lines shown when a node is opened: its conditions, keys and how its sort, hash or bitmap
 * went. Output is left out on purpose: with VERBOSE it lists every column of every node and
 * buries the lines that explain the node's cost. Cost and time come last: the node's summary
 * line has their totals already.
 */
export function nodeDetails(node: RawPlanNode): DetailLine[] {
  const lines: DetailLine[] = [];
  const add = (label: string, value: string | null) => {
    if (value !== null) lines.push({ label, value });
  };
  for (const key of CONDITIONS) add(key, node[key] ?? null);
  for (const key of KEY_LISTS) add(key, node[key]?.join(', ') ?? null);
  const loops = node[K.actualLoops] ?? 1;
  add('Rows Removed by Filter', removedLine(node[K.rowsRemovedByFilter], loops));
  add('Rows Removed by Join Filter', removedLine(node[K.rowsRemovedByJoinFilter], loops));
  add('Rows Removed by Index Recheck', removedLine(node[K.rowsRemovedByIndexRecheck], loops));
  add('Sort', sortLine(node));
  add('Heap Blocks', heapBlocksLine(node));
  add('Heap Fetches', countText(node[K.heapFetches]));
  add('Hash', hashLine(node));
  add('HashAggregate', hashAggLine(node));
  add('Workers', workersLine(node));
  add('Buffers with children', childBuffersLine(node));
  add('Cost', costLine(node));
  add('Actual time', timeLine(node));
  return lines;
}

function countText(n: number | undefined): string | null {
  return n === undefined ? null : formatCount(n);
}

/** EXPLAIN reports removed rows as an average per loop, like Actual Rows; none is left out as in its text format. */
function removedLine(n: number | undefined, loops: number): string | null {
  if (!n) return null;
  return loops > 1 ? `${formatCount(n)} per loop × ${formatCount(loops)} loops = ${formatCount(n * loops)}` : formatCount(n);
}

function sortLine(node: RawPlanNode): string | null {
  const method = node[K.sortMethod];
  if (!method) return null;
  const used = node[K.sortSpaceUsed];
  const where = node[K.sortSpaceType];
  return used === undefined ? method : `${method}, ${where ?? 'space'} ${formatCount(used)} kB`;
}

function heapBlocksLine(node: RawPlanNode): string | null {
  const exact = node[K.exactHeapBlocks];
  const lossy = node[K.lossyHeapBlocks];
  if (exact === undefined && lossy === undefined) return null;
  return `exact ${formatCount(exact ?? 0)}, lossy ${formatCount(lossy ?? 0)}`;
}

function hashLine(node: RawPlanNode): string | null {
  const buckets = node[K.hashBuckets];
  if (buckets === undefined) return null;
  const memory = node[K.peakMemoryUsage];
  return `${formatCount(buckets)} buckets, ${formatCount(node[K.hashBatches] ?? 1)} batches${memory === undefined ? '' : `, ${formatCount(memory)} kB memory`}`;
}

function hashAggLine(node: RawPlanNode): string | null {
  const batches = node[K.hashAggBatches];
  if (batches === undefined) return null;
  const memory = node[K.peakMemoryUsage];
  const disk = node[K.diskUsage];
  return [
    `${formatCount(batches)} batches`,
    memory === undefined ? null : `${formatCount(memory)} kB memory`,
    disk ? `${formatCount(disk)} kB disk` : null,
  ].filter((part) => part !== null).join(', ');
}

/** The summary line shows the node's own buffers; these are EXPLAIN's own figures, to compare with its text. */
function childBuffersLine(node: RawPlanNode): string | null {
  const hit = node[K.sharedHitBlocks];
  if (!node[K.plans]?.length || hit === undefined) return null;
  const parts = [`hit ${formatCount(hit)}`, `read ${formatCount(node[K.sharedReadBlocks] ?? 0)}`];
  const tempRead = node[K.tempReadBlocks] ?? 0;
  const tempWritten = node[K.tempWrittenBlocks] ?? 0;
  if (tempRead > 0 || tempWritten > 0) parts.push(`temp read ${formatCount(tempRead)}`, `temp written ${formatCount(tempWritten)}`);
  return parts.join(' · ');
}

function costLine(node: RawPlanNode): string | null {
  const total = node[K.totalCost];
  if (total === undefined) return null;
  return `${formatCost(node[K.startupCost] ?? 0)}..${formatCost(total)} (startup..total, per loop)`;
}

function timeLine(node: RawPlanNode): string | null {
  const total = node[K.actualTotalTime];
  if (total === undefined) return null;
  const first = formatMs(node[K.actualStartupTime] ?? 0);
  const last = formatMs(total);
  // One unit for both ends when they share it: "0.024..85.8 ms".
  const range = first.endsWith(' ms') && last.endsWith(' ms') ? `${first.slice(0, -3)}..${last}` : `${first}..${last}`;
  return `${range} (first row..last row, per loop)`;
}

function workersLine(node: RawPlanNode): string | null {
  const planned = node[K.workersPlanned];
  if (planned === undefined) return null;
  const launched = node[K.workersLaunched];
  return launched === undefined ? `${planned} planned` : `${planned} planned, ${launched} launched`;
}
