import type pg from 'pg';
import type { Task } from 'graphile-worker';
import { ApplyError, applyIndex, type ApplySettings } from '../../apply/apply-index.ts';
import { applyMaintenance } from '../../apply/apply-maintenance.ts';
import { dropIndexSql, qualified, specOf } from '../../apply/index-statements.ts';
import { parseRollbackSql, rollbackIndex } from '../../apply/rollback-index.ts';
import { parseIndexDdl, plainIndexDdl } from '../../database/index-ddl.ts';
import { messageOf } from '../../errors.ts';
import { parsePayload, RecommendationPayload } from '../payloads.ts';
import { targetUrlOf, withApplyClient, type RecommendationTaskContext } from '../recommendations/context.ts';
import { changeKindOf, type ChangeKind } from '../recommendations/change-kind.ts';
import { loadRecommendation, moveRecommendation, type RecommendationRow } from '../recommendations/recommendation-state.ts';
import { followProduction } from '../../sandbox/target-sandbox.ts';
import { queueRealizedGain } from './realized-gain-task.ts';

/**
 * apply_recommendation {recommendationId}: queued when a recommendation becomes `scheduled`, to
 * run at its apply_at (graphile-worker's run_at: a maintenance window). Moves it to `applying`,
 * makes the change on the production target as the target connection's role (the apply role of
 * docs/security.md) — an index built with sidecar/apply/applyIndex (CONCURRENTLY, bounded lock
 * waits, no invalid leftover, idempotent), an index dropped, or a health recommendation's checked
 * maintenance and setting statements (change-kind.ts) — records the change with its exact
 * statements and rollback SQL in optischema.changes, moves it to `applied` and, for an index
 * advisor's index, queues the realized-gain measurement.
 *
 * A lock not granted within lock_timeout (or a lost session) throws: graphile-worker retries with
 * exponential backoff while the state stays `applying`, and the audit log has each attempt. The
 * last attempt, or an error no retry can mend (the table gone or changed, missing rights), moves
 * it to `failed` with the reason. A sidecar killed mid-build leaves an INVALID index on the
 * target; the retry finds and drops it before it builds again.
 */
export function applyRecommendationTask(context: RecommendationTaskContext): Task {
  return async (payload, helpers) => {
    const { recommendationId } = parsePayload(RecommendationPayload, 'apply_recommendation', payload);
    const rec = await loadRecommendation(context.system, recommendationId);
    if (!rec || !['scheduled', 'applying'].includes(rec.state)) {
      helpers.logger.info(`apply_recommendation ${recommendationId}: ${rec ? `now ${rec.state}` : 'gone'}; nothing to do`);
      return;
    }
    if (rec.state === 'scheduled' && !(await moveRecommendation(context.system, recommendationId, ['scheduled'], 'applying', { attempt: helpers.job.attempts }))) return;
    const failed = (reason: string, statements: string[] = []) =>
      moveRecommendation(context.system, recommendationId, ['applying'], 'failed', { reason, sql: statements, result: 'error' });
    const targetUrl = await targetUrlOf(context, rec.target_id);
    if (!targetUrl) return void (await failed('the target no longer exists'));
    try {
      await withApplyClient(targetUrl, helpers.abortSignal, async (client) => {
        const change = changeKindOf(rec);
        if (change === 'manual') return void (await failed('this recommendation is steps to follow by hand, not SQL OptiSchema runs'));
        if (change === 'create_index') {
          const missing = await missingCompanions(client, rec.statement, rec.evidence.advice?.together ?? []);
          if (missing.length > 0) {
            return void (await failed(`its estimate and validation assume ${missing.join(' and ')} in place, which the target does not have: apply ${missing.length === 1 ? 'that one' : 'those'} first`));
          }
        }
        const applied = await applyChange(client, rec, change, context.applyLockTimeoutMs ? { lockTimeoutMs: context.applyLockTimeoutMs } : {});
        const { rows } = await context.system.query<{ id: string }>(
          `insert into optischema.changes (tenant_id, target_id, recommendation_id, statements, rollback_sql, build_ms, forced)
           select r.tenant_id, r.target_id, r.id, $2, $3, $4, r.force_reason is not null from optischema.recommendations r where r.id = $1
           on conflict (recommendation_id) where rolled_back_at is null
             do update set statements = optischema.changes.statements || excluded.statements
           returning id::text`,
          [recommendationId, applied.statements, applied.rollbackSql, applied.ms],
        );
        await moveRecommendation(context.system, recommendationId, ['applying'], 'applied', {
          sql: applied.statements,
          rollbackSql: applied.rollbackSql,
          alreadyPresent: applied.alreadyPresent,
          buildMs: Math.round(applied.ms),
          result: 'ok',
        });
        // The realized gain compares the served statements before and after: an index built has them.
        if (rows[0] && change === 'create_index' && rec.kind === 'index') await queueRealizedGain(context.system, rows[0].id);
        if (applied.sandboxFollows) await followProduction(context, rec.target_id, applied.sandboxFollows);
        helpers.logger.info(`apply_recommendation ${recommendationId}: ${applied.alreadyPresent ? 'already done' : `${change}: ${applied.statements.length} statement(s)`}`);
      });
    } catch (error) {
      if (helpers.abortSignal.aborted) throw error;
      const last = helpers.job.attempts >= helpers.job.max_attempts;
      const retryable = error instanceof ApplyError ? error.retryable : true;
      const statements = error instanceof ApplyError ? error.statements : [];
      if (!retryable || last) {
        await failed(messageOf(error), statements);
        helpers.logger.warn(`apply_recommendation ${recommendationId}: failed: ${messageOf(error)}`);
        return;
      }
      // Still applying; the audit log keeps the attempt, graphile-worker the retry.
      await context.system.query(
        `insert into optischema.audit_log (tenant_id, actor_label, action, object_type, object_id, result, details)
         select r.tenant_id, session_user, 'recommendation.apply_attempt', 'recommendation', r.id::text, 'error', $2
           from optischema.recommendations r where r.id = $1`,
        [recommendationId, JSON.stringify({ attempt: helpers.job.attempts, of: helpers.job.max_attempts, reason: messageOf(error), sql: statements })],
      );
      throw error;
    }
  };
}

interface AppliedChange {
  statements: string[];
  rollbackSql: string | null;
  alreadyPresent: boolean;
  ms: number;
  /** The statement that keeps the sandbox like production (an index built or dropped there too). */
  sandboxFollows?: string;
}

/** Runs the change on the target (change-kind.ts says which), with its rollback. */
async function applyChange(client: pg.ClientBase, rec: RecommendationRow, change: Exclude<ChangeKind, 'manual'>, settings: ApplySettings): Promise<AppliedChange> {
  if (change === 'create_index') {
    const applied = await applyIndex(client, rec.statement, settings);
    return { ...applied, sandboxFollows: plainIndexDdl(rec.statement, { ifNotExists: true }) };
  }
  if (change === 'drop_index') {
    // The drop is the stored DROP INDEX … IF EXISTS, parsed and rebuilt from its names; its
    // rollback, the CREATE INDEX the health check read from the catalog, runs through applyIndex.
    if (!rec.rollback_statement) throw new ApplyError('failed', 'refusing to drop an index without the CREATE INDEX that rebuilds it');
    specOf(rec.rollback_statement);
    const started = performance.now();
    const dropped = await rollbackIndex(client, rec.statement, settings);
    const { schema, index } = parseRollbackSql(rec.statement);
    return { statements: dropped.statements, rollbackSql: rec.rollback_statement, alreadyPresent: !dropped.existed, ms: performance.now() - started, sandboxFollows: dropIndexSql(schema, index, false) };
  }
  const applied = await applyMaintenance(client, rec.subject ?? rec.id, rec.statement, settings);
  return { ...applied, rollbackSql: rec.rollback_statement, alreadyPresent: false };
}

/**
 * The indexes a recommendation was estimated and validated beside (`together`: the other arms of
 * one OR, the index chosen before it for a join) that the target lacks: alone it would not do what
 * was measured, so it is not applied alone.
 */
async function missingCompanions(target: pg.ClientBase, ddl: string, together: readonly string[]): Promise<string[]> {
  const own = parseIndexDdl(ddl).index;
  const missing: string[] = [];
  for (const other of together) {
    const { schema, index } = parseIndexDdl(other);
    if (index === own) continue;
    const { rows } = await target.query<{ valid: boolean }>(
      'select i.indisvalid as valid from pg_catalog.pg_index i where i.indexrelid = to_regclass($1)',
      [qualified(schema, index)],
    );
    if (!rows[0]?.valid) missing.push(`${schema}.${index}`);
  }
  return missing;
}
