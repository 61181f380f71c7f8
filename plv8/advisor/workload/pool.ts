/**
 * The workload advisor's candidate pool: the candidates worth selecting among, keyed by their DDL,
 * and the keys that tell which statements a pooled candidate could serve.
 */
import { candidatesFromPlan } from '../candidates/from-plan.ts';
import type { IndexCandidate, IndexKey } from '../candidates/index-candidate.ts';
import type { EvaluationContext } from '../query/evaluate-query.ts';
import type { TableFacts } from '../../catalog/table-facts.ts';

/** A candidate in the pool, on the table that receives it. */
export interface Pooled {
  candidate: IndexCandidate;
  table: TableFacts;
  ddl: string;
  sizeBytes: number;
}

/**
 * Partial indexes on one column for several of its values (`WHERE region = 3`, `WHERE region = 7`,
 * …) are an index on that column cut in pieces: each looks cheap, together they cost more than the
 * plain index the other candidates already offer. Such families leave the pool; a predicate only
 * one statement shape uses (`status = 'pending'`) stays.
 */
export function dropPartialsPerValue(pool: Map<string, Pooled>): void {
  const predicates = new Map<string, Set<string>>();
  for (const p of pool.values()) {
    if (p.candidate.predicate === undefined) continue;
    const key = `${tableKey(p.table)}\u0000${p.candidate.predicateColumn ?? ''}`;
    if (!predicates.has(key)) predicates.set(key, new Set());
    predicates.get(key)!.add(p.candidate.predicate);
  }
  for (const [ddl, p] of pool) {
    if (p.candidate.predicate === undefined) continue;
    if ((predicates.get(`${tableKey(p.table)}\u0000${p.candidate.predicateColumn ?? ''}`)?.size ?? 0) > 1) pool.delete(ddl);
  }
}

/** Every key the statement's own candidates have, on the root table: what it filters, joins or sorts on. */
export function referencedKeys(plan: unknown, context: EvaluationContext): Set<string> {
  const keys = new Set<string>();
  for (const c of candidatesFromPlan(plan)) {
    const table = context.tables.get(`${c.schema}.${c.table}`);
    const root = table ? tableKey(table) : `${c.schema}.${c.table}`;
    for (const key of c.keys) keys.add(`${root}\u0000${keyText(key)}`);
  }
  return keys;
}

export function tableKey(table: TableFacts): string {
  return `${table.schema}.${table.table}`;
}

export function keyText(key: IndexKey): string {
  return key.column ?? `(${key.expression ?? ''})`;
}

/** A key as the selection compares keys: `customer_id`, `(lower(email))`, `email text_pattern_ops`, `created_at DESC`. */
export function selectionKey(key: IndexKey): string {
  return `${keyText(key)}${key.opclass ? ` ${key.opclass}` : ''}${key.descending ? ' DESC' : ''}`;
}
