import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { Queryable } from '../../database/queryable.ts';
import { parsePayload } from '../payloads.ts';
import type { RecommendationTaskContext } from '../recommendations/context.ts';
import { publishEvent } from '../recommendations/recommendation-state.ts';

const ChangePayload = z.object({ changeId: z.string().regex(/^\d+$/) });

/** How often the measurement looks again while traffic is short, and for how long after the apply. */
export const REALIZED_GAIN_RETRY_S = 60;
export const REALIZED_GAIN_GIVE_UP_S = 24 * 60 * 60;

/** Queues the first measurement of an applied change's realized gain, one retry period from now. */
export async function queueRealizedGain(db: Queryable, changeId: string): Promise<void> {
  await db.query(
    `select graphile_worker.add_job('measure_realized_gain', json_build_object('changeId', $1::text),
              run_at := now() + make_interval(secs => $2), job_key := 'measure_realized_gain:' || $1)`,
    [changeId, REALIZED_GAIN_RETRY_S],
  );
}

/**
 * measure_realized_gain {changeId}: the applied change's realized gain from the collected history
 * (optischema.realized_gain: the served queries' mean time over equal windows before and after
 * the apply, with enough calls on both sides). Stored on the change; until there is enough
 * traffic it says so ("not enough traffic yet") and looks again a minute later, for a day.
 */
export function realizedGainTask(context: RecommendationTaskContext): Task {
  return async (payload, helpers) => {
    const { changeId } = parsePayload(ChangePayload, 'measure_realized_gain', payload);
    const { rows } = await context.system.query<{ tenant_id: string; target_id: string; recommendation_id: string; realized: { state: string; improvementPct?: number }; age_s: number; rolled_back: boolean }>(
      `select c.tenant_id, c.target_id, c.recommendation_id, optischema.realized_gain(c.id) as realized,
              extract(epoch from now() - c.applied_at)::float8 as age_s, c.rolled_back_at is not null as rolled_back
         from optischema.changes c where c.id = $1`,
      [changeId],
    );
    const row = rows[0];
    if (!row) return;
    const measured = row.realized.state === 'measured';
    await context.system.query(
      `update optischema.changes set realized = $2, realized_improvement_pct = $3, realized_at = case when $4 then now() else realized_at end where id = $1`,
      [changeId, JSON.stringify(row.realized), measured ? row.realized.improvementPct ?? null : null, measured],
    );
    await publishEvent(context.system, row.tenant_id, { kind: 'realized_gain', target: row.target_id, recommendationId: row.recommendation_id, realized: row.realized });
    if (measured || row.rolled_back || row.age_s > REALIZED_GAIN_GIVE_UP_S) {
      helpers.logger.info(`measure_realized_gain ${changeId}: ${measured ? `${row.realized.improvementPct} %` : JSON.stringify(row.realized)}`);
      return;
    }
    // The job's own key: add_job takes it off this running job and queues the next look (schedule.ts).
    await queueRealizedGain(context.system, changeId);
  };
}
