import type { Queryable } from '../database/queryable.ts';

/**
 * Statement samples: literal texts of a target's statements as clients sent them, read from
 * pg_stat_activity with each activity sample and kept a few per query id
 * (sql/migrations/0013_statement_samples.sql). They give the index advisor real parameter values.
 */

/**
 * Whether the target keeps literal samples (targets.keep_literal_samples). Asked before reading, so
 * a target that does not keep them never has its texts read at all.
 */
export async function keepsLiteralSamples(system: Queryable, targetId: string): Promise<boolean> {
  const { rows } = await system.query<{ keep: boolean }>(
    'select keep_literal_samples as keep from optischema.targets where id = $1',
    [targetId],
  );
  return rows[0]?.keep === true;
}

/**
 * Stores what read_statement_samples() returned on the target. record_statement_samples checks
 * the switch again under its lock and applies the rules (application statements, one statement,
 * values in the text, 5 per query id), so a switch turned off since the read stores nothing.
 */
export async function recordStatementSamples(system: Queryable, targetId: string, samples: unknown): Promise<void> {
  // Query ids travel as JSON numbers, the way read_statements' do (runRead parses both), so a
  // sample names its statement with the very id statement_history has for it: the workload joins
  // the two on it. Both lose precision beyond 2^53 on that path today (JSON.parse): the fix belongs
  // in runRead, which both go through, so they stay alike.
  // jsonb parameters are sent as JSON text: node-postgres would turn a JS array into a PostgreSQL array.
  await system.query('select optischema.record_statement_samples($1, now(), $2::jsonb)', [targetId, JSON.stringify(samples ?? [])]);
}
