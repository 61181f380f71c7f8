import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { inRolledBackTransaction } from '../../plans/rolled-back-transaction.ts';

const TABLE_FACTS_SQL = readFileSync(new URL('./table-facts.sql', import.meta.url), 'utf8');
const LIMITS = { statementTimeoutMs: 5_000, lockTimeoutMs: 1_000 };

/**
 * One table's facts as the model sees them (also its `table_facts` tool): columns, types, NOT
 * NULL, rows, size, indexes, and column statistics for `columns` (all columns when not given):
 * frequencies always, values (most common, histogram bounds) only with `allowLiterals`.
 * Read-only, in a transaction that is rolled back, with a timeout.
 *
 * @example
 *   await tableFactsForModel(client, '"Sales"."Orders"', { allowLiterals: false });
 *   // { table: '"Sales"."Orders"', rows: 60000, columns: [{ name: 'id', type: 'bigint', notNull: true }, …], indexes: [...], statistics: [...] }
 */
export async function tableFactsForModel(target: pg.ClientBase, table: string, options: { allowLiterals: boolean; columns?: readonly string[] }): Promise<Record<string, unknown>> {
  const facts = await inRolledBackTransaction(target, LIMITS, async () => {
    const columns = options.columns ?? (await target.query<{ name: string }>(
      'select attname as name from pg_attribute where attrelid = to_regclass($1) and attnum > 0 and not attisdropped', [table])).rows.map((r) => r.name);
    const { rows } = await target.query<{ facts: Record<string, unknown> }>(TABLE_FACTS_SQL, [table, columns, options.allowLiterals]);
    return rows[0]?.facts;
  }).catch((error: unknown) => {
    // to_regclass refuses a malformed name with a syntax error: the same answer as an unknown one.
    if ((error as { code?: string }).code === '42601' || (error as { code?: string }).code === '42602') return undefined;
    throw error;
  });
  if (!facts) throw new Error(`no table ${table}`);
  return facts;
}
