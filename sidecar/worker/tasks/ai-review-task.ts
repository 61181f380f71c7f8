import type { Task } from 'graphile-worker';
import type pg from 'pg';
import { tenantAiSettings } from '../../ai/ai-settings.ts';
import { createProvider, type ProviderConfig } from '../../ai/providers/provider.ts';
import { reviewQuery } from '../../ai/review/review-query.ts';
import { storeAnalysis } from '../../ai/review/store-analysis.ts';
import type { SandboxAccess } from '../../ai/review/verify-rewrites.ts';
import { messageOf } from '../../errors.ts';
import { SandboxError } from '../../sandbox/isolation.ts';
import { withClient } from '../../sandbox/sandbox-database.ts';
import { ensureSandbox } from '../../sandbox/target-sandbox.ts';
import { AiReviewPayload, parsePayload } from '../payloads.ts';
import { queryAuthors } from './advise-query-task.ts';
import { targetUrlOf, type RecommendationTaskContext } from '../recommendations/context.ts';

export interface AiReviewContext extends RecommendationTaskContext {
  /** The sidecar's default provider (its environment), for tenants without their own. */
  defaultProvider: ProviderConfig | null;
}

/**
 * ai_review {target, queryid}: queued by advise_query after the engine has spoken, in the target's
 * sandbox queue (rewrites are verified on the sandbox, which validations share) at a lower
 * priority than validations. Reviews the statement (sidecar/ai/review/review-query.ts): the
 * rewriter always; the model when the tenant has one and is under its monthly token budget and
 * its hourly rate (optischema.ai_allowance). A provider that fails is recorded as a failed
 * analysis; the engine's recommendations are not touched by it.
 */
export function aiReviewTask(context: AiReviewContext): Task {
  return async (payload, helpers) => {
    const { target, queryid } = parsePayload(AiReviewPayload, 'ai_review', payload);
    const { rows } = await context.system.query<{ tenant_id: string; query: string; plan: unknown }>(
      `select t.tenant_id, q.query,
              (select p.plan from optischema.query_plans p where p.target_id = t.id and p.queryid = q.queryid
                order by (p.kind = 'analyze') desc, p.captured_at desc limit 1) as plan
         from optischema.targets t join optischema.query_texts q on q.target_id = t.id and q.queryid = $2
        where t.id = $1`,
      [target, queryid],
    );
    const item = rows[0];
    const targetUrl = item ? await targetUrlOf(context, target) : null;
    if (!item || !targetUrl) return void helpers.logger.info(`ai_review ${queryid}: the target or the statement is gone; nothing to do`);

    const settings = await tenantAiSettings(context.system, item.tenant_id, { fallback: context.defaultProvider, ...(context.secretBox ? { secretBox: context.secretBox } : {}) });
    let providerConfig = settings.provider;
    if (providerConfig) {
      const { rows: allowance } = await context.system.query<{ allowed: boolean }>('select allowed from optischema.ai_allowance($1)', [item.tenant_id]);
      if (!allowance[0]?.allowed) {
        helpers.logger.info(`ai_review ${queryid}: the tenant's AI budget or hourly rate is spent; the rewriter alone reviews it`);
        providerConfig = null;
      }
    }
    const engine = await engineAdvice(context.system, target, queryid);
    const authors = await queryAuthors(context.system, target, queryid);
    const signal = helpers.abortSignal;
    const sandbox: SandboxAccess = {
      run: async (work) => {
        const made = await ensureSandbox(context, target, targetUrl, { ...(signal ? { signal } : {}) });
        return withClient(made.url, work, signal);
      },
    };
    const review = await withClient(targetUrl, async (client) =>
      reviewQuery({
        target: client,
        query: item.query,
        authors,
        ...(item.plan ? { plan: item.plan } : {}),
        engine: engine.map((e) => ({ sql: e.statement, costBefore: e.cost_before ?? 0, costAfter: e.cost_after ?? 0, rationale: e.rationale })),
        provider: providerConfig ? await createProvider(providerConfig) : null,
        allowLiterals: settings.sendLiterals,
        sandbox,
        ...(signal ? { signal } : {}),
      }), signal).catch((error: unknown) => {
      if (error instanceof SandboxError) throw error;
      throw new Error(`ai_review ${queryid}: ${messageOf(error)}`, { cause: error });
    });
    if (review.status === 'deterministic' && review.proposals.length === 0) return void helpers.logger.debug(`ai_review ${queryid}: nothing to rewrite`);
    const id = await storeAnalysis(context.system, {
      tenantId: item.tenant_id,
      targetId: target,
      queryid,
      query: item.query,
      provider: providerConfig ? { kind: providerConfig.kind, model: providerConfig.model } : null,
      recommendationIds: engine.map((e) => e.id),
    }, review);
    const verified = review.proposals.filter((p) => p.verification.state === 'verified').length;
    helpers.logger.info(`ai_review ${queryid}: ${review.status}, ${review.proposals.length} proposal(s), ${verified} verified (analysis ${id})${review.error ? `: ${review.error}` : ''}`);
  };
}

/** The engine's recommendations for the statement (its evidence names the query id). */
async function engineAdvice(system: pg.Pool, targetId: string, queryid: string) {
  const { rows } = await system.query<{ id: string; statement: string; cost_before: number | null; cost_after: number | null; rationale: string }>(
    `select r.id, r.statement, r.cost_before, r.cost_after, r.rationale from optischema.recommendations r
      where r.target_id = $1 and r.kind = 'index' and r.state not in ('dismissed', 'rolled_back')
        and r.evidence -> 'queries' @> jsonb_build_array(jsonb_build_object('queryid', $2::text))
        and not (r.evidence -> 'sources') ? 'ai_review'
      order by r.created_at`,
    [targetId, queryid],
  );
  return rows;
}
