/**
 * A target's apply policy (targets.auto_apply, apply_window_start, apply_window_minutes): whether a
 * validated recommendation goes to production by itself, and when. Off by default (`never`); the
 * embedded demo turns it on (`validated`). `validated_low_risk` takes only those the advisor rated
 * low risk. A validation whose sandbox plan differed from production's never goes by itself: it
 * proved the index on other data.
 */
import type { Queryable } from '../../database/queryable.ts';
import type { RecommendationRow } from './recommendation-state.ts';

export interface ApplyPolicy {
  autoApply: 'never' | 'validated' | 'validated_low_risk';
  /** The next start of the maintenance window (now when inside it or when there is none). */
  at: string;
}

export async function applyPolicy(db: Queryable, targetId: string): Promise<ApplyPolicy | null> {
  // The window is daily, in UTC: inside it → now; before today's start → today's; after → tomorrow's.
  const { rows } = await db.query<{ auto_apply: ApplyPolicy['autoApply']; at: Date }>(
    `select t.auto_apply,
            case when t.apply_window_start is null then now()
                 when now() between w.start and w.start + make_interval(mins => t.apply_window_minutes) then now()
                 when now() < w.start then w.start
                 else w.start + interval '1 day' end as at
       from optischema.targets t,
            lateral (select (date_trunc('day', now() at time zone 'utc') + t.apply_window_start) at time zone 'utc' as start) w
      where t.id = $1`,
    [targetId],
  );
  const row = rows[0];
  return row ? { autoApply: row.auto_apply, at: row.at.toISOString() } : null;
}

/** Whether the policy applies this validated recommendation by itself, and why not when it does not. */
export function autoApplies(policy: ApplyPolicy, recommendation: RecommendationRow, planDiffers: boolean): { yes: boolean; why: string } {
  if (policy.autoApply === 'never') return { yes: false, why: 'the target\'s policy applies nothing by itself' };
  if (planDiffers) return { yes: false, why: 'the sandbox\'s plan differed from production\'s, so the measurement speaks for other data' };
  const risk = recommendation.evidence.advice?.risk?.level;
  if (policy.autoApply === 'validated_low_risk' && risk !== 'low') return { yes: false, why: `the policy takes low-risk ones only, and this one is ${risk ?? 'unrated'}` };
  return { yes: true, why: `the target's policy (${policy.autoApply}) applies it` };
}
