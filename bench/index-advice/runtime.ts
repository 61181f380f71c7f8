/**
 * Real runtimes: build an index set for real on the throwaway cluster, ANALYZE the tables it
 * touches (expression indexes need statistics on their expression), run every positive case
 * `runs` times after one warm-up run, and drop the set again. Times are client-side wall clock of
 * each statement (round trip included) on one connection; writes run in a transaction that is
 * rolled back, so every run sees the same data.
 */
import pg from 'pg';
import type { AdviceCase } from './cases.ts';
import { indexTableSql, named, shortIndex } from './ddl.ts';
import { median } from '../support/stats.ts';

export interface RuntimeResult {
  /** Per case id: the median of `runs` timed runs, in ms. */
  medians: Record<string, number>;
  /** Per case id: the scans of the plan the runs used (from a plain EXPLAIN), e.g. "Index Only Scan orders_x". */
  scans: Record<string, string>;
  /** Sum of the per-case medians, ms. */
  totalMs: number;
  /** Statements that failed to build (the message), e.g. a recommendation PostgreSQL refuses. */
  buildErrors: string[];
  buildSeconds: number;
  /** On-disk size of the built set (partitions' indexes included), bytes. */
  sizeBytes: number;
}

/** Builds `ddls` under names bench_idx_N, measures, drops them; returns the runtimes. */
export async function measureWithIndexes(db: pg.ClientBase, ddls: readonly string[], cases: readonly AdviceCase[], runs: number): Promise<RuntimeResult> {
  const created: string[] = [];
  const buildErrors: string[] = [];
  const started = performance.now();
  try {
    for (const [n, ddl] of ddls.entries()) {
      const name = `bench_idx_${n}`;
      try {
        await db.query(named(ddl, name));
        const table = indexTableSql(ddl);
        created.push(table?.includes('.') ? `${table.split('.')[0]}.${name}` : name);
      } catch (error) {
        buildErrors.push(`${ddl}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const tables = [...new Set(ddls.map(indexTableSql).filter((t): t is string => t !== null))];
    for (const table of tables) await db.query(`analyze ${table}`);
    const buildSeconds = (performance.now() - started) / 1000;
    let sizeBytes = 0;
    for (const index of created) {
      // A partitioned index has no storage of its own: sum its partitions' indexes.
      const { rows } = await db.query<{ bytes: string | null }>(
        `select case when c.relkind = 'I' then (select sum(pg_relation_size(t.relid)) from pg_partition_tree(c.oid) t)
                     else pg_relation_size(c.oid) end as bytes
         from pg_class c where c.oid = to_regclass($1)`,
        [index],
      );
      sizeBytes += Number(rows[0]?.bytes ?? 0);
    }

    const medians: Record<string, number> = {};
    const scans: Record<string, string> = {};
    for (const c of cases) {
      const times: number[] = [];
      for (let run = 0; run <= runs; run++) {
        const ms = await timeOnce(db, c);
        if (run > 0) times.push(ms);
      }
      medians[c.id] = median(times);
      // bench_idx_N → the index it is, so the line reads on its own.
      scans[c.id] = (await planScans(db, c)).replace(/\bbench_idx_(\d+)\b/g, (_name, n: string) => `[${shortIndex(ddls[Number(n)] ?? '?')}]`);
    }
    return { medians, scans, totalMs: Object.values(medians).reduce((a, b) => a + b, 0), buildErrors, buildSeconds, sizeBytes };
  } finally {
    for (const index of created) await db.query(`drop index if exists ${index}`);
  }
}

async function timeOnce(db: pg.ClientBase, c: AdviceCase): Promise<number> {
  await db.query('begin');
  try {
    const started = performance.now();
    await db.query({ text: c.sql, values: c.params ?? [], queryMode: 'extended' } as pg.QueryConfig);
    return performance.now() - started;
  } finally {
    await db.query('rollback');
  }
}

interface ScanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: ScanNode[];
}

/** The plan's scans in one line; a `$n` text is explained with its values as a custom plan would be. */
async function planScans(db: pg.ClientBase, c: AdviceCase): Promise<string> {
  await db.query('begin');
  try {
    let text = c.sql;
    if (c.params) {
      await db.query(`prepare bench_advice_runtime as ${c.sql}`);
      text = `execute bench_advice_runtime(${c.params.map((value) => pg.escapeLiteral(String(value))).join(', ')})`;
    }
    const { rows } = await db.query<{ 'QUERY PLAN': { Plan: ScanNode }[] }>(`explain (format json) ${text}`);
    const found: string[] = [];
    const visit = (node: ScanNode) => {
      if (node['Index Name'] || /Scan$/.test(node['Node Type'])) {
        found.push(`${node['Node Type']} ${node['Index Name'] ?? node['Relation Name'] ?? ''}`.trim());
      }
      for (const child of node.Plans ?? []) visit(child);
    };
    visit(rows[0]!['QUERY PLAN'][0]!.Plan);
    return [...new Set(found)].join(', ');
  } finally {
    await db.query('rollback');
    if (c.params) await db.query('deallocate bench_advice_runtime').catch(() => undefined);
  }
}
