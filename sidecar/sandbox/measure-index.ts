/**
 * The measurement at the heart of sandbox validation (issue 11 §2): a recommended index built for
 * real in a sandbox database, and the statements it is meant to serve run before and after with
 * EXPLAIN (ANALYZE, BUFFERS). Estimates are not proof: hypopg has no statistics for a new
 * expression, and a what-if cost is not a time.
 *
 * Per statement: one warm-up run, then `runs` runs (default 5) before the index exists and as many
 * after, each through analyzePlan (sidecar/plans/analyze-plan.ts): only statements the catalog
 * proves read-only and harmless are run, as their author or the analysis role, read-only, in a
 * subtransaction that is rolled back, with a statement timeout. The index is built with its own
 * DDL, timed, sized (an index on an expression is followed by ANALYZE of its table, so the planner
 * has the expression's statistics), and dropped again whatever happens. `sandbox` must be a sandbox: this builds
 * and drops an index on it.
 *
 * How noise is judged (verdictOf): a statement counts as faster only when its median after is at
 * least NOISE_PCT below its median before and below even its fastest run before; as slower only
 * when its plan changed and its median after is above its slowest run before and NOISE_PCT above
 * its median before (an unchanged plan cannot have been slowed by the index).
 * Repeated runs and a stated threshold, not one timing; medians, so that one run stalled by a busy
 * machine decides nothing.
 */
import type pg from 'pg';
import { indexNames } from '../../plv8/plan/what-if.ts';
import { EXPLAIN } from '../../plv8/plan/explain-keys.ts';
import { errorMessage } from '../../plv8/advisor/query/evaluate-query.ts';
import { quoteIdent } from '../../plv8/engine/quote-ident.ts';
import { parseIndexDdl } from '../database/index-ddl.ts';
import { analyzePlan } from '../plans/analyze-plan.ts';
import { planHash } from '../plans/plan-hash.ts';
import type { ExplainRoot } from '../plans/explain-output.ts';

export const DEFAULT_RUNS = 5;
/** A median must move by this much, in percent, to count (see the module's note on noise). */
export const NOISE_PCT = 10;

export interface MeasuredStatement {
  query: string;
  /** Values for `$1…$n` (the ones the advisor planned with), as text; null is SQL NULL. */
  values?: (string | null)[];
}

export interface Runs {
  /** Execution times in ms, as the server measured them, in run order. */
  ms: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Shared buffers hit and read by the median run. */
  sharedHit: number;
  sharedRead: number;
  /** The median run's plan. */
  plan: ExplainRoot;
}

export interface StatementMeasurement extends MeasuredStatement {
  before?: Runs;
  after?: Runs;
  /** The plans after use the new index. */
  usesIndex: boolean;
  /** Why it could not be measured (refused as not provably harmless, timed out, …). */
  error?: string;
}

export interface IndexMeasurement {
  ddl: string;
  index: string;
  buildMs: number | null;
  sizeBytes: number | null;
  statements: StatementMeasurement[];
  /** Why the index could not be built. */
  error?: string;
}

export type Verdict = { state: 'validated'; reason: string } | { state: 'rejected'; reason: string } | { state: 'inconclusive'; reason: string };

/**
 * @example
 *   const m = await measureIndex(sandbox, 'CREATE INDEX orders_customer_id_idx ON public.orders (customer_id)',
 *     [{ query: 'select * from orders where customer_id = $1', values: ['42'] }]);
 *   verdictOf(m); // { state: 'validated', reason: '1 statement faster: 4.1 → 0.05 ms (median of 5)' }
 */
export interface MeasureOptions {
  runs?: number;
  statementTimeoutMs?: number;
  /** After each statement's runs: `done` of `total` statement measurements (before and after). */
  onProgress?: (progress: { phase: 'before' | 'build' | 'after'; done: number; total: number }) => void;
}

export async function measureIndex(sandbox: pg.ClientBase, ddl: string, statements: readonly MeasuredStatement[], options: MeasureOptions = {}): Promise<IndexMeasurement> {
  const { index, schema } = parseIndexDdl(ddl);
  // The index lives in its table's schema.
  const qualified = `${quoteIdent(schema)}.${quoteIdent(index)}`;
  const runs = options.runs ?? DEFAULT_RUNS;
  const measured: StatementMeasurement[] = statements.map((s) => ({ ...s, usesIndex: false }));
  const result: IndexMeasurement = { ddl, index, buildMs: null, sizeBytes: null, statements: measured };
  const total = measured.length * 2;
  let done = 0;
  const measureAll = async (phase: 'before' | 'after') => {
    for (const s of measured) {
      if (s.error === undefined) {
        try {
          s[phase] = await runsOf(sandbox, s, runs, options.statementTimeoutMs);
        } catch (error) {
          s.error = errorMessage(error);
        }
      }
      options.onProgress?.({ phase, done: ++done, total });
    }
  };
  await measureAll('before');
  options.onProgress?.({ phase: 'build', done, total });
  const started = performance.now();
  try {
    await sandbox.query(ddl);
  } catch (error) {
    return { ...result, error: `building the index: ${errorMessage(error)}` };
  }
  try {
    result.buildMs = performance.now() - started;
    // An index on an expression gets statistics of its own only from ANALYZE: without them the
    // planner guesses the expression's selectivity, which is what made the estimate unreliable.
    const expressions = await sandbox.query<{ table: string | null }>(
      `select i.indrelid::regclass::text as table from pg_catalog.pg_index i where i.indexrelid = to_regclass($1) and i.indexprs is not null`,
      [qualified],
    );
    if (expressions.rows[0]?.table) await sandbox.query(`analyze ${expressions.rows[0].table}`);
    const size = await sandbox.query<{ bytes: string | null }>(`select pg_relation_size(to_regclass($1))::text as bytes`, [qualified]);
    result.sizeBytes = size.rows[0]?.bytes == null ? null : Number(size.rows[0].bytes);
    await measureAll('after');
    // On a partitioned table the plans name each partition's own index, never the parent's.
    const names = new Set([index, ...(await partitionIndexNames(sandbox, qualified))]);
    for (const s of measured) s.usesIndex = s.after !== undefined && indexNames(s.after.plan).some((name) => names.has(name));
  } finally {
    await sandbox.query(`drop index if exists ${qualified}`);
  }
  return result;
}

/**
 * validated: the index serves at least one measured statement that got faster beyond noise, and
 * none got slower; rejected: the index served none, or one got slower, or none got faster;
 * inconclusive: nothing could be measured, or the index could not be built.
 */
export function verdictOf(m: IndexMeasurement): Verdict {
  if (m.error !== undefined) return { state: 'inconclusive', reason: m.error };
  const measured = m.statements.filter((s) => s.before && s.after);
  if (measured.length === 0) return { state: 'inconclusive', reason: `no statement could be measured${m.statements[0]?.error ? `: ${m.statements[0].error}` : ''}` };
  // A read gets slower from an index only through another plan: a statement planned the same way
  // before and after that ran slower ran on a busier machine, and decides nothing.
  const slower = measured.filter((s) => planHash(s.after!.plan) !== planHash(s.before!.plan) && s.after!.medianMs > s.before!.maxMs && s.after!.medianMs > s.before!.medianMs * (1 + NOISE_PCT / 100));
  if (slower.length > 0) return { state: 'rejected', reason: `${slower.length} statement(s) slower with the index: ${describe(slower[0]!)}` };
  const served = measured.filter((s) => s.usesIndex);
  if (served.length === 0) return { state: 'rejected', reason: 'the planner used the index for none of the statements' };
  const faster = served.filter((s) => fasterBeyondNoise(s.before!, s.after!));
  if (faster.length === 0) return { state: 'rejected', reason: `no statement got faster beyond noise (${NOISE_PCT} %): ${describe(served[0]!)}` };
  return { state: 'validated', reason: `${faster.length} statement(s) faster: ${describe(faster[0]!)} (median of ${faster[0]!.after!.ms.length})` };
}

/** The rule for "faster" (see the module's note on noise): NOISE_PCT below the median before, and below the fastest run before. */
export function fasterBeyondNoise(before: Pick<Runs, 'medianMs' | 'minMs'>, after: Pick<Runs, 'medianMs'>): boolean {
  return after.medianMs < before.medianMs * (1 - NOISE_PCT / 100) && after.medianMs < before.minMs;
}

/** One statement timed `runs` times after a warm-up (EXPLAIN ANALYZE, rolled back): the median run's plan and the spread. */
export async function runsOf(sandbox: pg.ClientBase, s: MeasuredStatement, runs: number, statementTimeoutMs: number | undefined): Promise<Runs> {
  const options = { ...(s.values ? { values: s.values } : {}), ...(statementTimeoutMs ? { statementTimeoutMs } : {}) };
  await analyzePlan(sandbox, s.query, options);
  const plans: ExplainRoot[] = [];
  for (let n = 0; n < runs; n++) plans.push((await analyzePlan(sandbox, s.query, options)).explain);
  const ms = plans.map((p) => Number(p['Execution Time']));
  const order = ms.map((_, n) => n).sort((a, b) => ms[a]! - ms[b]!);
  const median = plans[order[Math.floor(order.length / 2)]!]!;
  const root = median[EXPLAIN.plan] as Record<string, unknown>;
  return {
    ms,
    medianMs: Number(median['Execution Time']),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
    sharedHit: Number(root['Shared Hit Blocks'] ?? 0),
    sharedRead: Number(root['Shared Read Blocks'] ?? 0),
    plan: median,
  };
}

/** The indexes PostgreSQL made on the partitions for a partitioned index, at every level. */
async function partitionIndexNames(sandbox: pg.ClientBase, qualified: string): Promise<string[]> {
  const { rows } = await sandbox.query<{ name: string }>(
    `with recursive parts(oid) as (
       select i.inhrelid from pg_catalog.pg_inherits i where i.inhparent = to_regclass($1)
       union all
       select i.inhrelid from pg_catalog.pg_inherits i join parts p on i.inhparent = p.oid)
     select c.relname as name from parts p join pg_catalog.pg_class c on c.oid = p.oid`,
    [qualified],
  );
  return rows.map((r) => r.name);
}

function describe(s: StatementMeasurement): string {
  return `${s.before!.medianMs.toFixed(2)} → ${s.after!.medianMs.toFixed(2)} ms`;
}

export interface WriteOverhead {
  rows: number;
  /** Median ms to insert `rows` rows of the table into a copy without and with the index. */
  msWithout: number;
  msWith: number;
  /** (with − without) / rows: what the index adds to each row written (may be ≤ 0 within noise). */
  msPerRow: number;
}

/**
 * What the index costs each write, measured: `rows` rows of the table inserted into a temporary
 * copy of it (its columns, no index) three times, then three times with the recommended index on
 * the copy, all in a transaction that is rolled back. The table itself is only read, so its keys
 * and constraints do not stand in the way, and the copy has the table's own data distribution.
 */
export async function writeOverhead(sandbox: pg.ClientBase, ddl: string, options: { rows?: number; statementTimeoutMs?: number } = {}): Promise<WriteOverhead> {
  const { schema, table, rest } = parseIndexDdl(ddl);
  const rows = options.rows ?? 10_000;
  const source = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  const fill = `insert into pg_temp.optischema_probe select * from ${source} limit ${Math.trunc(rows)}`;
  const timed = async (): Promise<number> => {
    const started = performance.now();
    await sandbox.query(fill);
    const ms = performance.now() - started;
    await sandbox.query('truncate pg_temp.optischema_probe');
    return ms;
  };
  await sandbox.query('begin');
  try {
    await sandbox.query(`select set_config('statement_timeout', $1, true)`, [`${options.statementTimeoutMs ?? 60_000}ms`]);
    await sandbox.query(`create temporary table optischema_probe (like ${source}) on commit drop`);
    await timed();
    const without = [await timed(), await timed(), await timed()];
    await sandbox.query(`create index on pg_temp.optischema_probe${rest}`);
    const withIndex = [await timed(), await timed(), await timed()];
    const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[1]!;
    return { rows, msWithout: median(without), msWith: median(withIndex), msPerRow: (median(withIndex) - median(without)) / rows };
  } finally {
    await sandbox.query('rollback');
  }
}
