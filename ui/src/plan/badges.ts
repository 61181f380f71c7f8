import type { RawPlanNode } from './explain-schema.ts';
import { formatCount, formatFactor, formatMs, formatShare } from './format.ts';
import { PLAN_KEYS as K } from './plan-keys.ts';
import type { Badge, PlanNodeView } from './plan-types.ts';

/** Where a node starts to deserve a badge; every rule below reads its limit from here. */
export const BADGE_THRESHOLDS = {
  /** Actual rows per loop against the planner's, either way: 10 means 10× too many or too few. */
  misestimateFactor: 10,
  /** Share of the rows a node read that its Filter threw away… */
  filterDiscardShare: 0.9,
  /** …counted over all loops, and at least this many, so small tables stay quiet. */
  filterDiscardMinRows: 1000,
  /** Rows a Seq Scan read (returned plus removed by its filter, all loops). */
  seqScanLargeRows: 10_000,
} as const;

/**
 * The badges one node earns by itself. Those that compare with what happened need ANALYZE:
 * a plan of estimates only gets none. "slowest" compares nodes, see slowestBadge.
 */
export function nodeBadges(node: PlanNodeView, raw: RawPlanNode): Badge[] {
  const badges = [misestimate(node), filterDiscards(node), diskSort(raw), lossyBitmap(raw), tempIo(node), seqScanLarge(node)];
  return badges.filter((badge) => badge !== null);
}

/**
 * Rows per loop on both sides, each at least 1 so that 0 rows is not an infinite error. Nodes
 * stopped early (under a Limit, the inner side of a Merge Join) can show a false "over".
 */
function misestimate(node: PlanNodeView): Badge | null {
  if (!node.actual || node.actual.loops === 0 || node.planRows === null) return null;
  const actual = Math.max(node.actual.perLoop, 1);
  const planned = Math.max(node.planRows, 1);
  const direction = actual >= planned ? 'under' : 'over';
  const factor = direction === 'under' ? actual / planned : planned / actual;
  if (factor < BADGE_THRESHOLDS.misestimateFactor) return null;
  return {
    kind: 'misestimate',
    direction,
    factor: Math.round(factor * 10) / 10,
    text: `rows ${direction}-estimated ${formatFactor(factor)}`,
    explanation: `The planner expected ${formatCount(node.planRows)} rows per loop and got ${formatCount(node.actual.perLoop)}. Plans built on estimates this far off are often poor: check the statistics (ANALYZE, extended statistics for correlated columns).`,
  };
}

function filterDiscards(node: PlanNodeView): Badge | null {
  const actual = node.actual;
  if (!actual) return null;
  const removed = actual.removedByFilter;
  const read = removed + actual.total;
  if (removed < BADGE_THRESHOLDS.filterDiscardMinRows || removed / read < BADGE_THRESHOLDS.filterDiscardShare) return null;
  const share = removed / read;
  return {
    kind: 'filter-discards',
    removed,
    share,
    text: `filter discards ${formatShare(share)}`,
    explanation: `The filter threw away ${formatCount(removed)} of the ${formatCount(read)} rows read: an index matching the filter could avoid reading them.`,
  };
}

function diskSort(raw: RawPlanNode): Badge | null {
  const method = raw[K.sortMethod] ?? '';
  if (raw[K.sortSpaceType] !== 'Disk' && !method.includes('external')) return null;
  const used = raw[K.sortSpaceUsed];
  return {
    kind: 'disk-sort',
    text: 'sort on disk',
    explanation: `The sort did not fit in work_mem and spilled to disk (${method || 'external'}${used === undefined ? '' : `, ${formatCount(used)} kB`}).`,
  };
}

function lossyBitmap(raw: RawPlanNode): Badge | null {
  const lossy = raw[K.lossyHeapBlocks] ?? 0;
  if (lossy <= 0) return null;
  return {
    kind: 'lossy-bitmap',
    lossyBlocks: lossy,
    text: 'lossy bitmap',
    explanation: `The bitmap outgrew work_mem: ${formatCount(lossy)} heap blocks were kept as whole pages, so every row on them was checked again.`,
  };
}

/** On the node's own temp blocks: a parent's figures include its children's spills. */
function tempIo(node: PlanNodeView): Badge | null {
  const written = node.ownBuffers?.tempWritten ?? 0;
  if (written <= 0) return null;
  return {
    kind: 'temp-io',
    writtenBlocks: written,
    text: 'temp I/O',
    explanation: `Wrote ${formatCount(written)} blocks (${formatCount((written * 8) / 1024)} MB) of temporary files: more work_mem would keep this in memory.`,
  };
}

function seqScanLarge(node: PlanNodeView): Badge | null {
  if (node.nodeType !== 'Seq Scan' || !node.actual) return null;
  const rowsRead = node.actual.total + node.actual.removedByFilter;
  if (rowsRead < BADGE_THRESHOLDS.seqScanLargeRows) return null;
  return {
    kind: 'seq-scan-large',
    rowsRead,
    text: 'large seq scan',
    explanation: `Read ${formatCount(rowsRead)} rows from start to end of ${node.relation ?? 'the table'}.`,
  };
}

/** The node that spent the most time itself, when the plan was timed and has more than one node. */
export function slowestBadge(nodes: PlanNodeView[]): { node: PlanNodeView; badge: Badge } | null {
  if (nodes.length < 2) return null;
  let slowest: PlanNodeView | null = null;
  for (const node of nodes) {
    if ((node.exclusiveMs ?? 0) > (slowest?.exclusiveMs ?? 0)) slowest = node;
  }
  if (!slowest || slowest.exclusiveMs === null) return null;
  const share = slowest.share === null ? '' : `, ${formatShare(slowest.share)} of the execution`;
  return {
    node: slowest,
    badge: { kind: 'slowest', text: 'slowest node', explanation: `This node itself took ${formatMs(slowest.exclusiveMs)}${share}, more than any other.` },
  };
}
