import { classifyCollectionError, CollectionError } from './collection-errors.ts';
import type { CollectorContext } from './collect-target.ts';
import { readFunctionSql, runRead } from './read-queries.ts';
import { keepsLiteralSamples, recordStatementSamples } from './statement-samples.ts';
import { inCollectorTransaction } from './system-transaction.ts';
import { connectTarget, readOnTarget } from './target-connection.ts';
import { recordTargetProblem, recordTargetSeen } from './target-status.ts';
import type { TargetLocation } from './types.ts';

/**
 * Takes one pg_stat_activity sample of a target and stores it: the counts, and, when the target
 * keeps literal samples, the texts of its sessions' statements (statement-samples.ts).
 *
 *   await sampleActivity({ system }, targetId, { kind: 'local' });
 *
 * - local: optischema.sample_activity(), the function psql users call.
 * - remote: the SELECT texts of optischema.read_activity() (and read_statement_samples()) run on
 *   the target in one read-only transaction, then optischema.record_activity() (and
 *   record_statement_samples()) here, in one transaction.
 * pg_stat_activity needs no extension, so a target without pg_stat_statements is sampled too.
 * Failure: an unreachable target gets status error (last_seen_at kept) and a CollectionError is
 * thrown; other failures only throw. Status ok is the snapshot's to give, not the sampler's.
 */
export async function sampleActivity(context: CollectorContext, targetId: string, location: TargetLocation): Promise<void> {
  try {
    if (location.kind === 'local') {
      await inCollectorTransaction(context.system, (client) => client.query('select optischema.sample_activity()'));
    } else {
      const counts = await readFunctionSql(context.system, 'read_activity');
      // Off: the texts are not even read on the target.
      const texts = (await keepsLiteralSamples(context.system, targetId)) ? await readFunctionSql(context.system, 'read_statement_samples') : null;
      const session = await (context.connect ?? connectTarget)(location.url).catch((error: unknown) => {
        throw new UnreachableTarget(error);
      });
      let sample: { counts: unknown; texts: unknown };
      try {
        sample = await readOnTarget(session, async () => ({
          counts: await runRead(session, counts),
          texts: texts === null ? null : await runRead(session, texts),
        }));
      } finally {
        await session.close();
      }
      await inCollectorTransaction(context.system, async (client) => {
        await client.query('select optischema.record_activity($1, now(), $2::jsonb)', [targetId, JSON.stringify(sample.counts)]);
        if (texts !== null) await recordStatementSamples(client, targetId, sample.texts);
      });
    }
    await recordTargetSeen(context.system, targetId);
  } catch (error) {
    const cause = error instanceof UnreachableTarget ? error.cause : error;
    const problem = classifyCollectionError(cause, location.kind === 'remote' ? location.url : undefined);
    if (error instanceof UnreachableTarget) await recordTargetProblem(context.system, targetId, problem);
    throw new CollectionError(`sampling activity of target ${targetId} failed: ${problem.message}`, { cause });
  }
}

class UnreachableTarget extends Error {
  constructor(cause: unknown) {
    super('unreachable', { cause });
  }
}
