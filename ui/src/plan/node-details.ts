import type { RawPlanNode } from './explain-schema.ts';
import { formatCount } from './format.ts';
import { PLAN_KEYS as K } from './plan-keys.ts';
import type { DetailLine } from './plan-types.ts';

/** Conditions shown as the server wrote them. */
const CONDITIONS = [K.indexCond, K.recheckCond, K.hashCond, K.mergeCond, K.joinFilter, K.filter, K.oneTimeFilter] as const;

const KEY_LISTS = [K.sortKey, K.presortedKey, K.groupKey] as const;

/**
 * The lines shown when a node is opened: its conditions, keys and how its sort, hash or bitmap
 * went. Output is left out on purpose: with VERBOSE it lists every column of every node and
 * buries the lines that explain the node's cost.
 */
export function nodeDetails(node: RawPlanNode): DetailLine[] {
  const lines: DetailLine[] = [];
  const add = (label: string, value: string | null) => {
    if (value !== null) lines.push({ label, value });
  };
  for (const key of CONDITIONS) add(key, node[key] ?? null);
  for (const key of KEY_LISTS) add(key, node[key]?.join(', ') ?? null);
  add('Rows Removed by Filter', perLoop(node[K.rowsRemovedByFilter]));
  add('Rows Removed by Join Filter', perLoop(node[K.rowsRemovedByJoinFilter]));
  add('Rows Removed by Index Recheck', perLoop(node[K.rowsRemovedByIndexRecheck]));
  add('Sort', sortLine(node));
  add('Heap Blocks', heapBlocksLine(node));
  add('Heap Fetches', node[K.heapFetches] === undefined ? null : formatCount(node[K.heapFetches]));
  add('Hash', hashLine(node));
  add('HashAggregate', hashAggLine(node));
  add('Workers', workersLine(node));
  return lines;
}

// EXPLAIN reports removed rows as an average per loop, like Actual Rows.
function perLoop(n: number | undefined): string | null {
  return n === undefined ? null : `${formatCount(n)} per loop`;
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

function workersLine(node: RawPlanNode): string | null {
  const planned = node[K.workersPlanned];
  if (planned === undefined) return null;
  const launched = node[K.workersLaunched];
  return launched === undefined ? `${planned} planned` : `${planned} planned, ${launched} launched`;
}
