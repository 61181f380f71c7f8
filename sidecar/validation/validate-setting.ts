/**
 * A setting recommendation validated in a sandbox (issue 14 §4): the workload's read-only
 * statements run with the session's current value, then with the proposed one, and compared.
 *
 * Only settings a session may SET (pg_settings.context 'user' or 'superuser': work_mem,
 * random_page_cost, effective_cache_size…) can be tried this way; one that needs a reload or a
 * restart (shared_buffers, max_connections) changes the whole server, which a sandbox session
 * cannot stand in for: the verdict is then inconclusive.
 *
 * How it measures (the same rules as index validation, sidecar/sandbox/measure-index.ts): each
 * statement passes the read-only checks (statement-check.ts, then the planning guard's catalog
 * proof), runs once to warm up and `runs` times (default DEFAULT_RUNS) each way under EXPLAIN
 * (ANALYZE, BUFFERS) in a rolled-back transaction, the runs before and after taken in turns; the
 * median run's time and plan are kept.
 *  - before: analyzePlan, with the session's value;
 *  - after: the same guarded, rolled-back transaction, with `set_config(setting, value, true)`
 *    (bind parameters; local to the transaction) before the plan, so the session keeps its value.
 * Verdict: validated when a statement gets faster beyond noise (fasterBeyondNoise, NOISE_PCT) or
 * stops spilling to disk (a sort on disk, a hash or hash aggregate in more than one batch), and
 * none gets slower beyond noise (median above its slowest run before and NOISE_PCT above its
 * median); rejected otherwise; inconclusive when nothing could be measured.
 */
import type pg from 'pg';
import { EXPLAIN } from '../../plv8/plan/explain-keys.ts';
import { messageOf } from '../errors.ts';
import { settingLiteral } from '../health/settings/setting-units.ts';
import { analyzePlan } from '../plans/analyze-plan.ts';
import { parseExplainOutput, type ExplainRoot, type PlanNode } from '../plans/explain-output.ts';
import { inGuardedSession } from '../plans/guarded-session.ts';
import { StatementError, type StatementCheck } from '../plans/statement-check.ts';
import { DEFAULT_RUNS, NOISE_PCT, fasterBeyondNoise, type MeasuredStatement, type Verdict } from '../sandbox/measure-index.ts';

/** Settings a session may SET for itself (pg_settings.context). */
const SESSION_CONTEXTS = new Set(['user', 'superuser']);

export interface ValidateSettingInput {
  /** A session on the sandbox; its own value of the setting is the "before" and is left as it was. */
  sandbox: pg.ClientBase;
  setting: string;
  /** The proposed value, as SET takes it ('64MB', '1.1'). */
  value: string;
  statements: readonly MeasuredStatement[];
  runs?: number;
  statementTimeoutMs?: number;
}

export interface SettingRuns {
  /** Execution times in ms, as the server measured them (EXPLAIN ANALYZE), in run order. */
  ms: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** The median run spilled to disk; `spilledNodes` says where ("Sort: Disk", "Hash: 8 batches"). */
  spills: boolean;
  spilledNodes: string[];
}

export interface SettingStatementReport {
  query: string;
  values?: (string | null)[];
  before?: SettingRuns;
  after?: SettingRuns;
  /** Why it could not be measured (not provably read-only, refused by the guard, timed out…). */
  error?: string;
}

export interface SettingValidation {
  verdict: Verdict['state'];
  reason: string;
  setting: string;
  value: string;
  /** The sandbox session's value, the "before". */
  currentValue: string | null;
  runs: number;
  noisePct: number;
  statements: SettingStatementReport[];
  measuredAt: string;
}

/**
 * @example
 *   const v = await validateSetting({ sandbox, setting: 'work_mem', value: '64MB', statements: [{ query: 'select * from events order by created_at' }] });
 *   v.verdict; // 'validated'
 *   v.reason;  // '1 statement(s) stopped spilling to disk: Sort: Disk → none; 61.20 → 38.45 ms (median of 5)'
 */
export async function validateSetting(input: ValidateSettingInput): Promise<SettingValidation> {
  const runs = input.runs ?? DEFAULT_RUNS;
  const base = { setting: input.setting, value: input.value, runs, noisePct: NOISE_PCT };
  const { rows } = await input.sandbox.query<{ context: string; setting: string; unit: string | null }>(
    'select context, setting, unit from pg_catalog.pg_settings where name = $1',
    [input.setting],
  );
  const row = rows[0];
  const done = (verdict: Verdict, statements: SettingStatementReport[]): SettingValidation => ({
    ...base, verdict: verdict.state, reason: verdict.reason, currentValue: row ? settingLiteral(row.setting, row.unit) : null, statements, measuredAt: new Date().toISOString(),
  });
  if (!row) return done({ state: 'inconclusive', reason: `${input.setting} is not a setting of this server` }, []);
  if (!SESSION_CONTEXTS.has(row.context)) {
    return done({ state: 'inconclusive', reason: `a sandbox cannot test ${input.setting}: it needs a reload or restart of the whole server` }, []);
  }
  const limits = { statementTimeoutMs: input.statementTimeoutMs ?? 10_000, lockTimeoutMs: 1_000 };
  const reports: SettingStatementReport[] = [];
  for (const s of input.statements) {
    const report: SettingStatementReport = { query: s.query, ...(s.values ? { values: s.values } : {}) };
    reports.push(report);
    try {
      let checked: StatementCheck | undefined;
      const before = async () => {
        const { explain, statement } = await analyzePlan(input.sandbox, s.query, { ...(s.values ? { values: s.values } : {}), ...limits });
        checked = statement;
        return explain;
      };
      // The statement passed analyzePlan's checks in `before`; the same guarded plan, with the value set locally.
      const after = () =>
        inGuardedSession(input.sandbox, [], { ...limits, mode: 'read write' }, async ({ plan }) => {
          await input.sandbox.query('select set_config($1, $2, true)', [input.setting, input.value]);
          const statement = checked!;
          const planned = await plan('analyze', s.query, { checkText: statement.nullParameterText, values: statement.parameterCount > 0 ? (s.values ?? []) : null });
          if (planned.refused) throw new StatementError(`EXPLAIN ANALYZE refused: the catalog does not prove the statement harmless (${planned.refused.join('; ')})`);
          return parseExplainOutput(planned.plan);
        });
      const measured = await alternating(runs, before, after);
      report.before = measured.before;
      report.after = measured.after;
    } catch (error) {
      report.error = messageOf(error);
    }
  }
  return done(verdictOf(reports), reports);
}

/**
 * One warm-up run of each, then `runs` runs of each taken in turns (before, after, before, …), so
 * that a machine that gets busier or warmer during the measurement slows both alike.
 */
async function alternating(runs: number, before: () => Promise<ExplainRoot>, after: () => Promise<ExplainRoot>): Promise<{ before: SettingRuns; after: SettingRuns }> {
  await before();
  await after();
  const plans = { before: [] as ExplainRoot[], after: [] as ExplainRoot[] };
  for (let n = 0; n < runs; n++) {
    plans.before.push(await before());
    plans.after.push(await after());
  }
  return { before: summary(plans.before), after: summary(plans.after) };
}

/** The median run's time and spills. */
function summary(plans: readonly ExplainRoot[]): SettingRuns {
  const ms = plans.map((p) => Number(p[EXPLAIN.executionTime]));
  const order = ms.map((_, n) => n).sort((a, b) => ms[a]! - ms[b]!);
  const median = plans[order[Math.floor(order.length / 2)]!]!;
  const spilledNodes = spillsOf(median[EXPLAIN.plan]);
  return { ms, medianMs: Number(median[EXPLAIN.executionTime]), minMs: Math.min(...ms), maxMs: Math.max(...ms), spills: spilledNodes.length > 0, spilledNodes };
}

/** Where a plan spilled to disk: sorts on disk, hashes and hash aggregates in more than one batch. */
export function spillsOf(node: PlanNode): string[] {
  const found: string[] = [];
  const type = node[EXPLAIN.nodeType];
  if (node[EXPLAIN.sortSpaceType] === 'Disk') found.push(`${type}: Disk`);
  if (Number(node[EXPLAIN.hashBatches] ?? 1) > 1) found.push(`${type}: ${node[EXPLAIN.hashBatches]} batches`);
  if (Number(node[EXPLAIN.hashAggBatches] ?? 1) > 1) found.push(`${type}: ${node[EXPLAIN.hashAggBatches]} batches`);
  for (const child of node[EXPLAIN.plans] ?? []) found.push(...spillsOf(child));
  return found;
}

function verdictOf(reports: readonly SettingStatementReport[]): Verdict {
  const measured = reports.filter((r) => r.before && r.after);
  if (measured.length === 0) return { state: 'inconclusive', reason: `no statement could be measured${reports[0]?.error ? `: ${reports[0].error}` : ''}` };
  const slower = measured.filter((r) => r.after!.medianMs > r.before!.maxMs && r.after!.medianMs > r.before!.medianMs * (1 + NOISE_PCT / 100));
  if (slower.length > 0) return { state: 'rejected', reason: `${slower.length} statement(s) slower with the new value: ${times(slower[0]!)}` };
  const unspilled = measured.filter((r) => r.before!.spills && !r.after!.spills);
  const faster = measured.filter((r) => fasterBeyondNoise(r.before!, r.after!));
  if (unspilled.length > 0) {
    return { state: 'validated', reason: `${unspilled.length} statement(s) stopped spilling to disk: ${unspilled[0]!.before!.spilledNodes.join(', ')} → none; ${times(unspilled[0]!)}` };
  }
  if (faster.length > 0) return { state: 'validated', reason: `${faster.length} statement(s) faster: ${times(faster[0]!)}` };
  return { state: 'rejected', reason: `no statement got faster beyond noise (${NOISE_PCT} %) or stopped spilling to disk: ${times(measured[0]!)}` };
}

function times(r: SettingStatementReport): string {
  return `${r.before!.medianMs.toFixed(2)} → ${r.after!.medianMs.toFixed(2)} ms (median of ${r.after!.ms.length} EXPLAIN ANALYZE runs each)`;
}
