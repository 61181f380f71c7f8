/**
 * The workload advisor's candidate pool: the candidates worth selecting among, keyed by their DDL,
 * and the keys that tell which statements a pooled candidate could serve.
 */
import { candidatesFromPlan } from '../candidates/from-plan.ts';
import { EXPLAIN } from '../../plan/explain-keys.ts';
import { unquoteIdent } from '../../engine/quote-ident.ts';
import { planScans, rootPlan } from '../../plan/plan-scans.ts';
import type { TableUse } from './extensions.ts';
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

/**
 * Per root table, what the statement does with it: the plain columns among its referenced keys,
 * and the columns the rest of the plan reads from its scans: every `alias.column` in the Output,
 * conditions, group and sort keys of the nodes above them. A scan's own Output does not count: a
 * sequential scan hands up every column (a physical target list spares it a projection), not the
 * ones the statement needs.
 */
export function tableUses(plan: unknown, keys: ReadonlySet<string>, context: EvaluationContext): Map<string, TableUse> {
  const uses = new Map<string, { keys: Set<string>; reads: Set<string> }>();
  const entry = (table: string) => {
    const found = uses.get(table) ?? { keys: new Set<string>(), reads: new Set<string>() };
    uses.set(table, found);
    return found;
  };
  for (const key of keys) {
    const [table, column] = key.split('\u0000') as [string, string];
    if (!column.startsWith('(')) entry(table).keys.add(column);
  }
  const byAlias = new Map<string, string>();
  for (const scan of planScans(plan).scans) {
    const facts = context.tables.get(`${scan.schema}.${scan.relation}`);
    byAlias.set(scan.alias, facts ? tableKey(facts) : `${scan.schema}.${scan.relation}`);
  }
  const read = (text: string) => {
    for (const m of text.matchAll(QUALIFIED)) {
      const table = byAlias.get(unquoteIdent(m[1]!));
      if (table !== undefined) entry(table).reads.add(unquoteIdent(m[2]!));
    }
  };
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if (key === EXPLAIN.plans || (key === EXPLAIN.output && record[EXPLAIN.relationName] !== undefined)) continue;
      if (typeof value === 'string') read(value);
      else if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') read(item);
    }
    const children = record[EXPLAIN.plans];
    if (Array.isArray(children)) children.forEach(visit);
  };
  visit(rootPlan(plan));
  return uses;
}

/**
 * The tables a statement's plans scan, as root tables (tableKey), for what-if-cache.ts's relevance:
 * an index on any other table cannot change its plans. A scan of a relation whose table facts were
 * never read may be a partition of any partitioned table: `partitionsUnknown` says so, and then
 * every index on a partitioned table counts as relevant.
 */
export function scannedTables(plans: readonly unknown[], context: EvaluationContext): { tables: Set<string>; partitionsUnknown: boolean } {
  const tables = new Set<string>();
  let partitionsUnknown = false;
  for (const plan of plans) {
    for (const scan of planScans(plan).scans) {
      const facts = context.tables.get(`${scan.schema}.${scan.relation}`);
      if (facts === undefined) partitionsUnknown = true;
      tables.add(facts ? tableKey(facts) : `${scan.schema}.${scan.relation}`);
    }
  }
  return { tables, partitionsUnknown };
}

const QUALIFIED = /("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\.("(?:[^"]|"")+"|[A-Za-z_][\w$]*)/g;

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
