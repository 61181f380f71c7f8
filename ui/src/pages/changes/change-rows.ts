import type { ResultOf } from '../../graphql/graphql.ts';
import type { AppliedChanges } from './changes-queries.ts';
import { realizedGain, type RealizedGain } from './realized-gain.ts';

type ChangeNode = NonNullable<NonNullable<ResultOf<typeof AppliedChanges>['allAppliedChanges']>['nodes'][number]>;
type TargetNode = NonNullable<NonNullable<ResultOf<typeof AppliedChanges>['allTargets']>['nodes'][number]>;

/** One applied change as the table shows it: its three gains side by side. */
export interface ChangeRow {
  id: string;
  recommendationId: string | null;
  title: string;
  database: string;
  appliedAt: string | null;
  /** applied, rolled back, or the recommendation's state while it moves (rolling back). */
  state: string;
  rolledBackAt: string | null;
  buildMs: number | null;
  forced: boolean;
  forceReason: string | null;
  /** From the hypothetical index (hypopg): the planner's cost before and after. */
  estimatedPct: number | null;
  /** On the sandbox: the median of the validation runs, with and without the index. */
  measuredPct: number | null;
  /** On production, after the apply. */
  realized: RealizedGain;
}

function pctOf(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** A change the recommendation's state no longer says (the change row keeps its own rollback time). */
function stateOf(node: ChangeNode): string {
  if (node.rolledBackAt) return 'rolled_back';
  return node.state ?? 'applied';
}

export function toChangeRows(changes: readonly ChangeNode[], targets: readonly TargetNode[]): ChangeRow[] {
  const names = new Map(targets.map((t) => [t.rowId, t.name ?? t.rowId]));
  return changes.map((c) => ({
    id: c.rowId,
    recommendationId: c.recommendationId ?? null,
    title: c.title ?? `change ${c.rowId}`,
    database: (c.targetId && names.get(c.targetId)) ?? c.targetId ?? '–',
    appliedAt: c.appliedAt ?? null,
    state: stateOf(c),
    rolledBackAt: c.rolledBackAt ?? null,
    buildMs: c.buildMs ?? null,
    forced: c.forced ?? false,
    forceReason: c.forceReason ?? null,
    estimatedPct: pctOf(c.estimatedPct),
    measuredPct: pctOf(c.measuredPct),
    realized: realizedGain(c.realizedPct, c.realized),
  }));
}
