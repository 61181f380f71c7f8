import type { Queryable } from '../database/queryable.ts';

/**
 * The read_* functions of sql/migrations/0006_collector_functions.sql (and 0013's
 * read_statement_samples): plain SELECTs over statistics views.
 */
export type ReadFunction = 'read_statements' | 'read_statements_info' | 'read_tables' | 'read_indexes' | 'read_activity' | 'read_statement_samples';

/**
 * The SELECT text of one read_* function, from OptiSchema's own database, to run on a remote target.
 *
 * Why from pg_proc and not a copy in TypeScript: the SQL function is the one implementation. Local
 * collection (optischema.snapshot(), psql, pg_cron) and remote collection then read exactly the same
 * columns with the same filters, a migration that changes a read_* function changes both, and the
 * record_* functions only ever see rows of the shape their own migration expects.
 */
export async function readFunctionSql(system: Queryable, name: ReadFunction): Promise<string> {
  const { rows } = await system.query<{ prosrc: string }>(
    'select prosrc from pg_proc where oid = to_regprocedure($1)',
    [`optischema.${name}()`],
  );
  const text = rows[0]?.prosrc;
  if (!text) throw new Error(`optischema.${name}() is missing from OptiSchema's database: run optischema migrate`);
  return text;
}

/** Runs a read_* text on a target; each returns one jsonb value. */
export async function runRead(target: Queryable, text: string): Promise<unknown> {
  const { rows } = await target.query<Record<string, unknown>>(text);
  const row = rows[0];
  return row ? Object.values(row)[0] ?? null : null;
}
