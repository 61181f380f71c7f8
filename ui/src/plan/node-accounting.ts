import type { RawPlanNode } from './explain-schema.ts';
import { PLAN_KEYS as K } from './plan-keys.ts';
import type { Buffers, PlanNodeView } from './plan-types.ts';

/**
 * For each node, the nodes whose time and buffers are already inside its own figures and must be
 * subtracted to get what the node itself did.
 *
 * EXPLAIN reports a node's time and buffers with everything that ran while it ran. For ordinary
 * children and SubPlans (evaluated by the node they hang under) that is its direct children. Two
 * kinds of child run elsewhere, and this is where the figures are approximate:
 * - a CTE ("Subplan Name": "CTE x") runs when a CTE Scan first reads it, so it is subtracted from
 *   the CTE Scan of that name that took the longest, the one most likely to have driven it; when
 *   several scans share the work the others keep part of the CTE's time;
 * - an InitPlan runs when a node first needs its value, so it is subtracted from the first node
 *   (depth first) whose conditions mention that value ($1, or "(InitPlan 1)" from PostgreSQL 16),
 *   else from its parent. An InitPlan that itself reads a CTE can be counted twice; the
 *   exclusive figures are clamped at zero rather than trusted to the last millisecond.
 */
export function nestedCounters(nodes: PlanNodeView[], rawOf: Map<string, RawPlanNode>): Map<string, PlanNodeView[]> {
  const within = new Map<string, PlanNodeView[]>(nodes.map((node) => [node.id, []]));
  const add = (target: PlanNodeView, child: PlanNodeView) => within.get(target.id)?.push(child);
  for (const node of nodes) {
    for (const child of node.children) {
      if (child.parentRelationship !== 'InitPlan') add(node, child);
      else if (child.subplanName?.startsWith('CTE ')) add(cteReader(nodes, child.subplanName.slice(4)) ?? node, child);
      else add(initPlanUser(node, child, rawOf) ?? node, child);
    }
  }
  return within;
}

export function exclusiveMs(node: PlanNodeView, nested: PlanNodeView[]): number | null {
  if (node.inclusiveMs === null) return null;
  const inner = nested.reduce((sum, child) => sum + (child.inclusiveMs ?? 0), 0);
  return Math.max(0, node.inclusiveMs - inner);
}

export function ownBuffers(node: PlanNodeView, nested: PlanNodeView[]): Buffers | null {
  const own = node.buffers;
  if (!own) return null;
  const minus = (field: keyof Buffers) => Math.max(0, nested.reduce((left, child) => left - (child.buffers?.[field] ?? 0), own[field]));
  return { sharedHit: minus('sharedHit'), sharedRead: minus('sharedRead'), tempRead: minus('tempRead'), tempWritten: minus('tempWritten') };
}

function cteReader(nodes: PlanNodeView[], cteName: string): PlanNodeView | null {
  let reader: PlanNodeView | null = null;
  for (const node of nodes) {
    if (node.nodeType !== 'CTE Scan' || node.cteName !== cteName) continue;
    if (!reader || (node.inclusiveMs ?? 0) > (reader.inclusiveMs ?? 0)) reader = node;
  }
  return reader;
}

function initPlanUser(parent: PlanNodeView, initPlan: PlanNodeView, rawOf: Map<string, RawPlanNode>): PlanNodeView | null {
  const name = initPlan.subplanName ?? '';
  const params = name.match(/\$\d+/g) ?? [];
  const patterns = params.length > 0 ? params.map((param) => new RegExp(`\\${param}(?!\\d)`)) : [new RegExp(`\\(${escapeRegExp(name)}\\)`)];
  const search = (node: PlanNodeView): PlanNodeView | null => {
    if (node === initPlan) return null;
    const raw = rawOf.get(node.id);
    if (raw && expressions(raw).some((text) => patterns.some((pattern) => pattern.test(text)))) return node;
    for (const child of node.children) {
      const found = search(child);
      if (found) return found;
    }
    return null;
  };
  return name ? search(parent) : null;
}

function expressions(raw: RawPlanNode): string[] {
  const texts = [raw[K.filter], raw[K.indexCond], raw[K.recheckCond], raw[K.hashCond], raw[K.mergeCond], raw[K.joinFilter], raw[K.oneTimeFilter]];
  return [...texts.filter((text) => text !== undefined), ...(raw[K.output] ?? [])];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
