import type { Badge, PlanView } from '../../../ui/src/plan/plan-model.ts';

/**
 * The part of planTree's output a fixture's .expect.json pins down: small enough to read and
 * check by hand against the plan's EXPLAIN text, and what the viewer's findings rest on.
 */
export function projectPlan(view: PlanView): unknown {
  if (!view.ok) return { error: view.error };
  return {
    analyzed: view.analyzed,
    nodes: view.nodes.map((node) => ({
      id: node.id,
      ...(node.subplanName ? { subplan: node.subplanName } : {}),
      label: node.label,
      exclusiveMs: node.exclusiveMs === null ? null : Math.round(node.exclusiveMs * 10) / 10,
      badges: node.badges.map(badgeKey),
    })),
  };
}

function badgeKey(badge: Badge): string {
  return badge.kind === 'misestimate' ? `misestimate:${badge.direction}:${Math.round(badge.factor)}` : badge.kind;
}
