import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { quoteIdent } from '../../../plv8/engine/quote-ident.ts';
import { inRolledBackTransaction, type TransactionLimits } from '../../plans/rolled-back-transaction.ts';
import { redactExpression } from './redact-plan.ts';

const TABLE_FACTS_SQL = readFileSync(new URL('./table-facts.sql', import.meta.url), 'utf8');
/** Catalog reads only, but on someone's production database: short, and never queued behind DDL. */
const LIMITS: TransactionLimits = { statementTimeoutMs: 5_000, lockTimeoutMs: 1_000 };

/** A row of table-facts.sql, as PostgreSQL returns it. */
export interface TableFactsRow {
  ord: string;
  schema: string;
  name: string;
  kind: string;
  rows_estimate: number | null;
  total_bytes: number;
  heap_bytes: number;
  columns: { name: string; type: string; notNull: boolean }[];
  indexes: { name: string; definition: string; valid: boolean }[];
  statistics: {
    column: string; nullFrac: number | null; nDistinct: number | null; correlation: number | null;
    mostCommonFreqs: number[] | null; mostCommonVals?: string[] | null; histogramBounds?: string[] | null;
  }[];
}

/** One table as the model is told about it (and as the table_facts tool returns it). */
export interface TableFacts {
  /** The table's SQL name, schema-qualified and quoted as needed. */
  table: string;
  kind: 'table' | 'partitioned table' | 'view' | 'materialized view' | 'foreign table';
  /** The planner's estimate (pg_class.reltuples); null when the table was never analyzed. */
  rowsEstimate: number | null;
  /** pg_total_relation_size (heap, indexes, TOAST) and pg_relation_size (heap alone), in bytes. */
  totalBytes: number;
  heapBytes: number;
  columns: { name: string; type: string; notNull: boolean }[];
  /** pg_get_indexdef; constants in partial-index predicates and expressions are `$?` unless values are allowed. */
  indexes: { name: string; definition: string; valid: boolean }[];
  /** pg_stats; `mostCommonVals` and `histogramBounds` only when values are allowed. */
  statistics: {
    column: string; nullFrac: number | null; nDistinct: number | null; correlation: number | null;
    mostCommonFreqs: number[]; mostCommonVals?: string[]; histogramBounds?: string[];
  }[];
}

export interface ReadOptions {
  allowLiterals: boolean;
  /** Columns whose statistics are read; all when absent. */
  columns?: readonly string[];
}

/**
 * One table's facts for the model (its `table_facts` tool): columns, types, NOT NULL, the row
 * estimate, sizes, indexes, and column statistics (frequencies always; values only with
 * `allowLiterals`). `table` is SQL text, resolved with to_regclass as written: `"Order Items"`,
 * `"Sales"."Order Items"`, `orders`. Unknown or malformed → Error `no table <name>`.
 *
 * @example
 *   await tableFactsForModel(client, '"Sales"."Order Items"', { allowLiterals: false });
 *   // { table: '"Sales"."Order Items"', kind: 'table', rowsEstimate: 5000, columns: [{ name: 'id', type: 'bigint', notNull: true }, …], … }
 */
export async function tableFactsForModel(target: pg.ClientBase, table: string, options: { allowLiterals: boolean }): Promise<TableFacts> {
  let found: TableFacts[];
  try {
    found = await readTableFacts(target, [table], options);
  } catch (error) {
    // to_regclass refuses a malformed name (42602 invalid name syntax, 42601 too many dotted
    // names): for the model that is the same answer as a name that does not exist.
    const code = (error as { code?: string }).code;
    if (code === '42601' || code === '42602') throw new Error(`no table ${table}`, { cause: error });
    throw error;
  }
  if (found.length === 0) throw new Error(`no table ${table}`);
  return found[0]!;
}

/**
 * The facts of every table in `names` that resolves, deduplicated (`orders` and `public.orders`
 * are one table), in the order of first mention; one catalog query in a read-only transaction
 * that is rolled back, with a statement timeout. The names must be well-formed SQL names.
 */
export async function readTableFacts(target: pg.ClientBase, names: readonly string[], options: ReadOptions): Promise<TableFacts[]> {
  if (names.length === 0) return [];
  const { rows } = await inRolledBackTransaction(target, LIMITS, () =>
    target.query<TableFactsRow>(TABLE_FACTS_SQL, [names, options.columns ?? null, options.allowLiterals]),
  );
  return rows.map((row) => tableFacts(row, options.allowLiterals));
}

/** Raw row → the model's shape: names quoted as SQL, figures rounded, values only when allowed. */
export function tableFacts(row: TableFactsRow, allowLiterals: boolean): TableFacts {
  return {
    table: `${quoteIdent(row.schema)}.${quoteIdent(row.name)}`,
    kind: KINDS[row.kind] ?? 'table',
    rowsEstimate: row.rows_estimate === null ? null : Math.round(row.rows_estimate),
    totalBytes: row.total_bytes,
    heapBytes: row.heap_bytes,
    columns: row.columns,
    indexes: row.indexes.map((i) => ({ ...i, definition: allowLiterals ? i.definition : redactExpression(i.definition) })),
    statistics: row.statistics.map((s) => ({
      column: s.column,
      nullFrac: round(s.nullFrac),
      nDistinct: round(s.nDistinct),
      correlation: round(s.correlation),
      mostCommonFreqs: (s.mostCommonFreqs ?? []).map((f) => round(f)!),
      // The query already left them in the database when not allowed; the check here is a second lock.
      ...(allowLiterals && s.mostCommonVals ? { mostCommonVals: s.mostCommonVals } : {}),
      ...(allowLiterals && s.histogramBounds ? { histogramBounds: s.histogramBounds } : {}),
    })),
  };
}

const KINDS: Record<string, TableFacts['kind']> = { r: 'table', p: 'partitioned table', v: 'view', m: 'materialized view', f: 'foreign table' };
const round = (value: number | null): number | null => (value === null ? null : Math.round(value * 10_000) / 10_000);
