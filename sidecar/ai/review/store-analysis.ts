import type { Queryable } from '../../database/queryable.ts';
import { dropIndexSql } from '../../apply/index-statements.ts';
import { storeIndexRecommendations } from '../../advisor/store-recommendations.ts';
import type { Review } from './review-query.ts';

export interface AnalysisToStore {
  tenantId: string;
  targetId: string;
  queryid?: string | null;
  query: string;
  provider?: { kind: string; model: string } | null;
  /** The statement's recommendations the analysis speaks to. */
  recommendationIds?: readonly string[];
}

/**
 * Stores one review (optischema.ai_analyses, on the sidecar's own connection). A verified index
 * the model proposed becomes a recommendation first (source ai_review, deduplicated with the
 * engine's), so it goes to the sandbox and the apply policy like any other; its id is kept on the
 * proposal. Returns the analysis id.
 */
export async function storeAnalysis(system: Queryable, item: AnalysisToStore, review: Review): Promise<string> {
  const proposals = [];
  const linked = new Set(item.recommendationIds ?? []);
  for (const proposal of review.proposals) {
    const v = proposal.verification as { state: string; schema?: string; index?: string; table?: string; costBefore?: number; engineCost?: number; costAfter?: number; sizeBytes?: number };
    if (proposal.kind !== 'index' || v.state !== 'verified' || v.schema === undefined || v.index === undefined) {
      proposals.push(proposal);
      continue;
    }
    const costBefore = v.costBefore ?? 0;
    const costAfter = v.costAfter ?? costBefore;
    const improvementPct = costBefore > 0 ? Math.round(((costBefore - costAfter) / costBefore) * 1000) / 10 : 0;
    const [stored] = await storeIndexRecommendations(system, item.targetId, 'ai_review', [{
      sql: proposal.sql,
      rollbackSql: dropIndexSql(v.schema, v.index, /^\s*create\s+index\s+concurrently/i.test(proposal.sql)),
      table: `${v.schema}.${v.table}`,
      costBefore,
      costAfter,
      improvementPct,
      sizeBytes: v.sizeBytes ?? 0,
      rationale: `proposed by the AI review (${proposal.reason}); ${proposal.verification.reason}`,
      queries: [{ ...(item.queryid ? { queryid: item.queryid } : {}), query: item.query, costBefore, costAfter, improvementPct }],
    }]);
    if (stored) linked.add(stored.id);
    proposals.push({ ...proposal, ...(stored ? { recommendationId: stored.id } : {}) });
  }
  const run = review.run;
  const { rows } = await system.query<{ id: string }>(
    `insert into optischema.ai_analyses (tenant_id, target_id, queryid, query, status, provider, model, explanation, findings, proposals, error,
                                         input_tokens, output_tokens, tool_calls, context, transcript)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     returning id`,
    [
      item.tenantId, item.targetId, item.queryid ?? null, item.query, review.status, item.provider?.kind ?? null, item.provider?.model ?? null,
      review.explanation, JSON.stringify(review.findings), JSON.stringify(proposals), review.error ?? null,
      run?.usage.inputTokens ?? 0, run?.usage.outputTokens ?? 0, run?.toolCalls ?? 0,
      review.context ? JSON.stringify(review.context) : null, run ? JSON.stringify(run.transcript) : null,
    ],
  );
  const id = rows[0]!.id;
  if (linked.size > 0) {
    await system.query(
      `insert into optischema.ai_analysis_recommendations (analysis_id, recommendation_id, tenant_id)
       select $1, r, $2 from unnest($3::uuid[]) r on conflict do nothing`,
      [id, item.tenantId, [...linked]],
    );
  }
  return id;
}
