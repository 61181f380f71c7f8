/**
 * The TPC-H queries as an application runs them: each executed for real, once, by the bench's
 * application role, so that pg_stat_statements holds them normalized (`$n` for every constant),
 * which is all the workload advisor reads. Q15 defines a view, queries it and drops it; the view is
 * created once for the whole run (the advisor plans the query long after a client would have
 * dropped it), and only its SELECT is a workload statement.
 */
import type pg from 'pg';
import { estimate } from '../index-advice/hypothetical.ts';

export interface TpchQuery {
  nr: number;
  /** The statement as executed and costed. */
  sql: string;
  /** DDL the statement needs in place (Q15's view), run once before. */
  setup: string[];
  /** DDL that removes it afterwards. */
  cleanup: string[];
}

/** The platform's text of a query as statements: its CREATE VIEW, its SELECT, its DROP VIEW (qgen's comment lines left out). */
export function tpchQuery(nr: number, text: string): TpchQuery {
  const statements = text
    .replace(/^\s*--.*$/gm, '')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    // A kept cluster has the view from the last run.
    .map((s) => s.replace(/^create\s+view\b/i, 'create or replace view'));
  const select = statements.filter((s) => !/^(create(\s+or\s+replace)?|drop)\s+view\b/i.test(s));
  if (select.length !== 1) throw new Error(`Q${nr}: expected one query besides views, found ${select.length}`);
  return {
    nr,
    sql: select[0]!,
    setup: statements.filter((s) => /^create\s+or\s+replace\s+view\b/i.test(s)),
    cleanup: statements.filter((s) => /^drop\s+view\b/i.test(s)),
  };
}

/**
 * Runs every query once as `role`, after pg_stat_statements is reset so that it holds this run
 * only. Returns each query's wall time, ms.
 *
 * A query that runs past `timeoutMs` is run again with nested loops off: without keys, Q21's
 * planner estimates one row out of its anti-join and loops over a scan of all of lineitem per row
 * (hours at scale 1). The statement pg_stat_statements records is the same (settings are not part
 * of a query id); only its mean time is the hash-join plan's.
 */
export async function runQueries(db: pg.ClientBase, queries: readonly TpchQuery[], role: string, timeoutMs: number, onQuery?: (nr: number, ms: number, note?: string) => void): Promise<Map<number, number>> {
  const times = new Map<number, number>();
  // Wherever the extension was created (OptiSchema's migrations create it in their own schema when missing).
  const { rows } = await db.query<{ schema: string }>(`select quote_ident(extnamespace::regnamespace::text) as schema from pg_extension where extname = 'pg_stat_statements'`);
  if (!rows[0]) throw new Error('pg_stat_statements is not installed in this database');
  await db.query(`select ${rows[0].schema}.pg_stat_statements_reset()`);
  await db.query(`set role ${role}; set statement_timeout = ${Math.round(timeoutMs)}`);
  try {
    for (const q of queries) {
      let t0 = performance.now();
      let note: string | undefined;
      try {
        await db.query(q.sql);
      } catch (error) {
        if ((error as { code?: string }).code !== '57014') throw error;
        note = `cancelled after ${Math.round(timeoutMs / 1000)} s, run again with enable_nestloop off`;
        await db.query('set enable_nestloop = off');
        t0 = performance.now();
        await db.query(q.sql);
        await db.query('reset enable_nestloop');
      }
      const ms = performance.now() - t0;
      times.set(q.nr, ms);
      onQuery?.(q.nr, ms, note);
    }
  } finally {
    await db.query('reset role; reset statement_timeout; reset enable_nestloop');
  }
  return times;
}

/** Σ of the queries' hypopg-estimated costs with `ddls` in place (bench/index-advice/hypothetical.ts), and each query's. */
export async function tpchCost(db: pg.ClientBase, queries: readonly TpchQuery[], ddls: readonly string[]): Promise<{ total: number; perQuery: Map<number, number> }> {
  const perQuery = new Map<number, number>();
  let total = 0;
  for (const q of queries) {
    const { cost } = await estimate(db, { sql: q.sql }, ddls);
    perQuery.set(q.nr, cost);
    total += cost;
  }
  return { total, perQuery };
}
