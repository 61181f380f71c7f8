/**
 * Pass/fail per case, for OptiSchema and for pg_qualstats, with the hypopg method of
 * hypothetical.ts.
 *
 * - positive: reduction = (cost as is − cost with the advisor's set) / cost as is. It passes when
 *   its reduction is at least 90 % of the known best set's reduction, with at most two indexes.
 * - negative: OptiSchema passes with no recommendation and no error. pg_qualstats answers for the
 *   whole workload, not per query, so one of its indexes counts against a negative when the planner
 *   uses it for that query and it cuts the estimated cost by at least 20 % (OptiSchema's threshold).
 * - bad: OptiSchema passes when the input comes back as an error, without a recommendation and
 *   without an exception, and the canary table still exists afterwards. pg_qualstats never sees it.
 *
 * pg_qualstats's indexes are mapped to a positive case by table: those on a table the case's plan
 * reads; the best single index or pair of them (by estimated cost, every index of the pair used by
 * the plan) is scored: the most favourable reading of its workload-wide answer.
 */
import type pg from 'pg';
import type { QueryAdviceResult } from '../../sidecar/advisor/advise.ts';
import type { AdviceCase } from './cases.ts';
import { indexTableSql } from './ddl.ts';
import { estimate, leaves, reductionPct } from './hypothetical.ts';

export const PASS_SHARE_OF_BEST = 0.9;
export const MAX_INDEXES = 2;
const NEGATIVE_THRESHOLD_PCT = 20;

export interface AdvisorScore {
  indexes: string[];
  errors: string[];
  /** Estimated cost with `indexes` (hypopg), positives only. */
  cost: number | null;
  reductionPct: number | null;
  /** reductionPct / best reductionPct × 100, positives only. */
  ofBestPct: number | null;
  pass: boolean | null;
  /** Why it failed, in a few words. */
  reason: string;
}

export interface CaseScore {
  id: string;
  kind: AdviceCase['kind'];
  shape: string;
  sql: string;
  best: string[];
  /** Why the known answer is right (cases.ts). */
  why: string;
  baseCost: number | null;
  bestCost: number | null;
  bestReductionPct: number | null;
  /** Tables the plan as is reads. */
  tables: string[];
  adviseMs: number;
  optischema: AdvisorScore;
  qualstats: AdvisorScore;
}

export async function scoreCase(
  db: pg.ClientBase,
  c: AdviceCase,
  advice: QueryAdviceResult | { crashed: string },
  adviseMs: number,
  qualstatsIndexes: readonly string[],
): Promise<CaseScore> {
  const opIndexes = 'crashed' in advice ? [] : advice.recommendations.map((r) => r.sql);
  const opErrors = 'crashed' in advice ? [`CRASH: ${advice.crashed}`] : advice.errors;
  const base: CaseScore = {
    id: c.id, kind: c.kind, shape: c.shape, sql: c.sql, best: c.best ?? [], why: c.why,
    baseCost: null, bestCost: null, bestReductionPct: null, tables: [], adviseMs,
    optischema: { indexes: opIndexes, errors: opErrors, cost: null, reductionPct: null, ofBestPct: null, pass: null, reason: '' },
    qualstats: { indexes: [], errors: [], cost: null, reductionPct: null, ofBestPct: null, pass: null, reason: 'n/a' },
  };

  if (c.kind === 'bad') {
    const crashed = 'crashed' in advice;
    base.optischema.pass = !crashed && opErrors.length > 0 && opIndexes.length === 0;
    base.optischema.reason = crashed ? 'threw instead of reporting an error' : opErrors.length === 0 ? 'no error reported' : opIndexes.length > 0 ? 'recommended an index' : '';
    return base;
  }

  const asIs = await estimate(db, c, []);
  base.baseCost = asIs.cost;
  base.tables = asIs.tables;
  const mapped: string[] = [];
  for (const ddl of qualstatsIndexes) {
    const table = indexTableSql(ddl);
    // Plans name tables without quotes: compare in that form.
    const onPlan = table !== null && [table, ...(await leaves(db, table))].some((t) => asIs.tables.includes(normalTable(t.replace(/"/g, ''))));
    if (onPlan) mapped.push(ddl);
  }

  if (c.kind === 'negative') {
    base.optischema.pass = opIndexes.length === 0 && opErrors.length === 0;
    base.optischema.reason = opIndexes.length > 0 ? 'recommended an index' : opErrors.length > 0 ? 'reported an error' : '';
    const against: string[] = [];
    for (const ddl of mapped) {
      const withIt = await estimate(db, c, [ddl]);
      if (withIt.used[0] && reductionPct(asIs.cost, withIt.cost) >= NEGATIVE_THRESHOLD_PCT) against.push(ddl);
    }
    base.qualstats = { ...base.qualstats, indexes: against, pass: against.length === 0, reason: against.length > 0 ? 'one of its indexes is used' : '' };
    return base;
  }

  const best = await estimate(db, c, c.best ?? []);
  base.bestCost = best.cost;
  base.bestReductionPct = reductionPct(asIs.cost, best.cost);
  const share = (cost: number) => {
    const reduction = reductionPct(asIs.cost, cost);
    return { reduction, ofBest: base.bestReductionPct! > 0 ? (reduction / base.bestReductionPct!) * 100 : 0 };
  };

  // OptiSchema: its whole set at once (at most two is part of passing).
  let opCost = asIs.cost;
  if (opIndexes.length > 0) {
    try {
      opCost = (await estimate(db, c, opIndexes)).cost;
    } catch (error) {
      base.optischema.errors = [...opErrors, `hypopg refused its DDL: ${error instanceof Error ? error.message : String(error)}`];
    }
  }
  const op = share(opCost);
  const opPass = opIndexes.length > 0 && opIndexes.length <= MAX_INDEXES && op.ofBest >= PASS_SHARE_OF_BEST * 100;
  base.optischema = {
    ...base.optischema, cost: opCost, reductionPct: op.reduction, ofBestPct: op.ofBest, pass: opPass,
    reason: opPass ? '' : opIndexes.length === 0 ? (opErrors.length > 0 ? 'error, no recommendation' : 'no recommendation') : opIndexes.length > MAX_INDEXES ? 'more than two indexes' : 'below 90 % of best',
  };

  // pg_qualstats: the best ≤ 2 of its indexes on this case's tables.
  // Singles before pairs, and a subset only counts when the plan uses every index of it, so an
  // index that merely rides along is never shown as part of its answer.
  let qsBest: { indexes: string[]; cost: number } = { indexes: [], cost: asIs.cost };
  const subsets: string[][] = mapped.map((ddl) => [ddl]);
  for (let i = 0; i < mapped.length; i++) for (let j = i + 1; j < mapped.length; j++) subsets.push([mapped[i]!, mapped[j]!]);
  for (const subset of subsets) {
    const withIt = await estimate(db, c, subset);
    if (withIt.used.every(Boolean) && withIt.cost < qsBest.cost - 1e-9) qsBest = { indexes: subset, cost: withIt.cost };
  }
  const qs = share(qsBest.cost);
  const qsPass = qsBest.indexes.length > 0 && qs.ofBest >= PASS_SHARE_OF_BEST * 100;
  base.qualstats = {
    indexes: qsBest.indexes, errors: [], cost: qsBest.cost, reductionPct: qs.reduction, ofBestPct: qs.ofBest, pass: qsPass,
    reason: qsPass ? '' : mapped.length === 0 ? 'no index on these tables' : qsBest.indexes.length === 0 ? 'its indexes do not help' : 'below 90 % of best',
  };
  return base;
}

/** `demo.orders` for `demo.orders`, `public.x` for an unqualified `x`. */
function normalTable(table: string | null): string {
  if (!table) return '';
  return table.includes('.') ? table : `public.${table}`;
}
