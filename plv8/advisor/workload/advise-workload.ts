/**
 * Index advice for a whole workload: one set of indexes for all its statements, chosen by the
 * time they save (calls × mean time) against their size and the write overhead they add.
 *
 * 1. Evaluate each statement (evaluate-query.ts, one shared context): its cost, its candidates,
 *    each candidate's cost alone.
 * 2. Pool the candidates that cut some statement's estimated cost by WORKLOAD_POOL_PCT (5 %), and the
 *    groups that help only together (indexChain: an index on each side of a join, or on each scan
 *    of a self-joined table, planned together). Gains are judged for the workload, not per
 *    statement: an index that takes 10 % off each of many statements can be worth more than one
 *    that takes 90 % off a rare one, so the pool's bar is low and the selection decides.
 *    Then the pool's covering variants (extensions.ts): a pooled index with INCLUDE of what the
 *    statement it serves reads from the table.
 * 3. Cross-evaluate: cost each pooled candidate on the other statements that scan its table with
 *    its leading key among the columns they filter, join or sort on (the only ones it can serve),
 *    at most `maxCrossEvaluations` EXPLAINs, each (query text, DDL) once (what-if-cache.ts).
 * 4. Select greedily (selection.ts) under the budget, charging write overhead (writes.ts), each
 *    move decided by planning the statements it touches with the whole set it makes.
 * 5. Verify: plan every statement the chosen set affects with the whole set in place at once, and
 *    report those costs; an index the planner then uses for no statement is left out.
 *
 * Errors are data: a statement the server refuses is reported in `errors` and left out of the
 * selection; the step throws only what the host throws for a lost connection.
 */
import {
  earnsItsInclude,
  errorMessage,
  evaluateQuery,
  newEvaluationContext,
  parameterNote,
  type ParameterEvidence,
  withAnalysisSettings,
  type EvaluationContext,
  type EvaluateOptions,
} from '../query/evaluate-query.ts';
import { improvement, recommendationFor, type Recommendation } from '../recommendation/recommendation.ts';
import { formatBytes } from '../recommendation/risk.ts';
import { indexChain } from '../query/index-chain.ts';
import { dropPartialsPerValue, keyText, referencedKeys, scannedTables, selectionKey, tableKey, tableUses, type Pooled } from './pool.ts';
import { coveringCandidate, type TableUse } from './extensions.ts';
import { evaluateSetWithin, leaveNothing, type PlannableQuery } from '../../plan/what-if.ts';
import { openGuard } from '../../engine/guard/guarded-plan.ts';
import { choosePlanners, isPlanner, type Planner } from '../../engine/guard/planners.ts';
import { costWithSet, measuredSelection, type SelectionCandidate, type SelectionQuery } from './selection.ts';
import { DEFAULT_MAX_STATEMENTS, localWorkload, type Workload, type WorkloadSourceKind, type WorkloadStatement } from './source.ts';
import { clearWorkspace, newWorkspace, planInWorkspace, planWithIndexes, whatIfKey, type HypotheticalWorkspace, type Relevance, type WhatIfCache } from './what-if-cache.ts';
import { MS_PER_INDEX_ENTRY, updatedColumns, writeCostMs, writeRates } from './writes.ts';
import { fork, type Step } from '../../engine/protocol.ts';

export interface AdviseWorkloadOptions extends EvaluateOptions {
  /** A candidate joins the pool when it cuts some statement's cost by this much, in percent; a
   * selection move must save this share of the time of the statements it speeds up. Default:
   * WORKLOAD_POOL_PCT for the pool, and for moves the same with a budget, UNBUDGETED_MOVE_PCT
   * without. */
  thresholdPct?: number;
  /** The chosen indexes together take at most this many bytes (hypopg's size estimates). */
  budgetBytes?: number | null;
  /** statement_timeout for every request, in milliseconds. Default 10000. */
  statementTimeoutMs?: number;
  /** ms per index entry written (writes.ts). Default MS_PER_INDEX_ENTRY. */
  msPerIndexEntry?: number;
  /** At most this many EXPLAINs for cross-evaluation. Default 4000. */
  maxCrossEvaluations?: number;
  /** What-if results to reuse and fill (a caller may keep it across runs). */
  cache?: WhatIfCache;
  /**
   * Who asked, when not this session's role (a role oid as text: psql's advise_workload() answered
   * by the sidecar): statements are planned only as roles the requester may act as.
   */
  requester?: string;
}

/**
 * The workload's bars, in percent of a statement's cost. A candidate joins the pool when it cuts
 * some statement by WORKLOAD_POOL_PCT: lower than per-query advice's 20 %, because the selection
 * weighs each gain by the statement's time, and small gains over many statements add up (TPC-H's
 * remaining gains are mostly 9–25 % per query); below it, a gain is a rounding error of the
 * planner's estimate. A selection move must save BUDGETED_MOVE_PCT of the time of the statements
 * it speeds up when the user gave a storage budget (a budget is to be spent well: every
 * move is measured with the whole set in place, and the smallest moves still have to reach 0.3 %
 * of the workload's time, selection.ts), and UNBUDGETED_MOVE_PCT without one: with nothing to
 * bound it, a set grows by every index that estimates a few per cent, and each costs writes,
 * VACUUM and planning time that estimates miss.
 */
export const WORKLOAD_POOL_PCT = 5;
export const UNBUDGETED_MOVE_PCT = 20;
export const BUDGETED_MOVE_PCT = 1;

/** A statement an index serves, with its estimated gain when the whole chosen set is in place. */
export interface ServedStatement {
  queryid: string | null;
  query: string;
  calls: number;
  meanMs: number;
  /** Planner estimates for one execution, without and with the chosen set. */
  costBefore: number;
  costAfter: number;
  improvementPct: number;
  /** calls × meanMs × improvement: the ms it would have saved over the window (an estimate). */
  estimatedSavedMs: number;
  /** The parameter values it was planned with: the sandbox runs it with the same ones. */
  parameters?: ParameterEvidence;
}

export interface WorkloadRecommendation extends Recommendation {
  /** Best gain first. */
  queries: ServedStatement[];
  /** Sum over `queries` (a statement two chosen indexes serve counts for both). */
  estimatedSavedMs: number;
  /** Index maintenance the window's writes would have spent on it, ms (writes.ts). */
  writeCostMs: number;
}

export interface WorkloadSummary {
  source: WorkloadSourceKind;
  /** Start of the window (ISO 8601), or null for a given list. */
  since: string | null;
  windowSeconds: number;
  /** Distinct statements read from the source; `analyzed` of them could be planned. */
  statements: number;
  analyzed: number;
  /** Calls-weighted planner cost of the analyzed statements, without and with the chosen set. */
  costBefore: number;
  costAfter: number;
  improvementPct: number;
  /** ms the analyzed statements took in the window, and the estimate with the chosen set. */
  timeMs: number;
  estimatedTimeMsAfter: number;
  /** Total size of the chosen set (hypopg estimates), and the budget it had to fit. */
  sizeBytes: number;
  budgetBytes: number | null;
  writeCostMs: number;
  /** EXPLAINs with hypothetical indexes: per statement, across statements, for the selection's
   * moves (requests, some answered from the cache), and the verification. */
  whatIf: { evaluations: number; crossEvaluations: number; crossEvaluationsSkipped: number; selectionPlans: number; verifications: number; cached: number };
}

export interface WorkloadError {
  queryid: string | null;
  query: string;
  error: string;
}

export interface WorkloadAdvice {
  workload: WorkloadSummary;
  /** Most estimated time saved first. */
  recommendations: WorkloadRecommendation[];
  errors: WorkloadError[];
}

interface Analyzed {
  statement: WorkloadStatement;
  query: PlannableQuery;
  costBefore: number;
  weightMs: number;
  /** `schema.table\0key` the statement filters, joins or sorts on (tables as their roots). */
  keys: Set<string>;
  /** Per root table, the columns it filters, joins or sorts on and those it reads (extensions.ts). */
  uses: Map<string, TableUse>;
  /** Its plans as it is, one per parameter set: which tables it scans (pool.ts scannedTables). */
  plans: unknown[];
  /** DDL → cost with that index alone, for indexes the planner used and that lowered the cost. */
  costs: Map<string, number>;
  /** DDLs already costed on this statement. */
  tried: Set<string>;
  /** Costs with indexes together that beat each alone (index-chain.ts: joins, self-joins) and OR sets. */
  pairs: { ids: string[]; cost: number }[];
  /** How its `$n` were given values (evaluate-query.ts). */
  parameters?: ParameterEvidence;
}

/**
 * @example
 *   const advice = yield* adviseWorkload(yield* statStatementsWorkload(), { budgetBytes: 500e6 });
 *   // { workload: { source: 'pg_stat_statements', statements: 42, improvementPct: 61.2, … },
 *   //   recommendations: [{ sql: 'CREATE INDEX CONCURRENTLY orders_customer_id_status_idx …', queries: [{ queryid: '…', calls: 1200, … }, …], … }],
 *   //   errors: [] }
 */
export function* adviseWorkload(workload: Workload, options: AdviseWorkloadOptions = {}): Step<WorkloadAdvice> {
  return yield* withAnalysisSettings(options.statementTimeoutMs ?? 10_000, analyze(workload, options));
}

/** The workload of the database the step runs on (localWorkload), advised on: for plv8. */
export function* adviseLocalWorkload(given: (AdviseWorkloadOptions & { since?: string; maxStatements?: number }) | null = {}): Step<WorkloadAdvice> {
  // SQL NULL arrives as null from plv8.
  const options = given ?? {};
  const workload = yield* localWorkload(options.since ?? '1 hour', options.maxStatements ?? DEFAULT_MAX_STATEMENTS);
  return yield* adviseWorkload(workload, options);
}

function* analyze(workload: Workload, options: AdviseWorkloadOptions): Step<WorkloadAdvice> {
  const state: AnalysisState = {
    workload,
    options,
    statements: distinct(workload.statements),
    thresholdPct: options.thresholdPct ?? WORKLOAD_POOL_PCT,
    movePct: options.thresholdPct ?? (options.budgetBytes == null ? UNBUDGETED_MOVE_PCT : BUDGETED_MOVE_PCT),
    maxIndexBytes: options.budgetBytes ?? Infinity,
    cache: options.cache ?? new Map(),
    context: newEvaluationContext(),
    errors: [],
    analyzed: [],
    pool: new Map(),
    stats: { evaluations: 0, crossEvaluations: 0, crossEvaluationsSkipped: 0, selectionPlans: 0, verifications: 0, cached: 0 },
    session: { prepare: function* () {} },
  };
  try {
    const planners = yield* choosePlannersOf(state);
    state.session = { prepare: () => openGuard([...planners.values()]) };
    yield* evaluateStatements(state, planners);
    dropPartialsPerValue(state.pool);
    yield* cover(state);
    yield* crossEvaluate(state);
    const { selectionQueries, writeCosts, chosen } = yield* select(state);
    const verified = yield* verify(state, selectionQueries, chosen);
    return report(state, chosen, verified, writeCosts);
  } finally {
    yield* leaveNothing();
  }
}

/** What one analysis accumulates, phase by phase. */
interface AnalysisState {
  workload: Workload;
  options: AdviseWorkloadOptions;
  /** The workload's statements, one per text. */
  statements: WorkloadStatement[];
  /** The pool's bar and the selection's, in percent (AdviseWorkloadOptions.thresholdPct). */
  thresholdPct: number;
  movePct: number;
  /** The budget, or Infinity: a candidate hypopg sizes above it is not planned (it cannot be chosen). */
  maxIndexBytes: number;
  /** How another session is made ready for forked plans (protocol.ts fork): the planning guard. */
  session: { prepare: () => Step<void> };
  cache: WhatIfCache;
  context: EvaluationContext;
  errors: WorkloadError[];
  analyzed: Analyzed[];
  pool: Map<string, Pooled>;
  stats: WorkloadSummary['whatIf'];
}

/** 0. Who plans each statement: its author, or the analysis role; never a superuser. The guard is opened for them. */
function* choosePlannersOf(state: AnalysisState): Step<Map<WorkloadStatement, Planner>> {
  const { statements, errors, options } = state;
  const choices = yield* choosePlanners(statements.map((s) => s.authors ?? []), options.requester ?? null);
  const planners = new Map<WorkloadStatement, Planner>();
  statements.forEach((statement, n) => {
    const choice = choices[n]!;
    if (isPlanner(choice)) planners.set(statement, choice);
    else errors.push({ queryid: statement.queryid, query: statement.query, error: choice.refused });
  });
  try {
    yield* openGuard([...planners.values()]);
  } catch (error) {
    // standard_conforming_strings off, say: nothing is planned, and the summary says so.
    errors.unshift({ queryid: null, query: '', error: errorMessage(error) });
    return new Map();
  }
  return planners;
}

/** 1–2. Each statement alone (its cost, its candidates, each candidate's cost), and the pool. */
function* evaluateStatements(state: AnalysisState, planners: ReadonlyMap<WorkloadStatement, Planner>): Step<void> {
  const { workload, options, cache, context, errors, analyzed, pool, stats, thresholdPct } = state;
  const enter = (e: { ddl: string; candidate: Pooled['candidate']; table: Pooled['table']; sizeBytes: number }) => {
    if (!pool.has(e.ddl)) pool.set(e.ddl, { candidate: e.candidate, table: e.table, ddl: e.ddl, sizeBytes: e.sizeBytes });
  };
  // The plans of each statement, side by side where the host has sessions for it (fork); what
  // they found joins the pool afterwards, in the statements' order, so the pool does not depend
  // on which session finished first.
  const evaluate = function* (statement: WorkloadStatement, planner: Planner) {
    const evaluation = yield* evaluateQuery(statement.query, planner, { ...options, maxIndexBytes: state.maxIndexBytes }, context, statement.samples ?? [], statement.sampledValues ?? []);
    const usedHere = evaluation.evaluated.filter((e) => e.used && e.costAfter < evaluation.costBefore);
    if (evaluation.query === null || evaluation.plan === null) return { statement, evaluation, usedHere, chains: [] };
    return { statement, evaluation, usedHere, chains: yield* indexChain(evaluation.query, usedHere, thresholdPct) };
  };
  const plannable = state.statements.flatMap((statement) => {
    const planner = planners.get(statement);
    return planner ? [evaluate(statement, planner)] : [];
  });
  for (const { statement, evaluation, usedHere, chains } of yield* fork(plannable, state.session)) {
    for (const error of evaluation.errors) errors.push({ queryid: statement.queryid, query: statement.query, error });
    if (evaluation.query === null || evaluation.plan === null) continue;
    stats.evaluations += evaluation.evaluated.length;
    const weightMs = workload.source === 'statements' && statement.meanMs <= 0 ? statement.calls * evaluation.costBefore : statement.calls * statement.meanMs;
    const keys = referencedKeys(evaluation.plan, context);
    const entry: Analyzed = {
      statement,
      query: evaluation.query,
      costBefore: evaluation.costBefore,
      weightMs,
      keys,
      uses: tableUses(evaluation.plan, keys, context),
      plans: evaluation.plans,
      costs: new Map(),
      tried: new Set(),
      pairs: [],
      ...(evaluation.parameters ? { parameters: evaluation.parameters } : {}),
    };
    for (const e of evaluation.evaluated) {
      entry.tried.add(e.ddl);
      cache.set(whatIfKey(evaluation.query.text, [e.ddl]), { totalCost: e.costAfter, used: [e.used] });
      if (e.used && e.costAfter < evaluation.costBefore) entry.costs.set(e.ddl, e.costAfter);
      if (e.used && improvement(evaluation.costBefore, e.costAfter) >= thresholdPct && earnsItsInclude(e, usedHere, thresholdPct)) enter(e);
    }
    for (const group of chains) {
      stats.evaluations++;
      entry.pairs.push({ ids: group.members.map((m) => m.ddl), cost: group.cost });
      group.members.forEach(enter);
    }
    // An OR's arms: pooled together, their cost known only as a group.
    for (const set of evaluation.sets) {
      if (!set.used || improvement(evaluation.costBefore, set.costAfter) < thresholdPct) continue;
      stats.evaluations++;
      entry.pairs.push({ ids: set.members.map((m) => m.ddl), cost: set.costAfter });
      for (const m of set.members) {
        entry.tried.add(m.ddl);
        enter(m);
      }
    }
    analyzed.push(entry);
  }
}

/** At most this many EXPLAINs for covering variants. */
export const MAX_COVERING_EVALUATIONS = 60;

/**
 * 2b. Covering variants of the pooled candidates (extensions.ts), each costed on a statement the
 * plain one serves, the statements with the most time to gain first; pooled when they cut the
 * cost the plain index leaves by the threshold.
 */
function* cover(state: AnalysisState): Step<void> {
  const { analyzed, pool, stats, thresholdPct, errors, cache } = state;
  const work: { p: Pooled; a: Analyzed; use: TableUse; cost: number; gain: number }[] = [];
  for (const p of pool.values()) {
    for (const a of analyzed) {
      const cost = a.costs.get(p.ddl);
      const use = a.uses.get(tableKey(p.table));
      if (cost === undefined || use === undefined) continue;
      work.push({ p, a, use, cost, gain: (a.weightMs * (a.costBefore - cost)) / a.costBefore });
    }
  }
  work.sort((x, y) => y.gain - x.gain || x.p.ddl.localeCompare(y.p.ddl));
  const variants: { p: Pooled; a: Analyzed; cost: number; covering: NonNullable<ReturnType<typeof coveringCandidate>> }[] = [];
  for (const { p, a, use, cost } of work) {
    if (variants.length >= MAX_COVERING_EVALUATIONS) break;
    const covering = coveringCandidate(p.candidate, use);
    if (covering === null || a.tried.has(covering.ddl)) continue;
    a.tried.add(covering.ddl);
    variants.push({ p, a, cost, covering });
  }
  // Planned side by side (fork), judged in the order above.
  const evaluate = function* ({ a, covering }: (typeof variants)[number]) {
    try {
      const [result] = (yield* evaluateSetWithin(a.query, [covering.ddl], state.maxIndexBytes)) ?? [];
      return { result };
    } catch (error) {
      return { error };
    }
  };
  const outcomes = yield* fork(variants.map(evaluate), state.session);
  outcomes.forEach((outcome, n) => {
    const { p, a, cost, covering } = variants[n]!;
    const { candidate, ddl } = covering;
    if ('error' in outcome) {
      errors.push({ queryid: null, query: ddl, error: `hypothetical index ${ddl}: ${errorMessage(outcome.error)}` });
      return;
    }
    const { result } = outcome;
    if (result === undefined) return;
    stats.evaluations++;
    cache.set(whatIfKey(a.query.text, [ddl]), { totalCost: result.totalCost, used: [result.used] });
    if (!result.used || !(result.totalCost < a.costBefore)) return;
    a.costs.set(ddl, result.totalCost);
    if (improvement(cost, result.totalCost) >= thresholdPct && !pool.has(ddl)) pool.set(ddl, { candidate, table: p.table, ddl, sizeBytes: result.sizeBytes });
  });
}

/**
 * 3. Each pooled candidate on the other statements that scan its table with its leading key among
 * the columns they filter, join or sort on (the only ones it can serve), within the budget of
 * EXPLAINs.
 */
function* crossEvaluate(state: AnalysisState): Step<void> {
  const { options, cache, errors, analyzed, pool, stats } = state;
  let budget = options.maxCrossEvaluations ?? 4000;
  const work: { ddl: string; taken: Analyzed[] }[] = [];
  for (const ddl of [...pool.keys()].sort()) {
    const pooled = pool.get(ddl)!;
    if (pooled.sizeBytes > state.maxIndexBytes) continue;
    const lead = `${tableKey(pooled.table)}\u0000${keyText(pooled.candidate.keys[0]!)}`;
    const needing = analyzed.filter((a) => !a.tried.has(ddl) && a.keys.has(lead));
    if (needing.length === 0) continue;
    const taken = needing.slice(0, Math.max(0, budget));
    stats.crossEvaluationsSkipped += needing.length - taken.length;
    if (taken.length === 0) continue;
    const fresh = taken.filter((a) => !cache.has(whatIfKey(a.query.text, [ddl]))).length;
    stats.cached += taken.length - fresh;
    stats.crossEvaluations += fresh;
    budget -= fresh;
    work.push({ ddl, taken });
  }
  // One candidate per forked step (its own hypothetical index in whichever session plans it).
  const plan = function* ({ ddl, taken }: (typeof work)[number]) {
    try {
      return { planned: yield* planWithIndexes([ddl], taken.map((a) => a.query), cache) };
    } catch (error) {
      return { error };
    }
  };
  const outcomes = yield* fork(work.map(plan), state.session);
  outcomes.forEach((outcome, n) => {
    const { ddl, taken } = work[n]!;
    if ('error' in outcome) {
      errors.push({ queryid: null, query: ddl, error: `hypothetical index ${ddl}: ${errorMessage(outcome.error)}` });
      return;
    }
    outcome.planned.forEach((result, i) => {
      const a = taken[i]!;
      a.tried.add(ddl);
      if (result.totalCost !== null && result.used[0] && result.totalCost < a.costBefore) a.costs.set(ddl, result.totalCost);
    });
  });
}

/**
 * 4. The greedy selection (selection.ts), each candidate charged its write overhead (writes.ts),
 * each move decided by planning the statements it touches with the whole set it makes.
 */
function* select(state: AnalysisState): Step<{ selectionQueries: SelectionQuery[]; writeCosts: Map<string, number>; chosen: string[] }> {
  const { workload, options, analyzed, pool, movePct } = state;
  const updated = updatedColumns(state.statements);
  const msPerEntry = options.msPerIndexEntry ?? MS_PER_INDEX_ENTRY;
  const writeCosts = new Map<string, number>();
  const candidates: SelectionCandidate[] = [...pool.values()].map((p) => {
    const setColumns = updated.get(p.table.table) ?? updated.get(p.table.table.toLowerCase());
    const indexesUpdated = setColumns !== undefined && p.candidate.keys.some((k) => k.column !== undefined && setColumns.has(k.column));
    // A given list has no window: its writes are not charged.
    const cost = workload.source === 'statements' ? 0 : writeCostMs(writeRates(p.table, workload.tableWrites, workload.source === 'collector'), workload.windowSeconds, indexesUpdated, msPerEntry);
    writeCosts.set(p.ddl, cost);
    return {
      id: p.ddl,
      table: tableKey(p.table),
      keys: p.candidate.keys.map(selectionKey),
      variant: JSON.stringify([p.candidate.include ?? [], p.candidate.predicate ?? '']),
      sizeBytes: p.sizeBytes,
      writeCostMs: cost,
    };
  });
  const selectionQueries: SelectionQuery[] = analyzed.map((a, n) => ({ id: String(n), weightMs: a.weightMs, costBefore: a.costBefore, costWith: a.costs, pairCosts: a.pairs }));
  const queryOf = new Map(selectionQueries.map((q, n) => [q, analyzed[n]!.query]));
  const relevance = indexRelevance(state);
  // Each session keeps its own hypothetical indexes between plans (what-if-cache.ts workspace),
  // known by its backend pid: the statements of one measure are planned side by side (fork), and
  // a session that takes a statement first brings its indexes to the set asked for.
  const workspaces = new Map<number, HypotheticalWorkspace>();
  const inSession = function* (set: readonly string[], query: PlannableQuery): Step<number | null> {
    const known = state.cache.get(whatIfKey(query.text, relevance(query, set)));
    if (known !== undefined) return known.totalCost;
    const pid = Number((yield { sql: 'select pg_backend_pid() as pid', params: [] })[0]?.pid);
    if (!workspaces.has(pid)) workspaces.set(pid, newWorkspace());
    const [planned] = yield* planInWorkspace(workspaces.get(pid)!, set, [query], state.cache, relevance);
    return planned!.totalCost;
  };
  const measure = function* (set: readonly string[], queries: readonly SelectionQuery[]): Step<(number | null)[]> {
    state.stats.selectionPlans += queries.length;
    try {
      return yield* fork(queries.map((q) => inSession(set, queryOf.get(q)!)), state.session);
    } catch {
      // An index hypopg refuses in the set: the approximation decides for it.
      return queries.map(() => null);
    }
  };
  let selection;
  const ownPid = Number((yield { sql: 'select pg_backend_pid() as pid', params: [] })[0]?.pid);
  try {
    selection = yield* measuredSelection(selectionQueries, candidates, { budgetBytes: options.budgetBytes ?? null, minImprovementPct: movePct }, measure);
  } finally {
    // The other sessions' indexes go with them when the host closes them (no fork follows this
    // phase, so nothing else plans there); this one's stay until dropped.
    const own = workspaces.get(ownPid);
    if (own) yield* clearWorkspace(own);
  }
  return { selectionQueries, writeCosts, chosen: selection.chosen };
}

/**
 * Per statement, the indexes of a set on the tables it scans (what-if-cache.ts Relevance), read
 * once the pool's table facts are all known. A statement whose plans show no table keeps them all.
 */
function indexRelevance(state: AnalysisState): Relevance {
  const scanned = new Map(state.analyzed.map((a) => [a.query.text, scannedTables(a.plans, state.context)]));
  return (query, ddls) => {
    const found = scanned.get(query.text);
    if (found === undefined || found.tables.size === 0) return ddls;
    return ddls.filter((ddl) => {
      const table = state.pool.get(ddl)?.table;
      return table === undefined || found.tables.has(tableKey(table)) || (found.partitionsUnknown && table.kind === 'p');
    });
  };
}

/**
 * 5. The chosen set planned as a whole on every statement it affects: each statement's cost with
 * the set, and which chosen indexes the planner used for it.
 */
function* verify(state: AnalysisState, selectionQueries: readonly SelectionQuery[], chosen: readonly string[]): Step<{ after: Map<Analyzed, number>; servedBy: Map<string, Analyzed[]> }> {
  const { cache, errors, analyzed, stats } = state;
  const chosenSet = new Set(chosen);
  const affected = analyzed.filter((a) => chosen.some((ddl) => a.costs.has(ddl) || a.pairs.some((p) => p.ids.includes(ddl))));
  const after = new Map<Analyzed, number>();
  const servedBy = new Map<string, Analyzed[]>(chosen.map((ddl) => [ddl, []]));
  if (chosen.length === 0 || affected.length === 0) return { after, servedBy };
  let planned;
  try {
    planned = yield* planWithIndexes(chosen, affected.map((a) => a.query), cache, indexRelevance(state));
    stats.verifications += affected.length;
  } catch (error) {
    errors.push({ queryid: null, query: chosen.join('; '), error: `verifying the chosen set: ${errorMessage(error)}` });
    planned = null;
  }
  affected.forEach((a, n) => {
    const result = planned?.[n];
    // Planned with the set when possible; else (an error) the single-index approximation.
    const cost = result && result.totalCost !== null ? result.totalCost : costWithSet(selectionQueries[analyzed.indexOf(a)]!, chosenSet);
    if (cost >= a.costBefore) return;
    after.set(a, cost);
    chosen.forEach((ddl, i) => {
      const uses = result && result.totalCost !== null ? result.used[i] : a.costs.get(ddl) === cost || a.pairs.some((p) => p.cost === cost && p.ids.includes(ddl));
      if (uses) servedBy.get(ddl)!.push(a);
    });
  });
  return { after, servedBy };
}

/** The recommendations (an index the planner used for no statement is left out) and the summary. */
function report(state: AnalysisState, chosen: readonly string[], verified: { after: Map<Analyzed, number>; servedBy: Map<string, Analyzed[]> }, writeCosts: ReadonlyMap<string, number>): WorkloadAdvice {
  const { workload, options, analyzed, pool, stats, errors } = state;
  const { after, servedBy } = verified;
  const recommendations: WorkloadRecommendation[] = [];
  const kept: Pooled[] = [];
  for (const ddl of chosen) {
    const served = servedBy.get(ddl)!;
    if (served.length === 0) continue;
    const pooled = pool.get(ddl)!;
    kept.push(pooled);
    const queries = served.map((a) => servedStatement(a, after.get(a)!)).sort((x, y) => y.estimatedSavedMs - x.estimatedSavedMs || x.query.localeCompare(y.query));
    const before = sum(served.map((a) => a.statement.calls * a.costBefore));
    const afterCost = sum(served.map((a) => a.statement.calls * after.get(a)!));
    const base = recommendationFor(pooled.candidate, pooled.table, { before, after: afterCost, sizeBytes: pooled.sizeBytes });
    const savedMs = sum(queries.map((q) => q.estimatedSavedMs));
    const writeCost = writeCosts.get(ddl) ?? 0;
    recommendations.push({
      ...base,
      rationale: rationale(pooled, queries, base, savedMs, writeCost, workload, served),
      queries,
      estimatedSavedMs: round(savedMs, 1),
      writeCostMs: round(writeCost, 1),
    });
  }
  recommendations.sort((x, y) => y.estimatedSavedMs - x.estimatedSavedMs || x.sql.localeCompare(y.sql));

  const costBefore = sum(analyzed.map((a) => a.statement.calls * a.costBefore));
  const costAfter = sum(analyzed.map((a) => a.statement.calls * (after.get(a) ?? a.costBefore)));
  const timeMs = sum(analyzed.map((a) => a.weightMs));
  return {
    workload: {
      source: workload.source,
      since: workload.since,
      windowSeconds: round(workload.windowSeconds, 1),
      statements: state.statements.length,
      analyzed: analyzed.length,
      costBefore: round(costBefore, 2),
      costAfter: round(costAfter, 2),
      improvementPct: round(improvement(costBefore, costAfter), 1),
      timeMs: round(timeMs, 1),
      estimatedTimeMsAfter: round(sum(analyzed.map((a) => (a.costBefore > 0 ? (a.weightMs * (after.get(a) ?? a.costBefore)) / a.costBefore : a.weightMs))), 1),
      sizeBytes: sum(kept.map((p) => p.sizeBytes)),
      budgetBytes: options.budgetBytes ?? null,
      writeCostMs: round(sum(kept.map((p) => writeCosts.get(p.ddl) ?? 0)), 1),
      whatIf: stats,
    },
    recommendations,
    errors,
  };
}

/** One entry per text: the same text under two query ids (two users, say) is planned once. */
function distinct(statements: readonly WorkloadStatement[]): WorkloadStatement[] {
  const byText = new Map<string, WorkloadStatement>();
  for (const s of statements) {
    const seen = byText.get(s.query);
    if (!seen) {
      byText.set(s.query, { ...s });
      continue;
    }
    const calls = seen.calls + s.calls;
    if (s.authors) seen.authors = [...new Set([...(seen.authors ?? []), ...s.authors])];
    seen.meanMs = calls > 0 ? (seen.calls * seen.meanMs + s.calls * s.meanMs) / calls : 0;
    seen.calls = calls;
  }
  return [...byText.values()];
}

function servedStatement(a: Analyzed, costAfter: number): ServedStatement {
  const share = a.costBefore > 0 ? (a.costBefore - costAfter) / a.costBefore : 0;
  return {
    queryid: a.statement.queryid,
    query: a.statement.query,
    calls: a.statement.calls,
    meanMs: round(a.statement.meanMs, 3),
    costBefore: a.costBefore,
    costAfter,
    improvementPct: round(improvement(a.costBefore, costAfter), 1),
    estimatedSavedMs: round(a.weightMs * share, 1),
    ...(a.parameters ? { parameters: a.parameters } : {}),
  };
}

function rationale(pooled: Pooled, queries: ServedStatement[], base: Recommendation, savedMs: number, writeCost: number, workload: Workload, served: readonly Analyzed[]): string {
  const reason = pooled.candidate.reason;
  const n = queries.length;
  const statements = `serves ${n} statement${n === 1 ? '' : 's'} of the workload`;
  const cost = `calls-weighted cost ${round(base.costBefore, 2)} → ${round(base.costAfter, 2)} (−${base.improvementPct}%) with the whole chosen set in place (hypopg estimates)`;
  const time =
    workload.source === 'statements'
      ? ''
      : `; about ${round(savedMs, 1)} ms saved over the ${Math.round(workload.windowSeconds)} s window against about ${round(writeCost, 1)} ms of index writes`;
  // How the served statements' parameters were valued, each wording once.
  const notes = [...new Set(served.flatMap((a) => (a.parameters ? [parameterNote(a.parameters)] : [])))];
  const evidence = notes.length > 0 ? `; ${notes.join('; ')}` : '';
  return `${reason}; ${statements}; ${cost}${time}; index about ${formatBytes(pooled.sizeBytes)}${evidence}`;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
