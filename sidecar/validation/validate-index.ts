/**
 * One index recommendation validated in a sandbox (issue 11 §2): the statements it serves (with the
 * advisor's parameter values) and the workload's other statements on its table are measured before
 * and after the index is built for real; its build time, real size and write overhead are measured;
 * the verdict is measure-index.ts's verdictOf. For a sandbox holding a sample, each served
 * statement's plan there is compared with the production target's own plan: a difference is
 * reported with the verdict (the validation then speaks for the sample's data, not production's).
 */
import type pg from 'pg';
import { messageOf } from '../errors.ts';
import { inGuardedSession } from '../plans/guarded-session.ts';
import { measureIndex, verdictOf, writeOverhead, DEFAULT_RUNS, NOISE_PCT, type IndexMeasurement, type MeasureOptions, type Runs, type Verdict, type WriteOverhead } from '../sandbox/measure-index.ts';
import { comparePlanShapes } from '../sandbox/plan-shape.ts';
import { dropIndexSql } from '../apply/index-statements.ts';
import { parseIndexDdl, plainIndexDdl } from '../database/index-ddl.ts';
import type { ChosenStatement } from './measured-statements.ts';

export interface ValidateIndexInput {
  /** A session on the sandbox (indexes are built and dropped there). */
  sandbox: pg.ClientBase;
  /** A session on the production target: only planned on (EXPLAIN, guarded), when plans are compared. */
  production?: pg.ClientBase;
  /** The recommendation's CREATE INDEX (CONCURRENTLY or not; the sandbox builds it plainly). */
  ddl: string;
  /** The statements the recommendation serves. */
  served: readonly ChosenStatement[];
  /**
   * The other indexes the estimate assumed in place (`together`: the other arms of one OR, the
   * index chosen before this one for a join): built in the sandbox first, for before and after
   * alike, so the index is measured for what it adds to them, and dropped afterwards.
   */
  together?: readonly string[];
  /** The workload's other statements on the same table: none may get slower. */
  others: readonly ChosenStatement[];
  /** Statements that could not be measured, and why (no parameter values…). */
  skipped: readonly { query: string; why: string }[];
  /** Compare plans with production (the sample strategy). */
  comparePlans?: boolean;
  runs?: number;
  statementTimeoutMs?: number;
  onProgress?: MeasureOptions['onProgress'];
}

export interface StatementReport {
  query: string;
  queryid?: string | null;
  label?: string;
  role: 'served' | 'other';
  values?: (string | null)[];
  before?: RunSummary;
  after?: RunSummary;
  usesIndex: boolean;
  error?: string;
  planBefore?: unknown;
  planAfter?: unknown;
  /** Sample sandboxes: production's plan was read and compared with the sandbox's. */
  planCompared?: boolean;
  /** … and how they differ. */
  planDiffers?: string;
}

type RunSummary = Omit<Runs, 'plan'>;

export interface IndexValidation {
  verdict: Verdict;
  /** Median time saved over the served statements the index serves, in percent (null: none measured). */
  measuredImprovementPct: number | null;
  /** Stored as the recommendation's `validation`. */
  report: {
    verdict: Verdict['state'];
    reason: string;
    runs: number;
    noisePct: number;
    buildMs: number | null;
    sizeBytes: number | null;
    writeOverhead: WriteOverhead | { error: string } | null;
    statements: StatementReport[];
    skipped: readonly { query: string; why: string }[];
    together?: readonly string[];
    planDiffersFromProduction: boolean;
    measuredAt: string;
  };
}

/**
 * @example
 *   const v = await validateIndex({ sandbox, ddl, served: [{ query: 'select … where customer_id = $1', values: ['42'] }], others: [], skipped: [] });
 *   v.verdict; // { state: 'validated', reason: '1 statement(s) faster: 4.10 → 0.05 ms (median of 5)' }
 */
export async function validateIndex(input: ValidateIndexInput): Promise<IndexValidation> {
  const runs = input.runs ?? DEFAULT_RUNS;
  const ddl = plainIndexDdl(input.ddl);
  const statements = [...input.served, ...input.others];
  const built: string[] = [];
  let measurement: IndexMeasurement;
  try {
    const own = parseIndexDdl(ddl).index;
    for (const other of input.together ?? []) {
      const { schema, index } = parseIndexDdl(other);
      // A group's list may name the index itself.
      if (index === own) continue;
      await input.sandbox.query(dropIndexSql(schema, index, false));
      await input.sandbox.query(plainIndexDdl(other));
      built.push(dropIndexSql(schema, index, false));
    }
    measurement = await measureIndex(input.sandbox, ddl, statements, {
      runs,
      ...(input.statementTimeoutMs ? { statementTimeoutMs: input.statementTimeoutMs } : {}),
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    });
  } finally {
    for (const drop of built) await input.sandbox.query(drop).catch(() => undefined);
  }
  // The other statements only guard against a slowdown: a verdict needs a served one measured.
  const servedMeasured = measurement.statements.slice(0, input.served.length).filter((s) => s.before && s.after);
  const unmeasured = measurement.statements.slice(0, input.served.length).find((s) => s.error !== undefined)?.error ?? input.skipped[0]?.why ?? 'the recommendation names none';
  let verdict: Verdict = measurement.error === undefined && servedMeasured.length === 0
    ? { state: 'inconclusive', reason: `none of the statements the index serves could be run: ${unmeasured}` }
    : verdictOf(measurement);
  const overhead = measurement.error === undefined ? await writeOverhead(input.sandbox, ddl, input.statementTimeoutMs ? { statementTimeoutMs: input.statementTimeoutMs } : {}).catch((error: unknown) => ({ error: messageOf(error) })) : null;
  const reports = measurement.statements.map((s, i) => report(s, i < input.served.length ? 'served' : 'other', statements[i]!));
  if (input.comparePlans && input.production) await comparePlans(input.production, reports);
  const differs = reports.filter((r) => r.planDiffers !== undefined);
  if (differs.length > 0) verdict = { ...verdict, reason: `${verdict.reason}; plan differs from production for ${differs.length} statement(s): ${differs[0]!.planDiffers}` };
  return {
    verdict,
    measuredImprovementPct: improvementOf(measurement, input.served.length),
    report: {
      ...(input.together?.length ? { together: input.together } : {}),
      verdict: verdict.state,
      reason: verdict.reason,
      runs,
      noisePct: NOISE_PCT,
      buildMs: measurement.buildMs,
      sizeBytes: measurement.sizeBytes,
      writeOverhead: overhead,
      statements: reports,
      skipped: input.skipped,
      planDiffersFromProduction: differs.length > 0,
      measuredAt: new Date().toISOString(),
    },
  };
}

function report(s: IndexMeasurement['statements'][number], role: 'served' | 'other', chosen: ChosenStatement): StatementReport {
  const summary = (r: Runs | undefined): RunSummary | undefined => {
    if (!r) return undefined;
    const { plan: _plan, ...rest } = r;
    return rest;
  };
  return {
    query: s.query,
    ...(chosen.queryid === undefined ? {} : { queryid: chosen.queryid }),
    ...(chosen.label === undefined ? {} : { label: chosen.label }),
    ...(s.values === undefined ? {} : { values: s.values }),
    role,
    ...(s.before ? { before: summary(s.before)!, planBefore: s.before.plan } : {}),
    ...(s.after ? { after: summary(s.after)!, planAfter: s.after.plan } : {}),
    usesIndex: s.usesIndex,
    ...(s.error === undefined ? {} : { error: s.error }),
  };
}

/** (Σ median before − Σ median after) / Σ median before over the served statements measured both ways. */
function improvementOf(m: IndexMeasurement, servedCount: number): number | null {
  const measured = m.statements.slice(0, servedCount).filter((s) => s.before && s.after);
  const before = measured.reduce((sum, s) => sum + s.before!.medianMs, 0);
  const after = measured.reduce((sum, s) => sum + s.after!.medianMs, 0);
  if (measured.length === 0 || before <= 0) return null;
  return Math.max(-9999, Math.min(9999, Math.round(((before - after) / before) * 10_000) / 100));
}

/**
 * The production target's plan for each served statement measured in the sandbox (EXPLAIN with the
 * same values, never ANALYZE: nothing runs on production), compared by shape with the sandbox's
 * plan before the index.
 */
async function comparePlans(production: pg.ClientBase, reports: StatementReport[]): Promise<void> {
  for (const r of reports) {
    if (r.role !== 'served' || r.planBefore === undefined) continue;
    try {
      const planned = await inGuardedSession(production, [], { statementTimeoutMs: 10_000, lockTimeoutMs: 1_000 }, ({ plan }) =>
        r.values ? plan('custom', r.query, { values: r.values }) : plan('explain', r.query),
      );
      if (planned.plan === undefined) continue;
      const compared = comparePlanShapes(r.planBefore, planned.plan);
      r.planCompared = true;
      if (!compared.same) r.planDiffers = compared.difference ?? 'the plans differ';
    } catch (error) {
      r.planDiffers = `production's plan could not be read: ${messageOf(error)}`;
    }
  }
}
