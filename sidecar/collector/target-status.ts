import type { Queryable } from '../database/queryable.ts';
import type { TargetProblem } from './types.ts';

/**
 * Records why the last collection failed. last_seen_at is left as it is for errors (it is the
 * last time the target answered); a target without statistics did answer, so it is seen now.
 * A successful collection sets status ok itself (optischema.record_statements).
 */
export async function recordTargetProblem(system: Queryable, targetId: string, problem: TargetProblem): Promise<void> {
  await system.query(
    `update optischema.targets
        set status = $2, status_message = $3,
            last_seen_at = case when $2 = 'no_statistics' then now() else last_seen_at end
      where id = $1`,
    [targetId, problem.status, problem.message],
  );
}

/** The target answered (an activity sample succeeded): it was seen now. */
export async function recordTargetSeen(system: Queryable, targetId: string): Promise<void> {
  await system.query(
    'update optischema.targets set last_seen_at = greatest(last_seen_at, now()) where id = $1',
    [targetId],
  );
}
