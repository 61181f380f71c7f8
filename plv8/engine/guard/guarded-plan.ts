/**
 * Planning someone else's statement inside the guard (guard-sql.ts): the steps that install it in
 * the session, plan a statement through it, and take it away again. Every plan of a statement
 * OptiSchema did not write goes through guardedPlan.
 *
 * Glossary
 * - guard: the temporary functions of guard-sql.ts in this session, plus one SECURITY DEFINER
 *   planning function per planning role.
 * - kinds: explain (a literal statement), generic (a `$n` text's generic plan), custom (a `$n`
 *   text's plan for given values, not run), analyze (EXPLAIN ANALYZE with values, only when the
 *   catalog proves the statement harmless), rows (the same proof, then the result's fingerprint).
 *
 * @example
 *   const [planner] = yield* choosePlanners([[userid]]);
 *   yield* openGuard([planner]);
 *   try {
 *     const { plan } = yield* guardedPlan(planner, 'generic', 'select * from t where id = $1');
 *   } finally {
 *     yield* closeGuard();
 *   }
 */
import type { Rows, Step } from '../protocol.ts';
import { GUARD_DROP_SQL, GUARD_INSTALL_SQL } from './guard-sql.ts';
import type { Planner } from './planners.ts';

export type PlanKind = 'explain' | 'generic' | 'custom' | 'analyze' | 'rows';

export interface GuardedPlan {
  /** EXPLAIN (FORMAT JSON) output: an array holding one `{ Plan: … }`. Absent when refused. */
  plan?: unknown;
  /** The parameter types PREPARE inferred (generic and analyze with values). */
  parameterTypes?: string[];
  /** analyze and rows: why the statement is not provably harmless (nothing was run). */
  refused?: string[];
  /** rows: a fingerprint of the statement's result (md5s of its row texts), never the rows. */
  rows?: { count: number; truncated: boolean; ordered: string; multiset: string };
}

/** Installs the guard and a planning function for each distinct planning role. */
export function* openGuard(planners: readonly Planner[]): Step<void> {
  // With standard_conforming_strings off, '\\'' ends no string and no lexer reading a text can be
  // trusted to count its statements: refuse before anything is created (the guard checks again).
  const mode = yield { sql: `select current_setting('standard_conforming_strings') as mode`, params: [] };
  if (mode[0]?.mode !== 'on') {
    throw new Error('OptiSchema plans statements only with standard_conforming_strings on; it is off in this session: SET standard_conforming_strings = on');
  }
  yield { sql: GUARD_INSTALL_SQL, params: [], command: true };
  const roles = [...new Set(planners.map((p) => p.role))].sort();
  if (roles.length > 0) yield { sql: 'select pg_temp.optischema_guard_role(r) as planning_function from unnest($1::text[]) r', params: [roles] };
}

/** Drops the planning functions and the guard. Safe to call when the guard was never opened. */
export function* closeGuard(): Step<void> {
  const installed = yield { sql: `select to_regprocedure('pg_temp.optischema_guard_close()') is not null as installed`, params: [] };
  if (installed[0]?.installed === true) yield { sql: 'select pg_temp.optischema_guard_close() is null as closed', params: [] };
  yield { sql: GUARD_DROP_SQL, params: [], command: true };
}

/**
 * Plans `statement` as `planner.role` inside the guard. `checkText` (analyze only) is the statement
 * with each `$n` as `(NULL)`, for the catalog check; `values` (custom and analyze) are the `$n`
 * values as text, or null for a literal statement.
 */
export function* guardedPlan(
  planner: Planner,
  kind: PlanKind,
  statement: string,
  extra: { checkText?: string; values?: readonly (string | null)[] | null } = {},
): Step<GuardedPlan> {
  let rows: Rows;
  try {
    rows = yield {
      sql: 'select pg_temp.optischema_guarded_plan($1, $2, $3, $4, $5, $6::text[]) as result',
      params: [planner.role, planner.searchPath, kind, statement, extra.checkText ?? null, extra.values ? [...extra.values] : null],
    };
  } catch (error) {
    throw explainedRefusal(planner, error);
  }
  return guardResult(rows[0]?.result);
}

/**
 * A planning error as the caller should read it. 42501 insufficient_privilege: the analysis role
 * may read and nothing more, so a superuser's INSERT, UPDATE or DELETE cannot be planned with its
 * rights; say so, and what would.
 */
export function explainedRefusal(planner: Planner, error: unknown): unknown {
  if (planner.as !== 'analysis' || (error as { code?: unknown } | null)?.code !== '42501') return error;
  const explained = new Error(
    `${(error as Error).message}: statements of ${planner.author} are planned as ${planner.role}, which may only read; ` +
      `a writing statement is planned with its author's rights, so run the application as a role that is not a superuser (docs/security.md)`,
    { cause: error },
  );
  return Object.assign(explained, { code: '42501' });
}

/** optischema_guarded_plan's jsonb result, read (node-postgres hands jsonb back parsed; plv8 may hand text). */
export function guardResult(value: unknown): GuardedPlan {
  const result = (typeof value === 'string' ? JSON.parse(value) : value) as (Omit<GuardedPlan, 'plan'> & { plan?: unknown }) | null;
  if (result === null || typeof result !== 'object') throw new Error('the planning guard returned nothing');
  const plan = typeof result.plan === 'string' ? (JSON.parse(result.plan) as unknown) : result.plan;
  return { ...result, ...(plan === undefined ? {} : { plan }) };
}
