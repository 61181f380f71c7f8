import type pg from 'pg';
import type { AuthorRef } from '../../plv8/engine/guard/planners.ts';
import type { Queryable } from '../database/queryable.ts';
import { analyzePlan } from './analyze-plan.ts';
import type { ExplainRoot } from './explain-output.ts';
import { genericPlan } from './generic-plan.ts';
import { planHash } from './plan-hash.ts';
import { qualstatsValues } from './qualstats-values.ts';
import { checkStatement, type StatementCheck } from './statement-check.ts';

/**
 * Glossary.
 *  - normalized text: a statement as pg_stat_statements keeps it, constants replaced by `$1…`.
 *  - generic plan: the plan for any values of the `$n` (EXPLAIN without running; any statement).
 *  - analyze plan: EXPLAIN (ANALYZE, BUFFERS) with real values (read-only statements only).
 *  - plan hash: md5 of the plan's shape (plan-hash.ts); a new hash for a queryid is a plan change.
 */

export interface CapturePlansInput {
  /** A connection to the monitored database, idle (no transaction of the caller's open). */
  target: pg.ClientBase;
  /** OptiSchema's own database, through a connection that bypasses RLS (the sidecar's). */
  store: Queryable;
  targetId: string;
  /** Looked up from optischema.targets when not given. */
  tenantId?: string;
  queryid: string | bigint;
  /** The normalized text, or a literal statement. */
  query: string;
  /**
   * Values for the `$n`, when known. Without them a `$n` text is analyzed only if pg_qualstats
   * has sample constants that map (see qualstats-values.ts); a literal text needs none.
   */
  values?: readonly (string | null)[];
  /** Look in pg_qualstats for values when none are given; default true. */
  useQualstats?: boolean;
  /** statement_timeout for each EXPLAIN; default 10 s. */
  statementTimeoutMs?: number;
  /**
   * The roles that ran it, most calls first (pg_stat_statements' userid): it is planned with their
   * rights, never OptiSchema's (plans/guarded-session.ts). Default: the target connection's role.
   */
  authors?: readonly AuthorRef[];
}

export interface StoredPlan {
  /** optischema.query_plans.id (bigint, as text). */
  id: string;
  hash: string;
}

export interface CapturePlansResult {
  generic?: StoredPlan;
  analyze?: StoredPlan;
  /** Why no analyze plan was attempted (not read-only, no values); absent when one was tried. */
  analyzeSkipped?: string;
  /** What went wrong, one line each: a parse error, an unknown column, a timeout. */
  errors: string[];
}

/**
 * Captures and stores the plans of one query: its generic plan always, and an EXPLAIN (ANALYZE,
 * BUFFERS) plan when the statement is read-only and values are known. Failures are reported in
 * `errors`, per step, never thrown: a batch over many slow queries goes on.
 *
 * @example
 *   const result = await capturePlans({ target, store, targetId, queryid, query: 'select * from t where id = $1' });
 *   // { generic: { id: '17', hash: '3f…' }, analyzeSkipped: 'no values known for $1…$1', errors: [] }
 */
export async function capturePlans(input: CapturePlansInput): Promise<CapturePlansResult> {
  const result: CapturePlansResult = { errors: [] };
  let tenantId: string;
  let statement: StatementCheck;
  try {
    tenantId = input.tenantId ?? (await targetTenant(input.store, input.targetId));
    statement = await checkStatement(input.query);
  } catch (error) {
    result.errors.push(messageOf(error));
    return result;
  }
  const limits = { statementTimeoutMs: input.statementTimeoutMs, authors: input.authors };
  const store = (kind: 'generic' | 'analyze', explain: ExplainRoot, parameters: unknown) =>
    storePlan(input.store, { tenantId, targetId: input.targetId, queryid: input.queryid, kind, explain, parameters });

  try {
    const generic = await genericPlan(input.target, input.query, limits);
    result.generic = await store('generic', generic.explain, generic.parameterTypes === null ? null : { types: generic.parameterTypes });
  } catch (error) {
    result.errors.push(`generic plan: ${messageOf(error)}`);
  }

  if (!statement.readOnly) {
    result.analyzeSkipped = `not provably read-only: ${statement.writeReasons.join('; ')}`;
    return result;
  }
  let values = input.values;
  let source = 'given';
  if (values === undefined && statement.parameterCount === 0) source = 'literal';
  if (values === undefined && statement.parameterCount > 0 && input.useQualstats !== false) {
    try {
      values = (await qualstatsValues(input.target, input.queryid, input.query)) ?? undefined;
      source = 'pg_qualstats';
    } catch (error) {
      result.errors.push(`pg_qualstats values: ${messageOf(error)}`);
    }
  }
  if (values === undefined && statement.parameterCount > 0) {
    result.analyzeSkipped = `no values known for $1…$${statement.parameterCount}`;
    return result;
  }
  try {
    const analyze = await analyzePlan(input.target, input.query, { ...limits, values });
    result.analyze = await store('analyze', analyze.explain, { source, values: values ?? [] });
  } catch (error) {
    result.errors.push(`analyze plan: ${messageOf(error)}`);
  }
  return result;
}

async function targetTenant(store: Queryable, targetId: string): Promise<string> {
  const { rows } = await store.query<{ tenant_id: string }>('select tenant_id from optischema.targets where id = $1', [targetId]);
  const tenantId = rows[0]?.tenant_id;
  if (tenantId === undefined) throw new Error(`target ${targetId} does not exist`);
  return tenantId;
}

interface PlanRow {
  tenantId: string;
  targetId: string;
  queryid: string | bigint;
  kind: 'generic' | 'analyze';
  explain: ExplainRoot;
  parameters: unknown;
}

/** One row in optischema.query_plans; the plan is stored as EXPLAIN returned it (an array of one). */
async function storePlan(store: Queryable, row: PlanRow): Promise<StoredPlan> {
  const hash = planHash(row.explain);
  const { rows } = await store.query<{ id: string }>(
    `insert into optischema.query_plans (tenant_id, target_id, queryid, captured_at, kind, plan_hash, plan, parameters)
     values ($1, $2, $3, now(), $4, $5, $6, $7)
     returning id::text as id`,
    [
      row.tenantId,
      row.targetId,
      String(row.queryid),
      row.kind,
      hash,
      JSON.stringify([row.explain]),
      row.parameters === null ? null : JSON.stringify(row.parameters),
    ],
  );
  return { id: rows[0]!.id, hash };
}

/** One line: the message, with the server's SQLSTATE when there is one. */
function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? `${error.message} (SQLSTATE ${code})` : error.message;
}
