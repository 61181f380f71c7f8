/**
 * The one costing method of the bench, applied alike to OptiSchema's recommendations, the known
 * best indexes and pg_qualstats's suggestions: create the whole set hypothetically with hypopg,
 * EXPLAIN the query, read the root's estimated total cost, drop the set.
 *
 * A `$n` text is costed with its generic plan, as PostgreSQL 15 allows: PREPARE, then
 * `plan_cache_mode = force_generic_plan`, then EXPLAIN EXECUTE with one NULL per parameter.
 * An index on a partitioned table is created hypothetically on each leaf partition, which is what
 * CREATE INDEX on the parent builds for real. (hypopg 1.3.1 also lets the planner use an index
 * made on the parent for the partitions, at the same costs, checked by hand; creating the leaves'
 * indexes keeps the method independent of that.)
 */
import type pg from 'pg';
import { indexTableSql, onTable } from './ddl.ts';

export interface CaseQuery {
  sql: string;
  /** Present for a `$n` text: its parameter count is params.length. */
  params?: unknown[];
}

export interface Estimate {
  /** The root plan node's "Total Cost" (planner units; an estimate, nothing was run). */
  cost: number;
  /** Which of the given statements the plan uses (by position in the input). */
  used: boolean[];
  /** `schema.table` of every table the plan reads (partitions and a view's tables included). */
  tables: string[];
}

interface PlanNode {
  'Index Name'?: string;
  'Relation Name'?: string;
  Schema?: string;
  'Total Cost'?: number;
  Plans?: PlanNode[];
}

const leafCache = new Map<string, string[]>();

/** The leaf partitions of `table` (an SQL name: quotes kept) as SQL names, or `[table]` when it is not partitioned. */
export async function leaves(db: pg.ClientBase, table: string): Promise<string[]> {
  const cached = leafCache.get(table);
  if (cached) return cached;
  const { rows } = await db.query<{ leaves: string[] | null }>(
    `select case when c.relkind = 'p'
                 then (select array_agg(t.relid::regclass::text order by t.relid::regclass::text) from pg_partition_tree(c.oid) t where t.isleaf)
            end as leaves
     from pg_class c where c.oid = to_regclass($1)`,
    [table],
  );
  const result = rows[0]?.leaves ?? [table];
  leafCache.set(table, result);
  return result;
}

/**
 * Estimated cost of `query` with the hypothetical indexes `ddls` (all at once; none = as it is).
 * Throws what the server says when a statement or the query is refused.
 */
export async function estimate(db: pg.ClientBase, query: CaseQuery, ddls: readonly string[]): Promise<Estimate> {
  await db.query('select hypopg_reset()');
  const owner = new Map<string, number>();
  try {
    for (const [position, ddl] of ddls.entries()) {
      const table = indexTableSql(ddl);
      const targets = table ? await leaves(db, table) : [null];
      for (const target of targets) {
        const statement = target && target !== table ? onTable(ddl, target) : ddl;
        const { rows } = await db.query<{ indexname: string }>('select indexname from hypopg_create_index($1)', [statement]);
        for (const row of rows) owner.set(row.indexname, position);
      }
    }
    const plan = await explain(db, query);
    const used = ddls.map(() => false);
    const tables = new Set<string>();
    walk(plan, (node) => {
      const position = node['Index Name'] === undefined ? undefined : owner.get(node['Index Name']);
      if (position !== undefined) used[position] = true;
      if (node['Relation Name']) tables.add(`${node.Schema ?? 'public'}.${node['Relation Name']}`);
    });
    return { cost: plan['Total Cost'] ?? Number.NaN, used, tables: [...tables] };
  } finally {
    await db.query('select hypopg_reset()');
  }
}

async function explain(db: pg.ClientBase, query: CaseQuery): Promise<PlanNode> {
  if (!query.params) {
    // Extended protocol: the server refuses a text holding more than one statement.
    const { rows } = await db.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>({
      text: `explain (format json, verbose) ${query.sql}`,
      values: [],
      queryMode: 'extended',
    } as pg.QueryConfig);
    return rows[0]!['QUERY PLAN'][0]!.Plan;
  }
  await db.query('begin');
  try {
    await db.query(`select set_config('plan_cache_mode', 'force_generic_plan', true)`);
    await db.query(`prepare bench_advice_generic as ${query.sql}`);
    const nulls = query.params.map(() => 'null').join(', ');
    const { rows } = await db.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`explain (format json, verbose) execute bench_advice_generic(${nulls})`);
    return rows[0]!['QUERY PLAN'][0]!.Plan;
  } finally {
    await db.query('rollback');
    await db.query('deallocate bench_advice_generic').catch(() => undefined);
  }
}

function walk(node: PlanNode, visit: (node: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

/** (before − after) / before as a percentage. */
export function reductionPct(before: number, after: number): number {
  return before > 0 ? ((before - after) / before) * 100 : 0;
}
