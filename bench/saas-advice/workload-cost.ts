/**
 * The workload's estimated cost with an index set: Σ over the statements pg_stat_statements holds
 * of calls × the hypopg cost of one execution (bench/index-advice/hypothetical.ts: the normalized
 * `$n` text's generic plan, the one the advisor itself plans). An estimate in planner units; nothing
 * is run. Also the hypopg size of a set, and how much each index of a set is worth to it.
 */
import type pg from 'pg';
import { indexTableSql, onTable } from '../index-advice/ddl.ts';
import { estimate, leaves } from '../index-advice/hypothetical.ts';
import { WORKLOAD } from './workload.ts';

export interface RecordedStatement {
  action: string;
  queryid: string;
  /** As pg_stat_statements normalized it. */
  query: string;
  calls: number;
  meanMs: number;
  /** How many `$n` the text has. */
  parameters: number;
}

export interface WorkloadCost {
  /** Σ calls × cost. */
  total: number;
  /** Per action: the cost of one execution. */
  perStatement: Record<string, number>;
}

const TAG = /\/\*action='([a-z_]+)'\*\//;

/** The workload's statements as pg_stat_statements holds them for `roleOid`, one per action. */
export async function recordedStatements(db: pg.ClientBase, roleOid: string): Promise<RecordedStatement[]> {
  const { rows } = await db.query<{ queryid: string; query: string; calls: string; mean_ms: number }>(
    `select s.queryid::text as queryid, s.query, s.calls::text as calls, s.mean_exec_time as mean_ms
       from pg_stat_statements s
      where s.userid = $1::oid and s.dbid = (select oid from pg_database where datname = current_database())
        and s.query ~ $2
      order by s.queryid`,
    [roleOid, TAG.source],
  );
  const known = new Set(WORKLOAD.map((s) => s.action));
  return rows
    .map((row) => ({
      action: row.query.match(TAG)?.[1] ?? '',
      queryid: row.queryid,
      query: row.query,
      calls: Number(row.calls),
      meanMs: row.mean_ms,
      parameters: Math.max(0, ...[...row.query.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]))),
    }))
    .filter((s) => known.has(s.action));
}

export async function workloadCost(db: pg.ClientBase, statements: readonly RecordedStatement[], ddls: readonly string[]): Promise<WorkloadCost> {
  const perStatement: Record<string, number> = {};
  let total = 0;
  for (const s of statements) {
    const { cost } = await estimate(db, { sql: s.query, params: s.parameters > 0 ? Array(s.parameters).fill(null) : undefined }, ddls);
    perStatement[s.action] = cost;
    total += s.calls * cost;
  }
  return { total, perStatement };
}

/** hypopg's estimated size of the set, bytes (an index on a partitioned table: its partitions'). */
export async function estimatedSetBytes(db: pg.ClientBase, ddls: readonly string[]): Promise<number> {
  await db.query('select hypopg_reset()');
  let bytes = 0;
  try {
    for (const ddl of ddls) {
      const table = indexTableSql(ddl);
      for (const target of table ? await leaves(db, table) : [null]) {
        const statement = target && target !== table ? onTable(ddl, target) : ddl;
        const { rows } = await db.query<{ bytes: string }>('select hypopg_relation_size(indexrelid)::text as bytes from hypopg_create_index($1)', [statement]);
        for (const row of rows) bytes += Number(row.bytes);
      }
    }
    return bytes;
  } finally {
    await db.query('select hypopg_reset()');
  }
}

/**
 * Each index's worth to the set: the workload's cost with the set minus that index, less its cost
 * with the whole set (0 or below: the index adds nothing the others do not give).
 */
export async function marginalCosts(db: pg.ClientBase, statements: readonly RecordedStatement[], ddls: readonly string[], withAll: number): Promise<{ ddl: string; worth: number }[]> {
  const out: { ddl: string; worth: number }[] = [];
  for (const ddl of ddls) {
    const without = await workloadCost(db, statements, ddls.filter((d) => d !== ddl));
    out.push({ ddl, worth: without.total - withAll });
  }
  return out;
}
