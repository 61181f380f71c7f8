/**
 * An index drop validated in a sandbox (issue 14 §2: unused, duplicate and redundant indexes): the
 * workload's statements replayed with the index, then without it, and the drop is rejected when a
 * statement whose plan used the index gets slower.
 *
 * "Without it" is `BEGIN; DROP INDEX …; measure; ROLLBACK`: the sandbox keeps its index (same oid,
 * same constraints) whatever happens. The measuring helpers (analyzePlan, genericPlan, the guarded
 * session) each open and roll back a transaction of their own; inside ours, a savepoint stands in
 * for it (`nestedSession`), so their rollback undoes only their own work and not the DROP.
 *
 * Per statement, the way it can be measured:
 *  - `analyze`: read-only by PostgreSQL's parser and the catalog's proof, with its values known (or
 *    no `$n`): one warm-up run, then `runs` runs of EXPLAIN ANALYZE (analyze-plan.ts), as in
 *    measure-index.ts;
 *  - `generic`: `$n` and no values: the generic plan's cost only (generic-plan.ts);
 *  - `explain`: a writing statement: EXPLAIN without ANALYZE (nothing is executed), cost only.
 *
 * Slower (rejected): the plan before used the index, its total cost rose by more than
 * COST_NOISE_PCT, and, when timed, its median after is above its slowest run before and NOISE_PCT
 * above its median before (measure-index.ts's rule for noise). The costs are the planner's
 * estimates (EXPLAIN's Total Cost of the root); the times are the server's Execution Time.
 */
import type pg from 'pg';
import { indexNames } from '../../plv8/plan/what-if.ts';
import { EXPLAIN } from '../../plv8/plan/explain-keys.ts';
import { quoteIdent } from '../../plv8/engine/quote-ident.ts';
import { ensureAnalysisRole } from '../advisor/ensure-analysis-role.ts';
import { messageOf } from '../errors.ts';
import type { ExplainRoot } from '../plans/explain-output.ts';
import { parseExplainOutput } from '../plans/explain-output.ts';
import { genericPlan } from '../plans/generic-plan.ts';
import { inGuardedSession } from '../plans/guarded-session.ts';
import { checkStatement } from '../plans/statement-check.ts';
import { DEFAULT_RUNS, NOISE_PCT, runsOf } from '../sandbox/measure-index.ts';

/** A plan's total cost must rise by this much, in percent, to count as slower (the threshold, equal to the time noise). */
export const COST_NOISE_PCT = 10;

export interface DropStatement {
  query: string;
  /** Values for `$1…$n`, as text; null is SQL NULL. */
  values?: (string | null)[];
}

export interface DropMeasure {
  /** The root's Total Cost (the planner's estimate, in its cost units). */
  cost: number;
  /** Timed statements only: the server's Execution Time, median/fastest/slowest of `runs`, in ms. */
  medianMs?: number;
  minMs?: number;
  maxMs?: number;
}

export interface DropStatementReport extends DropStatement {
  method?: 'analyze' | 'generic' | 'explain';
  before?: DropMeasure;
  after?: DropMeasure;
  /** The plan with the index read it (the index, or on a partitioned table one of its partitions' indexes). */
  usedIndex: boolean;
  /** Why it could not be measured. */
  error?: string;
}

export interface DropValidation {
  verdict: 'validated' | 'rejected' | 'inconclusive';
  reason: string;
  statements: DropStatementReport[];
}

export interface ValidateDropIndexInput {
  /** A session on the sandbox, idle (not in a transaction). The index is dropped only inside a rolled-back transaction. */
  sandbox: pg.ClientBase;
  schema: string;
  index: string;
  statements: readonly DropStatement[];
  runs?: number;
  statementTimeoutMs?: number;
}

type Measured = DropMeasure & { plan: ExplainRoot };

/**
 * @example
 *   const v = await validateDropIndex({ sandbox, schema: 'public', index: 'orders_status_idx',
 *     statements: [{ query: 'select * from orders where status = $1', values: ['late'] }] });
 *   v.verdict; // 'rejected'
 *   v.reason;  // '1 statement(s) that used public.orders_status_idx slower without it: cost 8.4 → 1843.0, 0.04 → 6.10 ms (median of 5)'
 */
export async function validateDropIndex(input: ValidateDropIndexInput): Promise<DropValidation> {
  const { sandbox } = input;
  const runs = input.runs ?? DEFAULT_RUNS;
  const qualified = `${quoteIdent(input.schema)}.${quoteIdent(input.index)}`;
  const label = `${input.schema}.${input.index}`;
  await ensureAnalysisRole(sandbox);
  const names = new Set(await treeIndexNames(sandbox, qualified));
  if (names.size === 0) return { verdict: 'inconclusive', reason: `${label} does not exist in the sandbox`, statements: [] };

  const reports: DropStatementReport[] = input.statements.map((s) => ({ ...s, usedIndex: false }));
  for (const r of reports) {
    try {
      const before = await measure(sandbox, r, runs, input.statementTimeoutMs);
      r.method = before.method;
      r.before = summary(before);
      r.usedIndex = indexNames(before.plan).some((name) => names.has(name));
    } catch (error) {
      r.error = messageOf(error);
    }
  }

  await sandbox.query('begin');
  try {
    await sandbox.query(`select set_config('lock_timeout', '5s', true)`);
    try {
      await sandbox.query(`drop index ${qualified}`);
    } catch (error) {
      return { verdict: 'inconclusive', reason: `the index cannot be dropped in the sandbox: ${messageOf(error)}`, statements: reports };
    }
    const nested = nestedSession(sandbox);
    for (const r of reports) {
      if (r.error !== undefined) continue;
      try {
        r.after = summary(await measure(nested, r, runs, input.statementTimeoutMs));
      } catch (error) {
        r.error = messageOf(error);
      }
    }
  } finally {
    await sandbox.query('rollback');
  }
  return { ...verdictOf(reports, label), statements: reports };
}

function verdictOf(reports: readonly DropStatementReport[], label: string): Omit<DropValidation, 'statements'> {
  const measured = reports.filter((r) => r.before && r.after);
  if (measured.length === 0) {
    const why = reports.find((r) => r.error !== undefined)?.error ?? 'none was given';
    return { verdict: 'inconclusive', reason: `no statement could be measured: ${why}` };
  }
  const slower = measured.filter((r) => r.usedIndex && slowerBeyondNoise(r.before!, r.after!));
  if (slower.length > 0) return { verdict: 'rejected', reason: `${slower.length} statement(s) that used ${label} slower without it: ${describe(slower[0]!)}` };
  const used = measured.filter((r) => r.usedIndex).length;
  return { verdict: 'validated', reason: `none of ${measured.length} measured statement(s) got slower without ${label} (${used} of them used it)` };
}

/** See the module's note: cost up by more than COST_NOISE_PCT and, when both were timed, the time beyond noise too. */
export function slowerBeyondNoise(before: DropMeasure, after: DropMeasure): boolean {
  if (!(after.cost > before.cost * (1 + COST_NOISE_PCT / 100))) return false;
  if (before.medianMs === undefined || after.medianMs === undefined || before.maxMs === undefined) return true;
  return after.medianMs > before.maxMs && after.medianMs > before.medianMs * (1 + NOISE_PCT / 100);
}

async function measure(client: pg.ClientBase, s: DropStatement, runs: number, statementTimeoutMs: number | undefined): Promise<Measured & { method: DropStatementReport['method'] }> {
  const check = await checkStatement(s.query);
  const limits = { statementTimeoutMs: statementTimeoutMs ?? 10_000, lockTimeoutMs: 1_000 };
  const hasValues = s.values !== undefined && s.values.length === check.parameterCount;
  if (check.parameterCount > 0 && !hasValues) {
    const { explain } = await genericPlan(client, s.query, limits);
    return { method: 'generic', cost: costOf(explain), plan: explain };
  }
  if (!check.readOnly) {
    const planned = await inGuardedSession(client, [], limits, ({ plan }) => (check.parameterCount > 0 ? plan('custom', s.query, { values: s.values! }) : plan('explain', s.query)));
    const explain = parseExplainOutput(planned.plan);
    return { method: 'explain', cost: costOf(explain), plan: explain };
  }
  const timed = await runsOf(client, check.parameterCount > 0 ? s : { query: s.query }, runs, limits.statementTimeoutMs);
  return { method: 'analyze', cost: costOf(timed.plan), medianMs: timed.medianMs, minMs: timed.minMs, maxMs: timed.maxMs, plan: timed.plan };
}

const costOf = (explain: ExplainRoot): number => Number((explain[EXPLAIN.plan] as Record<string, unknown>)['Total Cost']);

function summary(m: Measured & { method?: DropStatementReport['method'] }): DropMeasure {
  const { plan: _plan, method: _method, ...rest } = m;
  return rest;
}

function describe(r: DropStatementReport): string {
  const time = r.before!.medianMs !== undefined && r.after!.medianMs !== undefined ? `, ${r.before!.medianMs.toFixed(2)} → ${r.after!.medianMs.toFixed(2)} ms (median)` : ' (planner cost only)';
  return `cost ${r.before!.cost.toFixed(1)} → ${r.after!.cost.toFixed(1)}${time}: ${r.query.slice(0, 120)}`;
}

/** The index's name and, for a partitioned index, the names of every index attached below it (plans name those). */
async function treeIndexNames(sandbox: pg.ClientBase, qualified: string): Promise<string[]> {
  const { rows } = await sandbox.query<{ name: string }>(
    // pg_partition_tree returns nothing for an index outside any partition tree, hence the union.
    `select c.relname as name
     from (select to_regclass($1) as relid union select p.relid from pg_catalog.pg_partition_tree(to_regclass($1)) p) t
     join pg_catalog.pg_class c on c.oid = t.relid`,
    [qualified],
  );
  return rows.map((r) => r.name);
}

const SAVEPOINT = 'optischema_drop_probe';

/**
 * The sandbox session as the measuring helpers see it while the DROP is pending: their
 * `begin read write` / `begin read only` open a savepoint (READ ONLY set for it where asked) and
 * their `rollback` returns to it, so each helper's work is undone and the DROP is kept until our
 * own ROLLBACK. Everything else passes through unchanged.
 */
function nestedSession(client: pg.ClientBase): pg.ClientBase {
  const query = async (config: unknown, ...rest: unknown[]): Promise<unknown> => {
    const text = typeof config === 'string' ? config.trim().toLowerCase() : null;
    if (text === 'begin read write' || text === 'begin read only') {
      await client.query(`savepoint ${SAVEPOINT}`);
      if (text === 'begin read only') await client.query('set transaction read only');
      return { rows: [] };
    }
    if (text === 'rollback') {
      await client.query(`rollback to savepoint ${SAVEPOINT}`);
      await client.query(`release savepoint ${SAVEPOINT}`);
      return { rows: [] };
    }
    return (client.query as (...args: unknown[]) => Promise<unknown>)(config, ...rest);
  };
  return new Proxy(client, {
    get(target, property) {
      if (property === 'query') return query;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
