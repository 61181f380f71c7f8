import type pg from 'pg';
import type { StoredRecommendation } from '../../advisor/store-recommendations.ts';
import { moveRecommendation } from './recommendation-state.ts';

/**
 * The first step of the unattended loop: a target with auto_validate on sends each new index
 * recommendation to its sandbox as soon as the advisor stores it. Returns how many were sent.
 */
export async function validateNewByPolicy(system: pg.Pool, targetId: string, stored: readonly StoredRecommendation[]): Promise<number> {
  const fresh = stored.filter((s) => s.created && s.state === 'proposed');
  if (fresh.length === 0) return 0;
  const { rows } = await system.query<{ auto_validate: boolean }>('select auto_validate from optischema.targets where id = $1', [targetId]);
  if (!rows[0]?.auto_validate) return 0;
  let sent = 0;
  for (const s of fresh) if (await moveRecommendation(system, s.id, ['proposed'], 'validating', { policy: 'auto_validate' })) sent++;
  return sent;
}
