import type { Queryable } from '../database/queryable.ts';
import type { HealthReport } from './run-health.ts';

export interface StoredFinding {
  id: string;
  /** false: found before for this target; that row was refreshed (or brought back from "no longer found"). */
  created: boolean;
  state: string;
  kind: string;
  rule: string;
  subject: string;
}

/**
 * Stores one health check of a target as recommendations (optischema.record_health_findings in
 * 0017): new findings proposed, repeats refreshed, and the findings of the advisors that ran but no
 * longer reported dismissed as no longer found. An advisor that failed keeps its earlier findings.
 *
 *   await storeHealthReport(system, targetId, report); // [{ id, created: true, state: 'proposed', kind: 'index_hygiene', rule: 'unused_index', subject: 'public.x_idx' }]
 */
export async function storeHealthReport(db: Queryable, targetId: string, report: HealthReport): Promise<StoredFinding[]> {
  if (report.ran.length === 0) return [];
  const { rows } = await db.query<{ recommendation_id: string; created: boolean; state: string; kind: string; rule: string; subject: string }>(
    'select * from optischema.record_health_findings($1, $2::text[], $3::jsonb)',
    [targetId, report.ran, JSON.stringify(report.findings)],
  );
  return rows.map((r) => ({ id: r.recommendation_id, created: r.created, state: r.state, kind: r.kind, rule: r.rule, subject: r.subject }));
}
