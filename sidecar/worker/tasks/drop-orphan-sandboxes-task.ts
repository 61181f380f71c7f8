import type { Task } from 'graphile-worker';
import { messageOf } from '../../errors.ts';
import { dropSandbox } from '../../sandbox/target-sandbox.ts';
import type { RecommendationTaskContext } from '../recommendations/context.ts';

/**
 * drop_orphan_sandboxes (every 10 minutes): the sandboxes of deleted targets (their target_id set
 * to NULL by the delete) are dropped — a database cannot be dropped inside the transaction that
 * deleted the target, so the sidecar does it afterwards.
 */
export function dropOrphanSandboxesTask(context: RecommendationTaskContext): Task {
  return async (_payload, helpers) => {
    const { rows } = await context.system.query<{ id: string; database: string | null }>('select id, database from optischema.sandboxes where target_id is null');
    for (const row of rows) {
      try {
        await dropSandbox(context, row.id);
        helpers.logger.info(`drop_orphan_sandboxes: dropped ${row.database ?? 'a url sandbox'} of a deleted target`);
      } catch (error) {
        helpers.logger.warn(`drop_orphan_sandboxes: ${row.database}: ${messageOf(error)}`);
      }
    }
  };
}
