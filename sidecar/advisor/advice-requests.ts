import type { Queryable } from '../database/queryable.ts';

/**
 * Glossary. An advice request is a question psql asked through optischema.advise(query) or
 * optischema.advise_workload(since, budget_bytes) when plv8 cannot answer it inside PostgreSQL: a
 * row of optischema.advice_requests plus an `advise_request` job. The sidecar answers it here and
 * stores the answer on the row; the caller's next identical call returns it (migration 0009).
 */
export interface AdviceRequest {
  id: string;
  targetId: string;
  kind: 'query' | 'workload';
  /** kind query: the text to advise on. */
  query: string | null;
  /** kind workload: the window, as PostgreSQL prints an interval ('01:00:00'), and the size budget. */
  since: string | null;
  budgetBytes: number | null;
  /** The role that asked (oid as text): a query request is planned with its rights. */
  requestedBy: string | null;
}

/** The advisor's answer as psql gets it back: recommendations (engine objects as they came) and errors. */
export interface AdviceAnswer {
  recommendations: readonly unknown[];
  errors: readonly string[];
}

interface AdviceRequestRow {
  id: string;
  target_id: string;
  kind: 'query' | 'workload';
  query: string | null;
  since: string | null;
  budget_bytes: string | null;
  requested_by: string | null;
}

/**
 * Marks a request as being worked on and returns it; null when it is gone or already answered (a
 * job that ran twice, a request replaced meanwhile).
 */
export async function startAdviceRequest(db: Queryable, requestId: string): Promise<AdviceRequest | null> {
  const { rows } = await db.query<AdviceRequestRow>(
    `update optischema.advice_requests set state = 'running', started_at = now()
      where id = $1 and state <> 'done'
      returning id::text, target_id, kind, query, since::text, budget_bytes::text, requested_by::text`,
    [requestId],
  );
  return rows[0] ? toAdviceRequest(rows[0]) : null;
}

/** Stores the answer on the request and announces it (NOTIFY optischema_advice). */
export async function answerAdviceRequest(db: Queryable, requestId: string, answer: AdviceAnswer): Promise<void> {
  await db.query('select optischema.answer_advice_request($1, $2::jsonb)', [requestId, JSON.stringify(answer)]);
}

function toAdviceRequest(row: AdviceRequestRow): AdviceRequest {
  return {
    id: row.id,
    targetId: row.target_id,
    kind: row.kind,
    query: row.query,
    since: row.since,
    budgetBytes: row.budget_bytes === null ? null : Number(row.budget_bytes),
    requestedBy: row.requested_by,
  };
}
