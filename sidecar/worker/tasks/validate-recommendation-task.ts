import type pg from 'pg';
import type { Task } from 'graphile-worker';
import { dropIndexSql } from '../../apply/index-statements.ts';
import { parseIndexDdl } from '../../database/index-ddl.ts';
import { messageOf } from '../../errors.ts';
import { SandboxError } from '../../sandbox/isolation.ts';
import { withClient } from '../../sandbox/sandbox-database.ts';
import { ensureSandbox } from '../../sandbox/target-sandbox.ts';
import { measuredStatements } from '../../validation/measured-statements.ts';
import { otherStatementsOnTable } from '../../validation/table-statements.ts';
import { validateFinding } from '../../validation/validate-finding.ts';
import { validateIndex } from '../../validation/validate-index.ts';
import { parsePayload, RecommendationPayload } from '../payloads.ts';
import { applyPolicy, autoApplies } from '../recommendations/apply-policy.ts';
import { targetUrlOf, type RecommendationTaskContext } from '../recommendations/context.ts';
import { loadRecommendation, moveRecommendation, publishEvent, type RecommendationRow } from '../recommendations/recommendation-state.ts';

/**
 * validate_recommendation {recommendationId}: queued when a recommendation becomes `validating`
 * (optischema.validate(), the API, the CLI). Gets the target's sandbox (made the first time,
 * reused after), measures the index there (sidecar/validation/validate-index.ts), or a health
 * recommendation the way its rule allows (validate-finding.ts), and moves the recommendation to
 * validated, rejected or inconclusive with the measurement; then, for an index and when the
 * target's policy says so, schedules the apply (health recommendations are applied by a person).
 *
 * Progress goes out as `validation_progress` events. A sandbox that cannot be made or reached
 * makes the verdict inconclusive with the error (no retry storm against a full disk); any other
 * failure is retried by graphile-worker, and the last attempt records it as inconclusive. A
 * sidecar killed mid-run leaves the job locked; it runs again once unlocked (stale-jobs.ts), and an
 * index an interrupted run left in the sandbox is dropped before measuring. A sidecar shutting
 * down (graphile-worker's abort signal, 5 s after the stop) ends the copy and the measurement's
 * sessions; the job is then retried, not judged.
 */
export function validateRecommendationTask(context: RecommendationTaskContext): Task {
  return async (payload, helpers) => {
    const { recommendationId } = parsePayload(RecommendationPayload, 'validate_recommendation', payload);
    const rec = await loadRecommendation(context.system, recommendationId);
    if (!rec || rec.state !== 'validating') {
      helpers.logger.info(`validate_recommendation ${recommendationId}: ${rec ? `now ${rec.state}` : 'gone'}; nothing to do`);
      return;
    }
    const progress = (stage: string, done?: number, total?: number) =>
      publishEvent(context.system, rec.tenant_id, { kind: 'validation_progress', target: rec.target_id, recommendationId, stage, done, total }).catch(() => undefined);
    const inconclusive = (reason: string) => moveRecommendation(context.system, recommendationId, ['validating'], 'inconclusive', { reason, result: 'error' });
    try {
      const targetUrl = await targetUrlOf(context, rec.target_id);
      if (!targetUrl) return void (await inconclusive('the target no longer exists'));
      await progress('sandbox');
      const signal = helpers.abortSignal;
      const sandbox = await ensureSandbox(context, rec.target_id, targetUrl, { signal, onProgress: (p) => void progress(`sandbox ${p.phase}`, p.done, p.total) });
      const validation = rec.kind !== 'index'
        ? await withClient(sandbox.url, (sandboxClient) => validateFinding({ sandbox: sandboxClient, system: context.system, rec, ...(context.validationRuns ? { runs: context.validationRuns } : {}) }), signal)
        : await withClient(sandbox.url, (sandboxClient) =>
        withClient(targetUrl, async (production) => {
          const { statements: served, skipped } = measuredStatements(rec.evidence.queries ?? []);
          const others = rec.table_name
            ? await otherStatementsOnTable(context.system, rec.target_id, rec.table_name, served.flatMap((s) => (s.queryid ? [s.queryid] : [])))
            : [];
          await dropLeftover(sandboxClient, rec.statement);
          return validateIndex({
            sandbox: sandboxClient,
            production,
            ddl: rec.statement,
            served,
            ...(rec.evidence.advice?.together?.length ? { together: rec.evidence.advice.together } : {}),
            others: others.filter((o) => !served.some((s) => s.query === o.query)),
            skipped,
            comparePlans: sandbox.strategy === 'sample',
            ...(context.validationRuns ? { runs: context.validationRuns } : {}),
            onProgress: (p) => void progress(`measuring ${p.phase}`, p.done, p.total),
          });
        }, signal),
      signal);
      const moved = await moveRecommendation(
        context.system,
        recommendationId,
        ['validating'],
        validation.verdict.state,
        { reason: validation.verdict.reason, sandbox: { strategy: sandbox.strategy, database: sandbox.database }, result: validation.verdict.state === 'inconclusive' ? 'error' : 'ok' },
        { validation: { ...validation.report, sandbox: { strategy: sandbox.strategy, database: sandbox.database } }, measured_improvement_pct: validation.measuredImprovementPct },
      );
      helpers.logger.info(`validate_recommendation ${recommendationId}: ${validation.verdict.state}: ${validation.verdict.reason}`);
      const planDiffers = 'planDiffersFromProduction' in validation.report && validation.report.planDiffersFromProduction === true;
      if (moved && validation.verdict.state === 'validated' && rec.kind === 'index') await applyByPolicy(context, rec, planDiffers, helpers.logger);
    } catch (error) {
      // A sidecar shutting down: the job runs again later (the next sidecar takes it).
      if (helpers.abortSignal.aborted) throw error;
      const last = helpers.job.attempts >= helpers.job.max_attempts;
      if (error instanceof SandboxError || last) {
        await inconclusive(messageOf(error));
        helpers.logger.warn(`validate_recommendation ${recommendationId}: inconclusive: ${messageOf(error)}`);
        return;
      }
      throw error;
    }
  };
}

/** The index of that name in the sandbox, left by a run that was interrupted before it dropped it. */
async function dropLeftover(sandbox: pg.ClientBase, ddl: string): Promise<void> {
  const { schema, index } = parseIndexDdl(ddl);
  await sandbox.query(dropIndexSql(schema, index, false));
}

async function applyByPolicy(context: RecommendationTaskContext, rec: RecommendationRow, planDiffers: boolean, logger: { info(m: string): void }): Promise<void> {
  const policy = await applyPolicy(context.system, rec.target_id);
  if (!policy) return;
  const decision = autoApplies(policy, rec, planDiffers);
  if (!decision.yes) return;
  await moveRecommendation(context.system, rec.id, ['validated'], 'scheduled', { policy: policy.autoApply, at: policy.at, reason: decision.why }, { apply_at: policy.at });
  logger.info(`validate_recommendation ${rec.id}: scheduled for ${policy.at}: ${decision.why}`);
}
