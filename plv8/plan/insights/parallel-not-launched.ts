/**
 * parallel_not_launched: a Gather planned parallel workers that never started (the server's
 * max_parallel_workers or max_worker_processes were used up, or set too low), so the leader did
 * the whole scan alone with a plan costed for several processes.
 */
import { EXPLAIN } from '../explain-keys.ts';
import { nodeRef, num, type VisitedNode } from './plan-tree.ts';
import type { PlanInsight } from './types.ts';

export function parallelNotLaunched(visited: VisitedNode): PlanInsight[] {
  if (visited.nodeType !== 'Gather' && visited.nodeType !== 'Gather Merge') return [];
  const planned = num(visited.node, EXPLAIN.workersPlanned);
  const launched = num(visited.node, EXPLAIN.workersLaunched);
  // Workers Launched is printed only with ANALYZE.
  if (planned === undefined || launched === undefined || launched >= planned) return [];
  return [
    {
      rule: 'parallel_not_launched',
      severity: launched === 0 ? 'warning' : 'info',
      node: nodeRef(visited),
      message:
        `${visited.nodeType} planned ${planned} parallel workers and launched ${launched} (EXPLAIN ANALYZE Workers Planned / Launched): ` +
        'the pool of parallel workers (max_parallel_workers, max_worker_processes) was exhausted or too small when it ran.',
      evidence: { workersPlanned: planned, workersLaunched: launched, setting: 'max_parallel_workers' },
    },
  ];
}
