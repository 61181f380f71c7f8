import type { Task } from 'graphile-worker';
import { ApplyError } from '../../apply/apply-errors.ts';
import type pg from 'pg';
import { applyIndex } from '../../apply/apply-index.ts';
import { applyMaintenance } from '../../apply/apply-maintenance.ts';
import type { ApplySettings } from '../../apply/apply-session.ts';
import { parseRollbackSql, rollbackIndex } from '../../apply/rollback-index.ts';
import { dropIndexSql } from '../../apply/index-statements.ts';
import { plainIndexDdl } from '../../database/index-ddl.ts';
import { changeKindOf, type ChangeKind } from '../recommendations/change-kind.ts';
import { followProduction } from '../../sandbox/target-sandbox.ts';
import { messageOf } from '../../errors.ts';
import { parsePayload, RecommendationPayload } from '../payloads.ts';
import { targetUrlOf, withApplyClient, type RecommendationTaskContext } from '../recommendations/context.ts';
import { loadRecommendation, moveRecommendation, type RecommendationRow } from '../recommendations/recommendation-state.ts';

/**
 * rollback_recommendation {recommendationId}: queued when an applied recommendation becomes
 * `rolling_back` (optischema.rollback()). Runs the rollback SQL stored with its change — the DROP
 * INDEX of a built index (rollbackIndex refuses any other text), the CREATE INDEX of a dropped one
 * (applyIndex), the checked statements of a maintenance or setting change (apply-maintenance.ts) —
 * records it on the change and moves the recommendation to `rolled_back`. Lock waits retry like the apply's; a rollback that
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
    const { rows } = await context.system.query<{ id: string; rollback_sql: string | null }>(
      'select id::text, rollback_sql from optischema.changes where recommendation_id = $1 and rolled_back_at is null',
      [recommendationId],
    );
    const changeRow = rows[0];
    const back = (reason: string, sql: string[] = []) =>
      moveRecommendation(context.system, recommendationId, ['rolling_back'], 'applied', { reason: `rollback failed: ${reason}`, sql, result: 'error' });
    const rollbackSql = changeRow ? changeRow.rollback_sql : rec.rollback_statement;
    const targetUrl = await targetUrlOf(context, rec.target_id);
    if (!rollbackSql || !targetUrl) return void (await back(!rollbackSql ? 'no rollback SQL is stored' : 'the target no longer exists'));
    try {
      const change = changeKindOf(rec);
      const done = await withApplyClient(targetUrl, helpers.abortSignal, (client) => undo(client, rec, change, rollbackSql, context.applyLockTimeoutMs ? { lockTimeoutMs: context.applyLockTimeoutMs } : {}));
      if (changeRow) {
        await context.system.query('update optischema.changes set rolled_back_at = now(), rollback_statements = $2 where id = $1', [changeRow.id, done.statements]);
      }
      await moveRecommendation(context.system, recommendationId, ['rolling_back'], 'rolled_back', { sql: done.statements, existed: done.existed, result: 'ok' });
      if (done.sandboxFollows) await followProduction(context, rec.target_id, done.sandboxFollows);
      helpers.logger.info(`rollback_recommendation ${recommendationId}: ${done.statements.length} statement(s) run`);
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

interface Undone {
  statements: string[];
  existed: boolean;
  sandboxFollows?: string;
}

/** The rollback of one kind of change (change-kind.ts). */
async function undo(client: pg.ClientBase, rec: RecommendationRow, change: ChangeKind, rollbackSql: string, settings: ApplySettings): Promise<Undone> {
  if (change === 'drop_index') {
    const built = await applyIndex(client, rollbackSql, settings);
    return { statements: built.statements, existed: built.alreadyPresent, sandboxFollows: plainIndexDdl(rollbackSql, { ifNotExists: true }) };
  }
  if (change === 'maintenance') {
    const ran = await applyMaintenance(client, rec.subject ?? rec.id, rollbackSql, settings);
    return { statements: ran.statements, existed: true };
  }
  const dropped = await rollbackIndex(client, rollbackSql, settings);
  const { schema, index } = parseRollbackSql(rollbackSql);
  return { ...dropped, sandboxFollows: dropIndexSql(schema, index, false) };
}
