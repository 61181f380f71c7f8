import { nodeBadges, slowestBadge } from './badges.ts';
import { parseExplain, type RawPlanNode } from './explain-schema.ts';
import { exclusiveMs, nestedCounters, ownBuffers } from './node-accounting.ts';
import { nodeDetails } from './node-details.ts';
import { nodeLabel, operatorName } from './node-label.ts';
import { PLAN_KEYS as K } from './plan-keys.ts';
import type { ActualRows, Buffers, PlanNodeView, PlanView } from './plan-types.ts';

export { comparePlans } from './compare-plans.ts';
export type * from './plan-types.ts';

/**
 * The viewer's model of EXPLAIN (FORMAT JSON) output: every node with its label, rows, time,
 * buffers, details and badges. Accepts the server's array, its statement object or a bare plan
 * node (or any of them as JSON text); anything else gives `{ ok: false, error }`, never a throw.
 */
export function planTree(explainJson: unknown): PlanView {
  const parsed = parseExplain(explainJson);
  if (!parsed.ok) return parsed;
  const { root: rawRoot, planningMs, executionMs } = parsed.value;

  const nodes: PlanNodeView[] = [];
  const rawOf = new Map<string, RawPlanNode>();
  const root = buildNode(rawRoot, '0', 0, 1, nodes, rawOf);

  const nested = nestedCounters(nodes, rawOf);
  for (const node of nodes) {
    const inner = nested.get(node.id) ?? [];
    node.exclusiveMs = exclusiveMs(node, inner);
    node.ownBuffers = ownBuffers(node, inner);
  }
  const totalMs = executionMs ?? root.inclusiveMs;
  for (const node of nodes) {
    if (node.exclusiveMs !== null && totalMs) node.share = Math.min(1, node.exclusiveMs / totalMs);
    const raw = rawOf.get(node.id);
    if (raw) node.badges = nodeBadges(node, raw);
  }
  const slowest = slowestBadge(nodes);
  slowest?.node.badges.unshift(slowest.badge);

  return {
    ok: true,
    analyzed: root.actual !== null,
    timed: root.inclusiveMs !== null,
    planningMs,
    executionMs,
    totalMs: totalMs ?? null,
    totalCost: root.totalCost,
    root,
    nodes,
  };
}

/**
 * One node and, below it, its children. `processes` is how many processes shared the node's
 * loops: below a Gather, EXPLAIN averages time over workers and leader, who ran at the same time.
 */
function buildNode(raw: RawPlanNode, id: string, depth: number, processes: number, nodes: PlanNodeView[], rawOf: Map<string, RawPlanNode>): PlanNodeView {
  const actual = actualRows(raw);
  const node: PlanNodeView = {
    id,
    depth,
    nodeType: raw[K.nodeType],
    operator: operatorName(raw),
    label: nodeLabel(raw),
    subplanName: raw[K.subplanName] ?? null,
    parentRelationship: raw[K.parentRelationship] ?? null,
    schema: raw[K.schema] ?? null,
    relation: raw[K.relationName] ?? null,
    alias: raw[K.alias] ?? null,
    index: raw[K.indexName] ?? null,
    cteName: raw[K.cteName] ?? null,
    startupCost: raw[K.startupCost] ?? null,
    totalCost: raw[K.totalCost] ?? null,
    planRows: raw[K.planRows] ?? null,
    actual,
    inclusiveMs: inclusiveMs(actual, processes),
    exclusiveMs: null,
    share: null,
    buffers: buffers(raw),
    ownBuffers: null,
    details: nodeDetails(raw),
    badges: [],
    children: [],
  };
  nodes.push(node);
  rawOf.set(id, raw);
  const launched = raw[K.workersLaunched];
  const childProcesses = launched === undefined ? processes : launched + 1;
  node.children = (raw[K.plans] ?? []).map((child, i) => buildNode(child, `${id}.${i}`, depth + 1, childProcesses, nodes, rawOf));
  return node;
}

function actualRows(raw: RawPlanNode): ActualRows | null {
  const perLoop = raw[K.actualRows];
  const loops = raw[K.actualLoops];
  if (perLoop === undefined || loops === undefined) return null;
  return {
    perLoop,
    loops,
    total: perLoop * loops,
    removedByFilter: (raw[K.rowsRemovedByFilter] ?? 0) * loops,
    startupMsPerLoop: raw[K.actualStartupTime] ?? null,
    totalMsPerLoop: raw[K.actualTotalTime] ?? null,
  };
}

/**
 * Loops run one after another add up; loops shared by parallel processes ran side by side, so
 * their count is divided by the processes (no more than the loops: a worker may not have run).
 */
function inclusiveMs(actual: ActualRows | null, processes: number): number | null {
  if (actual?.totalMsPerLoop == null) return null;
  return (actual.totalMsPerLoop * actual.loops) / Math.max(1, Math.min(processes, actual.loops));
}

function buffers(raw: RawPlanNode): Buffers | null {
  const fields = [raw[K.sharedHitBlocks], raw[K.sharedReadBlocks], raw[K.tempReadBlocks], raw[K.tempWrittenBlocks]];
  if (fields.every((n) => n === undefined)) return null;
  const [sharedHit, sharedRead, tempRead, tempWritten] = fields.map((n) => n ?? 0) as [number, number, number, number];
  return { sharedHit, sharedRead, tempRead, tempWritten };
}
