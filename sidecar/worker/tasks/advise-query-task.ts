import type pg from 'pg';
import type { Task } from 'graphile-worker';
import { adviseQueries, type QueryAdviceResult } from '../../advisor/advise.ts';
import { servedQuery, storeIndexRecommendations } from '../../advisor/store-recommendations.ts';
import { messageOf } from '../../errors.ts';
import { validateNewByPolicy } from '../recommendations/auto-validate.ts';
import { capturePlans } from '../../plans/capture.ts';
import { AdviseQueryPayload, parsePayload } from '../payloads.ts';
import { withTargetPool } from '../target-pool.ts';
import type { TargetTaskContext } from './periodic-target-task.ts';

type Logger = Parameters<Task>[1]['logger'];

/** graphile-worker runs lower numbers first; validations are queued at 0. */
const AI_REVIEW_PRIORITY = 10;

/**
 * advise_query {target, queryid}: queued by optischema.find_slow_queries() for each newly slow query.
 *
 * 1. Captures the query's plans (the generic plan of its $n text, and EXPLAIN ANALYZE when real
 *    values are known and the statement is read-only: see sidecar/plans/capture.ts) into
 *    optischema.query_plans.
 * 2. Runs the index advisor on its text and stores what it recommends, with the query as evidence
 *    (optischema.record_index_recommendations: deduplicated, a dismissed one stays dismissed).
 * 3. With the sandbox jobs running, queues its ai_review (ai-review-task.ts).
 *
 * A problem with one plan or with the advice (a `$n` text the engine cannot plan yet, hypopg
 * missing on the target) is logged and kept out of the way: the job completes, so a query that
 * cannot be planned does not retry forever. A target that cannot be reached throws: retried.
 */
export function adviseQueryTask(context: TargetTaskContext): Task {
  return async (payload, helpers) => {
    const { target, queryid } = parsePayload(AdviseQueryPayload, 'advise_query', payload);
    const { rows } = await context.system.query<{ query: string }>(
      'select query from optischema.query_texts where target_id = $1 and queryid = $2',
      [target, queryid],
    );
    const location = await context.resolveTarget(target);
    if (!rows[0] || location === null) {
      helpers.logger.info(`advise_query: target ${target} or query ${queryid} is gone; nothing to do`);
      return;
    }
    const query = rows[0].query;
    const authors = await queryAuthors(context.system, target, queryid);
    await withTargetPool(context.system, location, async (pool) => {
      await capture(context.system, pool, target, queryid, query, authors, helpers.logger);
      await advise(context.system, pool, target, queryid, query, authors, helpers.logger);
    });
    // After the engine, so the review knows its recommendations; in the sandbox's queue, where its
    // rewrites are verified, behind the validations (a larger number runs later).
    if (context.aiReview) {
      await helpers.addJob('ai_review', { target, queryid }, { queueName: `sandbox:${target}`, jobKey: `ai_review:${target}:${queryid}`, priority: AI_REVIEW_PRIORITY, maxAttempts: 3 });
    }
  };
}

/**
 * The roles that ran the query, most calls first (pg_stat_statements' userid as the collector
 * kept it): its plans are made with their rights, never the sidecar's (docs/security.md). Empty
 * (no history yet) means the target connection's own role, which then must not be a superuser's
 * to plan as: the guard plans a superuser's statements as the analysis role.
 */
export async function queryAuthors(system: pg.Pool, targetId: string, queryid: string): Promise<string[]> {
  const { rows } = await system.query<{ userid: string }>(
    `select h.userid::text as userid from optischema.statement_history h
      where h.target_id = $1 and h.queryid = $2
      group by h.userid order by sum(h.calls) desc, h.userid`,
    [targetId, queryid],
  );
  return rows.map((r) => r.userid);
}

async function capture(system: pg.Pool, pool: pg.Pool, targetId: string, queryid: string, query: string, authors: string[], logger: Logger): Promise<void> {
  const client = await pool.connect();
  try {
    const result = await capturePlans({ target: client, store: system, targetId, queryid, query, authors });
    const captured = [result.generic && 'generic', result.analyze && 'analyze'].filter(Boolean).join(' and ') || 'no';
    logger.info(`advise_query ${queryid}: ${captured} plan captured${result.errors.length ? `; ${result.errors.join('; ')}` : ''}`);
  } finally {
    client.release();
  }
}

async function advise(system: pg.Pool, pool: pg.Pool, targetId: string, queryid: string, query: string, authors: string[], logger: Logger): Promise<void> {
  let advice: QueryAdviceResult | undefined;
  try {
    [advice] = (await adviseQueries(pool, [query], { authors })).results;
  } catch (error) {
    // hypopg missing or not creatable on the target (ensureHypopg's UserError says what to run), a
    // session lost mid-analysis: the plans are captured; the advice waits for the next slow spell.
    logger.warn(`advise_query ${queryid}: no index advice: ${messageOf(error)}`);
    return;
  }
  if (!advice) return;
  const stored = await storeIndexRecommendations(
    system,
    targetId,
    'advise_query',
    advice.recommendations.map((r) => ({ ...r, queries: [servedQuery(r, query, queryid, advice!.parameters)] })),
  );
  const created = stored.filter((s) => s.created).length;
  const sent = await validateNewByPolicy(system, targetId, stored);
  const found = stored.length === 0 ? 'no index recommended' : `${stored.length} index recommendation(s), ${created} new`;
  logger.info(`advise_query ${queryid}: ${found}${sent ? `, ${sent} sent to the sandbox` : ''}${advice.errors.length ? `; ${advice.errors.join('; ')}` : ''}`);
}
