import type { RecommendationRow } from './recommendation-state.ts';

/**
 * What applying a recommendation does to the target, from its kind and statement:
 *  - create_index: the index advisor's CREATE INDEX, or index hygiene's missing foreign-key index
 *    (sidecar/apply/apply-index.ts; rollback drops it);
 *  - drop_index: index hygiene's DROP INDEX of an unused, duplicate, redundant or invalid index
 *    (rollback-index.ts drops it; the rollback builds it again from the stored CREATE INDEX);
 *  - maintenance: statistics, VACUUM, autovacuum parameters, server settings
 *    (apply-maintenance.ts; the rollback runs the stored rollback statements the same way);
 *  - manual: only SQL comments, steps for a person (the table's trigger refuses to schedule it).
 */
export type ChangeKind = 'create_index' | 'drop_index' | 'maintenance' | 'manual';

export function changeKindOf(rec: Pick<RecommendationRow, 'kind' | 'statement' | 'manual'>): ChangeKind {
  if (rec.manual) return 'manual';
  if (rec.kind === 'index') return 'create_index';
  if (/^\s*create\s+(unique\s+)?index\b/i.test(rec.statement)) return 'create_index';
  if (/^\s*drop\s+index\b/i.test(rec.statement)) return 'drop_index';
  return 'maintenance';
}
