/**
 * How the sidecar's jobs read a recommendation and move it to its next state. Every move goes
 * through the table's transition trigger (0014): it is refused unless legal, and writes the audit
 * row with the details given here (the SQL run, the result) from the transaction-local setting
 * optischema.transition.
 */
import type pg from 'pg';
import { eventChannel } from '../../api/events-plugin.ts';
import type { Queryable } from '../../database/queryable.ts';
import { inTransaction } from '../../database/transaction.ts';
import type { EvidenceQuery } from '../../validation/measured-statements.ts';

export interface RecommendationRow {
  id: string;
  tenant_id: string;
  target_id: string;
  kind: string;
  /** The health advisor's rule and subject; null for the index advisor's recommendations. */
  rule: string | null;
  subject: string | null;
  /** Only SQL comments: steps for a person. */
  manual: boolean;
  state: string;
  statement: string;
  rollback_statement: string | null;
  table_name: string | null;
  improvement_pct: string | null;
  force_reason: string | null;
  validation: { planDiffersFromProduction?: boolean } | null;
  evidence: { queries?: EvidenceQuery[]; advice?: { risk?: { level?: string }; together?: string[] }; finding?: Record<string, unknown> };
}

export async function loadRecommendation(system: Queryable, id: string): Promise<RecommendationRow | null> {
  const { rows } = await system.query<RecommendationRow>(
    `select id, tenant_id, target_id, kind, rule, subject, manual, state, statement, rollback_statement, table_name, improvement_pct::text,
            force_reason, validation, evidence
       from optischema.recommendations where id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** Columns a job writes beside the state. */
export interface StateColumns {
  validation?: unknown;
  measured_improvement_pct?: number | null;
  apply_at?: string;
}

/**
 * Moves the recommendation from one of `from` to `to`, with `details` for the audit row (a
 * `reason` becomes its state_reason). Returns false, changing nothing, when it was no longer in
 * one of `from` (dismissed meanwhile, another job got there first).
 */
export async function moveRecommendation(
  system: pg.Pool,
  id: string,
  from: readonly string[],
  to: string,
  details: Record<string, unknown> = {},
  columns: StateColumns = {},
): Promise<boolean> {
  return inTransaction(system, { 'optischema.transition': JSON.stringify(details) }, async (db) => {
    const { rowCount } = await db.query(
      `update optischema.recommendations
          set state = $3,
              state_reason = $4,
              validation = case when $5::boolean then $6::jsonb else validation end,
              validated_at = case when $5::boolean then now() else validated_at end,
              measured_improvement_pct = case when $5::boolean then $7::numeric else measured_improvement_pct end,
              apply_at = coalesce($8::timestamptz, apply_at)
        where id = $1 and state = any ($2::text[])`,
      [
        id,
        from,
        to,
        typeof details.reason === 'string' ? details.reason : null,
        columns.validation !== undefined,
        columns.validation === undefined ? null : JSON.stringify(columns.validation),
        columns.measured_improvement_pct ?? null,
        columns.apply_at ?? null,
      ],
    );
    return rowCount === 1;
  });
}

/** A live event on the tenant's channel (the API's `events` subscription). */
export async function publishEvent(system: Queryable, tenantId: string, payload: Record<string, unknown>): Promise<void> {
  await system.query('select pg_notify($1, $2)', [eventChannel(tenantId), JSON.stringify(payload)]);
}
