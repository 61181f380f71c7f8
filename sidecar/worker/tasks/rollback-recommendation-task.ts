import type { Task } from 'graphile-worker';
import { ApplyError } from '../../apply/apply-errors.ts';
import { parseRollbackSql, rollbackIndex } from '../../apply/rollback-index.ts';
import { dropIndexSql } from '../../apply/index-statements.ts';
import { followProduction } from '../../sandbox/target-sandbox.ts';
import { messageOf } from '../../errors.ts';
import { parsePayload, RecommendationPayload } from '../payloads.ts';
import { targetUrlOf, withApplyClient, type RecommendationTaskContext } from '../recommendations/context.ts';
import { loadRecommendation, moveRecommendation } from '../recommendations/recommendation-state.ts';

/**
 * rollback_recommendation {recommendationId}: queued when an applied recommendation becomes
 * `rolling_back` (optischema.rollback()). Runs the rollback SQL stored with its change (DROP INDEX
 * CONCURRENTLY IF EXISTS …; rollbackIndex refuses any other text), records it on the change and
 * moves the recommendation to `rolled_back`. Lock waits retry like the apply's; a rollback that
 * cannot be done goes back to `applied`, the reason in its state_reason and the audit log.
 */
export function rollbackRecommendationTask(context: RecommendationTaskContext): Task {
  return async (payload, helpers) => {
    const { recommendationId } = parsePayload(RecommendationPayload, 'rollback_recommendation', payload);
    const rec = await loadRecommendation(context.system, recommendationId);
    if (!rec || rec.state !== 'rolling_back') {
      helpers.logger.info(`rollback_recommendation ${recommendationId}: ${rec ? `now ${rec.state}` : 'gone'}; nothing to do`);
      return;
    }
    const { rows } = await context.system.query<{ id: string; rollback_sql: string }>(
      'select id::text, rollback_sql from optischema.changes where recommendation_id = $1 and rolled_back_at is null',
      [recommendationId],
    );
    const change = rows[0];
    const back = (reason: string, sql: string[] = []) =>
      moveRecommendation(context.system, recommendationId, ['rolling_back'], 'applied', { reason: `rollback failed: ${reason}`, sql, result: 'error' });
    const rollbackSql = change?.rollback_sql ?? rec.rollback_statement;
    const targetUrl = await targetUrlOf(context, rec.target_id);
    if (!rollbackSql || !targetUrl) return void (await back(!rollbackSql ? 'no rollback SQL is stored' : 'the target no longer exists'));
    try {
      const done = await withApplyClient(targetUrl, helpers.abortSignal, (client) => rollbackIndex(client, rollbackSql, context.applyLockTimeoutMs ? { lockTimeoutMs: context.applyLockTimeoutMs } : {}));
      if (change) {
        await context.system.query('update optischema.changes set rolled_back_at = now(), rollback_statements = $2 where id = $1', [change.id, done.statements]);
      }
      await moveRecommendation(context.system, recommendationId, ['rolling_back'], 'rolled_back', { sql: done.statements, existed: done.existed, result: 'ok' });
      const { schema, index } = parseRollbackSql(rollbackSql);
      await followProduction(context, rec.target_id, dropIndexSql(schema, index, false));
      helpers.logger.info(`rollback_recommendation ${recommendationId}: ${done.existed ? 'dropped' : 'the index was already gone'}`);
    } catch (error) {
      if (helpers.abortSignal.aborted) throw error;
      const retryable = error instanceof ApplyError ? error.retryable : true;
      if (!retryable || helpers.job.attempts >= helpers.job.max_attempts) {
        await back(messageOf(error), error instanceof ApplyError ? error.statements : []);
        return;
      }
      throw error;
    }
  };
}
