/**
 * The comparison advisor: `pg_qualstats_index_advisor(min_filter, min_selectivity, forbidden_am)`,
 * shipped with pg_qualstats 2.0.4. It learns from executed queries only: it reads the predicates
 * pg_qualstats sampled while queries ran (filter quals of the form `column op constant`, with the rows
 * they filtered), groups AND-ed quals per table and proposes one multi-column index per group,
 * workload-wide (not per query).
 *
 * So the bench resets pg_qualstats, samples every query (`pg_qualstats.sample_rate = 1`, constants
 * tracked), runs each case once for real (writes inside a transaction that is rolled back), then
 * asks the advisor with its defaults (min_filter 1000 rows, min_selectivity 30 %, no forbidden
 * access method).
 */
import type pg from 'pg';
import type { AdviceCase } from './cases.ts';
import { distinctIndexes, indexTableSql, onTable } from './ddl.ts';

export interface QualstatsAdvice {
  /**
   * Its suggestions, each distinct; a suggestion on a partition is read as the same index on the
   * partitioned parent (one logical index, as a DBA would build it), the favourable reading.
   */
  indexes: string[];
  /** `CREATE INDEX ON schema.table USING btree (…)`, exactly as the advisor returned them. */
  raw: string[];
  /** Quals it found but no access method serves (deparsed). */
  unoptimised: string[];
  /** Case ids whose run failed while learning (should be none). */
  runErrors: string[];
  /** How many predicate entries pg_qualstats held when the advisor ran. */
  quals: number;
  seconds: number;
}

export const QUALSTATS_ARGS = { minFilter: 1000, minSelectivity: 30, forbiddenAm: [] as string[] };

export async function qualstatsAdvice(db: pg.ClientBase, cases: readonly AdviceCase[]): Promise<QualstatsAdvice> {
  const started = performance.now();
  await db.query('select pg_qualstats_reset()');
  await db.query(`select set_config('pg_qualstats.enabled', 'on', false),
                         set_config('pg_qualstats.sample_rate', '1', false),
                         set_config('pg_qualstats.track_constants', 'on', false)`);
  const runErrors: string[] = [];
  for (const c of cases) {
    if (c.kind === 'bad') continue;
    await db.query('begin');
    try {
      await db.query({ text: c.sql, values: c.params ?? [], queryMode: 'extended' } as pg.QueryConfig);
    } catch {
      runErrors.push(c.id);
    } finally {
      // Every case runs in a transaction that is rolled back: UPDATE/DELETE change nothing.
      await db.query('rollback');
    }
  }
  const { rows: counted } = await db.query<{ n: number }>('select count(*)::int as n from pg_qualstats()');
  const { rows } = await db.query<{ advice: { indexes: string[] | null; unoptimised: string[] | null } }>(
    'select pg_qualstats_index_advisor($1, $2, $3::text[]) as advice',
    [QUALSTATS_ARGS.minFilter, QUALSTATS_ARGS.minSelectivity, QUALSTATS_ARGS.forbiddenAm],
  );
  await db.query('reset pg_qualstats.sample_rate');
  const advice = rows[0]?.advice;
  const raw = advice?.indexes ?? [];
  return {
    indexes: distinctIndexes(await onPartitionedParents(db, raw)),
    raw,
    unoptimised: advice?.unoptimised ?? [],
    runErrors,
    quals: counted[0]?.n ?? 0,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Each statement on a partition rewritten onto its partitioned parent; others unchanged. */
async function onPartitionedParents(db: pg.ClientBase, ddls: readonly string[]): Promise<string[]> {
  const result: string[] = [];
  for (const ddl of ddls) {
    const table = indexTableSql(ddl);
    const { rows } = await db.query<{ parent: string | null }>(
      `select i.inhparent::regclass::text as parent
       from pg_inherits i join pg_class p on p.oid = i.inhparent
       where i.inhrelid = to_regclass($1) and p.relkind = 'p'`,
      [table],
    );
    const parent = rows[0]?.parent;
    result.push(parent ? onTable(ddl, parent) : ddl);
  }
  return result;
}
