/**
 * A correlated_columns recommendation validated by re-planning (issue 14 §1): the statements that
 * scan the table are planned in the sandbox, the CREATE STATISTICS is made and the table analyzed,
 * they are planned again, and everything is rolled back. Extended statistics change estimates, not
 * execution, so the measure is the estimate error on the table's scans (EXPLAIN ANALYZE's actual
 * rows against the planner's), and no statement's plan may get costlier.
 *
 * Both measurements run in one transaction of the planning guard (plans/guarded-session.ts: each
 * statement planned as its author or the analysis role, READ ONLY while planned), which is rolled
 * back: the statistics object and the new pg_statistic rows go with it. The table is analyzed
 * before the first measurement too, so the statistics object is credited only with what it adds
 * to fresh statistics (a stale table's misestimate is ANALYZE's to fix, not CREATE STATISTICS').
 * ANALYZE updates pg_class.reltuples and relpages in place, which a rollback keeps; they hold what
 * the next autovacuum would write.
 *
 * @example
 *   const result = await validateStatistics({ sandbox, table: 'public.corr',
 *     createSql: 'CREATE STATISTICS public.corr_b_c_stat (dependencies, mcv) ON b, c FROM public.corr;',
 *     statements: [{ query: 'select * from corr where b = $1 and c = $2', values: ['1', '1'] }] });
 *   // { verdict: 'validated', reason: 'the worst estimate error on public.corr fell from 100× to 1×…', before: [...], after: [...] }
 */
import { parse } from 'libpg-query';
import type pg from 'pg';
import type { AuthorRef } from '../../plv8/engine/guard/planners.ts';
import { quoteIdent } from '../../plv8/engine/quote-ident.ts';
import { EXPLAIN } from '../../plv8/plan/explain-keys.ts';
import { relationText, walkPlan } from '../../plv8/plan/insights/plan-tree.ts';
import { misestimateOf } from '../../plv8/plan/insights/row-misestimate.ts';
import { messageOf } from '../errors.ts';
import { parseExplainOutput } from '../plans/explain-output.ts';
import { inGuardedSession, type GuardedSession } from '../plans/guarded-session.ts';
import { checkStatement } from '../plans/statement-check.ts';

/** The worst misestimate must shrink at least this many times (OptiSchema's line: half the error is a real gain, not sampling noise). */
export const MIN_ERROR_REDUCTION = 2;
/** A statement whose plan cost grows more than this share is a regression (the planner's cost units). */
export const MAX_COST_GROWTH = 0.1;

export interface StatisticsStatement {
  query: string;
  /** Values for `$1…$n`, as text; needed for EXPLAIN ANALYZE of a `$n` text. */
  values?: (string | null)[];
}

export interface ValidateStatisticsInput {
  /** A session on the sandbox, idle (no transaction open). */
  sandbox: pg.ClientBase;
  /** The recommendation's SQL: CREATE STATISTICS on `table`, optionally followed by ANALYZE of it. */
  createSql: string;
  /** `schema.table`, as the catalog names it (unquoted). */
  table: string;
  statements: readonly StatisticsStatement[];
  /** Who ran the statements, most calls first (pg_stat_statements' userid): they are planned with those rights; default this session's role. */
  authors?: readonly AuthorRef[];
  /** statement_timeout of each plan; default 10 s. */
  statementTimeoutMs?: number;
}

export interface ScanEstimate {
  nodeType: string;
  path: number[];
  plannedRows: number;
  /** Null without EXPLAIN ANALYZE (a statement not provably read-only, or without values). */
  actualRows: number | null;
  /** How many times off the estimate was, either way (1: right, or counts too small to tell). */
  factor: number | null;
}

export interface StatementMeasure {
  query: string;
  /** Planned with EXPLAIN ANALYZE (actual rows known), else plain EXPLAIN. */
  analyzed: boolean;
  /** The root's Total Cost, in the planner's cost units. */
  totalCost: number | null;
  scans: ScanEstimate[];
  /** The worst factor on the table's scans; null when not analyzed or none scanned it. */
  worstFactor: number | null;
  error?: string;
}

export interface StatisticsValidation {
  verdict: 'validated' | 'rejected' | 'inconclusive';
  reason: string;
  before: StatementMeasure[];
  after: StatementMeasure[];
}

export async function validateStatistics(input: ValidateStatisticsInput): Promise<StatisticsValidation> {
  const empty = (reason: string): StatisticsValidation => ({ verdict: 'inconclusive', reason, before: [], after: [] });
  const dot = input.table.indexOf('.');
  if (dot <= 0) return empty(`the table must be named schema.table, not ${input.table}`);
  const [schema, name] = [input.table.slice(0, dot), input.table.slice(dot + 1)];
  let createStatements: string[];
  try {
    createStatements = await statisticsStatements(input.createSql, schema, name);
  } catch (error) {
    return empty(messageOf(error));
  }
  const analyzeSql = `ANALYZE ${quoteIdent(schema)}.${quoteIdent(name)}`;
  const limits = { statementTimeoutMs: input.statementTimeoutMs ?? 10_000, lockTimeoutMs: 2_000 };

  const { before, after } = await inGuardedSession(input.sandbox, input.authors ?? [], limits, async (session) => {
    await input.sandbox.query(analyzeSql);
    const before = await measureAll(input, session);
    for (const statement of createStatements) await input.sandbox.query(statement);
    await input.sandbox.query(analyzeSql);
    const after = await measureAll(input, session);
    return { before, after };
  });
  return { ...verdictOf(input.table, before, after), before, after };
}

/** The CREATE STATISTICS statements of `sql`, refused unless every statement is one on the table or an ANALYZE. */
async function statisticsStatements(sql: string, schema: string, table: string): Promise<string[]> {
  let tree: { stmts?: { stmt?: Record<string, unknown>; stmt_location?: number; stmt_len?: number }[] };
  try {
    tree = await parse(sql);
  } catch (error) {
    throw new Error(`the statistics SQL does not parse: ${messageOf(error)}`, { cause: error });
  }
  const bytes = Buffer.from(sql, 'utf8');
  const creates: string[] = [];
  for (const entry of tree.stmts ?? []) {
    const [kind, body] = Object.entries(entry.stmt ?? {})[0] ?? [];
    const node = (body ?? {}) as { relations?: { RangeVar?: { schemaname?: string; relname?: string } }[]; is_vacuumcmd?: boolean };
    if (kind === 'VacuumStmt' && node.is_vacuumcmd !== true) continue; // ANALYZE: run anyway, below
    const on = node.relations?.map((r) => r.RangeVar) ?? [];
    if (kind !== 'CreateStatsStmt' || on.length !== 1 || on[0]?.relname !== table || on[0]?.schemaname !== schema) {
      // Schema-qualified only: an unqualified name resolves by search_path, possibly to another table.
      throw new Error(`only CREATE STATISTICS on ${schema}.${table}, schema-qualified (and ANALYZE), is validated here, not ${kind ?? 'an empty statement'}`);
    }
    const start = entry.stmt_location ?? 0;
    creates.push(bytes.subarray(start, entry.stmt_len ? start + entry.stmt_len : undefined).toString('utf8').trim());
  }
  if (creates.length === 0) throw new Error('the statistics SQL holds no CREATE STATISTICS');
  return creates;
}

async function measureAll(input: ValidateStatisticsInput, session: GuardedSession): Promise<StatementMeasure[]> {
  const measures: StatementMeasure[] = [];
  for (const statement of input.statements) measures.push(await measure(input, session, statement));
  return measures;
}

/** Plans one statement behind a savepoint: a failing one (a timeout, a refusal) costs only itself. */
async function measure(input: ValidateStatisticsInput, session: GuardedSession, statement: StatisticsStatement): Promise<StatementMeasure> {
  const failed = (error: unknown, analyzed = false): StatementMeasure => ({ query: statement.query, analyzed, totalCost: null, scans: [], worstFactor: null, error: messageOf(error) });
  let check;
  try {
    check = await checkStatement(statement.query);
  } catch (error) {
    return failed(error);
  }
  const values = statement.values ?? null;
  const hasValues = check.parameterCount === 0 || (values !== null && values.length === check.parameterCount);
  const analyzed = check.readOnly && hasValues;
  const kind = analyzed ? 'analyze' : check.parameterCount === 0 ? 'explain' : hasValues ? 'custom' : 'generic';
  const extra = {
    ...(kind === 'analyze' ? { checkText: check.nullParameterText } : {}),
    values: check.parameterCount > 0 && hasValues ? values : null,
  };
  await input.sandbox.query('savepoint optischema_statistics_plan');
  try {
    const planned = await session.plan(kind, statement.query, extra);
    await input.sandbox.query('release savepoint optischema_statistics_plan');
    if (planned.refused) return failed(`EXPLAIN ANALYZE refused: ${planned.refused.join('; ')}`, analyzed);
    return readMeasure(statement.query, analyzed && kind === 'analyze', planned.plan, input.table);
  } catch (error) {
    await input.sandbox.query('rollback to savepoint optischema_statistics_plan');
    return failed(error, analyzed);
  }
}

function readMeasure(query: string, analyzed: boolean, plan: unknown, table: string): StatementMeasure {
  const root = parseExplainOutput(plan);
  const scans: ScanEstimate[] = walkPlan(root[EXPLAIN.plan])
    .filter((v) => v.relation !== undefined && relationText(v.relation) === table && v.nodeType.endsWith('Scan'))
    .map((v) => {
      const plannedRows = typeof v.node[EXPLAIN.planRows] === 'number' ? (v.node[EXPLAIN.planRows] as number) : 0;
      const actual = typeof v.node[EXPLAIN.actualRows] === 'number' ? (v.node[EXPLAIN.actualRows] as number) : null;
      // misestimateOf ignores tiny counts and rows a parent cut short: those read as exact (1×).
      const factor = analyzed && actual !== null ? (misestimateOf(v)?.factor ?? 1) : null;
      return { nodeType: v.nodeType, path: v.path, plannedRows, actualRows: analyzed ? actual : null, factor };
    });
  const factors = scans.map((s) => s.factor).filter((f): f is number => f !== null);
  const totalCost = root[EXPLAIN.plan][EXPLAIN.totalCost];
  return { query, analyzed, totalCost: typeof totalCost === 'number' ? totalCost : null, scans, worstFactor: factors.length === 0 ? null : Math.max(...factors) };
}

function verdictOf(table: string, before: StatementMeasure[], after: StatementMeasure[]): Pick<StatisticsValidation, 'verdict' | 'reason'> {
  const worst = (measures: StatementMeasure[]) => {
    const factors = measures.map((m) => m.worstFactor).filter((f): f is number => f !== null);
    return factors.length === 0 ? null : Math.max(...factors);
  };
  const worstBefore = worst(before);
  const worstAfter = worst(after);
  if (worstBefore === null || worstAfter === null) {
    const errors = [...before, ...after].filter((m) => m.error).map((m) => m.error);
    return {
      verdict: 'inconclusive',
      reason: `no statement measured an estimate error on ${table} (EXPLAIN ANALYZE needs a read-only statement with its values)${errors.length > 0 ? `: ${[...new Set(errors)].join('; ')}` : ''}`,
    };
  }
  const costlier = before.flatMap((b, i) => {
    const a = after[i];
    if (!a || b.totalCost === null || a.totalCost === null || b.totalCost <= 0) return [];
    const growth = a.totalCost / b.totalCost - 1;
    return growth > MAX_COST_GROWTH ? [`${b.query} (cost ${Math.round(b.totalCost)} → ${Math.round(a.totalCost)}, +${Math.round(growth * 100)}%)`] : [];
  });
  const round = (f: number) => Math.round(f * 10) / 10;
  const errorChange = `the worst estimate error on ${table}'s scans went from ${round(worstBefore)}× to ${round(worstAfter)}× (EXPLAIN ANALYZE actual vs planned rows, before and after, both on fresh ANALYZE statistics)`;
  if (costlier.length > 0) return { verdict: 'rejected', reason: `${errorChange}, but plans got more than ${MAX_COST_GROWTH * 100}% costlier: ${costlier.join('; ')}` };
  if (worstBefore / worstAfter >= MIN_ERROR_REDUCTION) return { verdict: 'validated', reason: `${errorChange}: at least ${MIN_ERROR_REDUCTION}× smaller, and no plan got costlier by more than ${MAX_COST_GROWTH * 100}%` };
  return { verdict: 'rejected', reason: `${errorChange}: not ${MIN_ERROR_REDUCTION}× smaller, so the statistics object does not pay for itself` };
}
