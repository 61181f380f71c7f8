/**
 * The SQL texts the index hygiene rules propose, and the names they speak of. Every identifier is
 * quoted (quoteIdent); a rollback rebuilds the index from pg_get_indexdef, PostgreSQL's own text.
 */
import { dropIndexSql } from '../../apply/index-statements.ts';
import type { IndexFact } from './facts.ts';

/** `schema.index`, unquoted, as the catalog names it: a finding's subject. */
export const indexSubject = (i: Pick<IndexFact, 'schema' | 'name'>): string => `${i.schema}.${i.name}`;

/** `schema.table`, unquoted. */
export const tableOf = (i: { schema: string; table: string }): string => `${i.schema}.${i.table}`;

/**
 * Drops the index. CONCURRENTLY takes no lock that blocks the table's reads and writes, but
 * PostgreSQL refuses it for a partitioned index, whose plain DROP locks every partition.
 *
 * @example dropSql({ schema: 'public', name: 'Idx_Qty', partitioned: false }) // 'DROP INDEX CONCURRENTLY IF EXISTS public."Idx_Qty";'
 */
export function dropSql(i: Pick<IndexFact, 'schema' | 'name' | 'partitioned'>): string {
  return `${dropIndexSql(i.schema, i.name, !i.partitioned)};`;
}

const CREATE_HEAD = /^CREATE (UNIQUE )?INDEX /;
const ON_ONLY = /^(CREATE (?:UNIQUE )?INDEX (?:"(?:[^"]|"")+"|\S+) ON )ONLY /;

/**
 * Rebuilds a dropped index from its pg_get_indexdef text: CONCURRENTLY for an ordinary index; for a
 * partitioned one (where CONCURRENTLY is refused) without the `ONLY` pg_get_indexdef prints, so
 * that PostgreSQL builds and attaches an index on every partition again instead of leaving an
 * invalid parent alone.
 *
 * @example rebuildSql({ partitioned: false, definition: 'CREATE INDEX t_a_idx ON public.t USING btree (a)' })
 *   // 'CREATE INDEX CONCURRENTLY t_a_idx ON public.t USING btree (a);'
 */
export function rebuildSql(i: Pick<IndexFact, 'partitioned' | 'definition'>): string {
  const sql = i.partitioned ? i.definition.replace(ON_ONLY, '$1') : i.definition.replace(CREATE_HEAD, (_m, unique: string | undefined) => `CREATE ${unique ?? ''}INDEX CONCURRENTLY `);
  return `${sql};`;
}

/** "(a, lower(b)) INCLUDE (c) WHERE …": the index's columns as a person reads them. */
export function describeKeys(i: Pick<IndexFact, 'keys' | 'include' | 'predicate'>): string {
  return `(${i.keys.join(', ')})${i.include.length > 0 ? ` INCLUDE (${i.include.join(', ')})` : ''}${i.predicate ? ` WHERE ${i.predicate}` : ''}`;
}

/** "since 2026-11-30T08:00:00.000Z" or, never reset, "since the statistics began". */
export function sinceReset(statsReset: string | null): string {
  return statsReset === null ? 'since the statistics began' : `since ${statsReset} (the last statistics reset)`;
}

/**
 * The indexes a rule may judge: valid (an invalid one is invalid_index's alone) and not attached to
 * a parent index (a partition's index is judged through its parent).
 */
export const judged = (indexes: readonly IndexFact[]): IndexFact[] => indexes.filter((i) => i.valid && i.parentIndex === null);

/** Enforces a constraint or uniqueness: never proposed for dropping by unused or redundant. */
export const enforces = (i: IndexFact): boolean => i.unique || i.primary || i.constraintType !== null;
