import { formatCost, formatFactor, formatMs } from './format.ts';
import type { PlanNodeView, PlanView, PlanViewOk } from './plan-types.ts';

export type PlanComparisonSummary = PlanComparisonOk | { ok: false; error: string };

export interface PlanComparisonOk {
  ok: true;
  /** Execution time, when both plans were run with ANALYZE. */
  time: Change | null;
  /** The planner's total cost of the root. */
  cost: Change | null;
  /** Operators that are new in the after plan (or more frequent there), in plan order. */
  appeared: string[];
  disappeared: string[];
  /** How a table is read, where that changed: "Seq Scan on orders → Index Scan using orders_customer_idx on orders". */
  accessChanges: string[];
  /** All of the above as sentences, most telling first. */
  lines: string[];
}

export interface Change {
  before: number;
  after: number;
  /** before / after: above 1 is an improvement. */
  ratio: number;
}

/** What changed between two plans of the same query, e.g. before and after an index. */
export function comparePlans(before: PlanView, after: PlanView): PlanComparisonSummary {
  if (!before.ok) return { ok: false, error: `the plan before cannot be read: ${before.error}` };
  if (!after.ok) return { ok: false, error: `the plan after cannot be read: ${after.error}` };
  const time = change(before.executionMs ?? (before.timed ? before.totalMs : null), after.executionMs ?? (after.timed ? after.totalMs : null));
  const cost = change(before.totalCost, after.totalCost);
  const beforeOps = before.nodes.map((node) => node.operator);
  const afterOps = after.nodes.map((node) => node.operator);
  const appeared = surplus(afterOps, beforeOps);
  const disappeared = surplus(beforeOps, afterOps);
  const accessChanges = accessPathChanges(before, after);
  const lines = [
    time ? `Execution time ${formatMs(time.before)} → ${formatMs(time.after)} (${verdict(time.ratio, 'faster', 'slower')})` : 'Execution time: not measured in both plans (EXPLAIN without ANALYZE)',
    ...(cost ? [`Estimated cost ${formatCost(cost.before)} → ${formatCost(cost.after)} (${verdict(cost.ratio, 'lower', 'higher')})`] : []),
    ...accessChanges,
    ...(appeared.length > 0 ? [`New operators: ${appeared.join(', ')}`] : []),
    ...(disappeared.length > 0 ? [`Gone: ${disappeared.join(', ')}`] : []),
  ];
  if (accessChanges.length === 0 && appeared.length === 0 && disappeared.length === 0) lines.push('Same plan shape');
  return { ok: true, time, cost, appeared, disappeared, accessChanges, lines };
}

function change(before: number | null, after: number | null): Change | null {
  if (before === null || after === null) return null;
  return { before, after, ratio: after === 0 ? (before === 0 ? 1 : Infinity) : before / after };
}

// Within 5 % either way is noise for a single run.
function verdict(ratio: number, better: string, worse: string): string {
  if (!Number.isFinite(ratio)) return better;
  if (ratio >= 1.05) return `${formatFactor(ratio)} ${better}`;
  if (ratio <= 1 / 1.05) return `${formatFactor(1 / ratio)} ${worse}`;
  return 'about the same';
}

/** Each name as often as it occurs in `more` beyond `fewer`, in the order of `more`. */
function surplus(more: string[], fewer: string[]): string[] {
  const left = new Map<string, number>();
  for (const name of fewer) left.set(name, (left.get(name) ?? 0) + 1);
  const extra: string[] = [];
  for (const name of more) {
    const n = left.get(name) ?? 0;
    if (n > 0) left.set(name, n - 1);
    else if (!extra.includes(name)) extra.push(name);
  }
  return extra;
}

function accessPathChanges(before: PlanViewOk, after: PlanViewOk): string[] {
  const was = accessPaths(before);
  const now = accessPaths(after);
  const changes: string[] = [];
  for (const relation of new Set([...was.keys(), ...now.keys()])) {
    const from = [...(was.get(relation) ?? [])].sort().join(' + ') || `no read of ${relation}`;
    const to = [...(now.get(relation) ?? [])].sort().join(' + ') || `no read of ${relation}`;
    if (from !== to) changes.push(`${from} → ${to}`);
  }
  return changes;
}

/** The ways each table is read; schema and alias left out, as VERBOSE or a rename should not count as a change. */
function accessPaths(plan: PlanViewOk): Map<string, Set<string>> {
  const paths = new Map<string, Set<string>>();
  for (const node of plan.nodes) {
    if (!node.relation || node.nodeType === 'ModifyTable') continue;
    const set = paths.get(node.relation) ?? new Set<string>();
    set.add(accessPath(node, node.relation));
    paths.set(node.relation, set);
  }
  return paths;
}

function accessPath(node: PlanNodeView, relation: string): string {
  if (node.index) return `${node.operator} using ${node.index} on ${relation}`;
  const indexes = bitmapIndexes(node);
  return indexes.length > 0 ? `${node.operator} on ${relation} using ${indexes.join(', ')}` : `${node.operator} on ${relation}`;
}

/** The indexes a Bitmap Heap Scan combines, through BitmapAnd and BitmapOr. */
function bitmapIndexes(node: PlanNodeView): string[] {
  return node.children.flatMap((child) => (child.nodeType === 'Bitmap Index Scan' && child.index ? [child.index] : child.nodeType.startsWith('Bitmap') ? bitmapIndexes(child) : []));
}
