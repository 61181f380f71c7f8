import type { Task } from 'graphile-worker';
import type { Queryable } from '../../database/queryable.ts';
import { messageOf } from '../../errors.ts';
import { ensureSandbox } from '../../sandbox/target-sandbox.ts';
import { parsePayload, TargetPayload } from '../payloads.ts';
import { targetUrlOf, type RecommendationTaskContext } from '../recommendations/context.ts';
import { publishEvent } from '../recommendations/recommendation-state.ts';

/**
 * Targets that validate by themselves (auto_validate) and have no sandbox yet get one made ahead
 * of their first recommendation: a copy takes as long as the data takes to move, and the loop
 * should not wait for it then. In the target's sandbox queue, so a validation queued meanwhile
 * waits for the copy instead of starting a second one. Called every minute by schedule_targets.
 */
export async function queueMissingSandboxes(db: Queryable): Promise<number> {
  const { rows } = await db.query(
    `select graphile_worker.add_job('prepare_sandbox', json_build_object('targetId', t.id), queue_name := 'sandbox:' || t.id,
              job_key := 'prepare_sandbox:' || t.id, job_key_mode := 'preserve_run_at', max_attempts := 3)
       from optischema.targets t
      where t.auto_validate and not exists (select from optischema.sandboxes s where s.target_id = t.id)`,
  );
  return rows.length;
}

/** prepare_sandbox {targetId}: the target's sandbox made (or found ready), with progress events. */
export function prepareSandboxTask(context: RecommendationTaskContext): Task {
  return async (payload, helpers) => {
    const { targetId } = parsePayload(TargetPayload, 'prepare_sandbox', payload);
    const targetUrl = await targetUrlOf(context, targetId);
    if (!targetUrl) return;
    const { rows } = await context.system.query<{ tenant_id: string }>('select tenant_id from optischema.targets where id = $1', [targetId]);
    const tenant = rows[0]?.tenant_id;
    try {
      const sandbox = await ensureSandbox(context, targetId, targetUrl, {
        signal: helpers.abortSignal,
        onProgress: (p) => void (tenant && publishEvent(context.system, tenant, { kind: 'sandbox_progress', target: targetId, ...p }).catch(() => undefined)),
      });
      helpers.logger.info(`prepare_sandbox ${targetId}: ${sandbox.reused ? 'ready' : 'made'} (${sandbox.strategy}${sandbox.database ? ` ${sandbox.database}` : ''})`);
    } catch (error) {
      // Shutting down: made again by the next sidecar.
      if (helpers.abortSignal.aborted) throw error;
      // The sandboxes row says failed, with the reason; a validation will try again.
      helpers.logger.warn(`prepare_sandbox ${targetId}: ${messageOf(error)}`);
    }
  };
}
