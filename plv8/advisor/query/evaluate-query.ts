/**
 * The what-if evaluation of one query: its plan and estimated cost as it is, its index candidates,
 * and for each candidate the estimated cost with that hypothetical index in place. It judges
 * nothing beyond "worth costing": per-query advice (advise-query.ts) and workload selection
 * (workload/advise-workload.ts) each choose from the result in their own way.
 *
 * A candidate is costed when its table (a partition: its root) has at least `minTableRows` rows,
 * no existing index serves it, and it is not a partial index whose predicate would be a poor fit
 * (partial-predicate.ts). Caches passed in `context` are shared across queries of one run.
 *
 * Errors are data: a query the server refuses (unknown column, syntax error, timeout) gives
 * `errors: [message]` and no candidates; the step throws only what the host throws for a lost
 * connection.
 */
import { candidateId, candidatesFromPlan } from '../candidates/from-plan.ts';
import type { IndexCandidate } from '../candidates/index-candidate.ts';
import { indexSetsFromPlan } from '../candidates/or-arms.ts';
import { methodAvailable, scanShare, UNJUDGED_MIN_BYTES } from '../candidates/unjudged.ts';
import { columnDistinct, mostSelectiveFirst } from '../../catalog/column-selectivity.ts';
import { duplicatesExisting, existingIndexes, servedByExisting, type ExistingIndex } from '../../catalog/existing-indexes.ts';
import { indexDdl } from '../candidates/index-names.ts';
import { partialPredicateFits } from '../candidates/partial-predicate.ts';
import { tableFacts, type TableFacts } from '../../catalog/table-facts.ts';
import { improvement } from '../recommendation/recommendation.ts';
import { evaluateSetWithin, explainCost, type PlannableQuery } from '../../plan/what-if.ts';
import { readStatement } from '../../engine/statement-text.ts';
import { planNormalized } from '../parameters/plan-normalized.ts';
import type { ParameterSet } from '../parameters/parameter-sets.ts';
import type { Step } from '../../engine/protocol.ts';
import type { Planner } from '../../engine/guard/planners.ts';

export interface EvaluateOptions {
  /** Tables (all partitions together) with fewer rows than this are never indexed. Default 1000. */
  minTableRows?: number;
  /** Candidates hypopg sizes above this many bytes are not planned (a workload's storage budget:
   * such an index cannot be chosen). Default: no limit. */
  maxIndexBytes?: number;
}

/** How a `$n` statement's parameters were given values for planning (advisor/parameters/). */
export interface ParameterEvidence {
  /** `pg_qualstats` (its sampled constants), `activity` (literal texts the collector saw),
   * `statistics` (pg_stats), or `generic` (the
   * generic plan stood in: no representative values, for the reason in `why`). */
  source: 'pg_qualstats' | 'activity' | 'statistics' | 'generic';
  /** How untyped parameters were typed (`as written`, `integer`, …). */
  typing: string;
  sets: { label: string; weight: number; values?: (string | null)[]; literal?: string }[];
  why?: string;
}

export interface EvaluatedCandidate {
  /** On the table that receives the index (a partition's candidate moved to its root). */
  candidate: IndexCandidate;
  table: TableFacts;
  /** The CREATE INDEX (not concurrent) that hypopg was given. */
  ddl: string;
  /** Estimated total cost of the query with this one hypothetical index. */
  costAfter: number;
  sizeBytes: number;
  /** The planner chose the index somewhere in the plan. */
  used: boolean;
}

/** Indexes costed together: one per arm of an OR (or-arms.ts); each member's costAfter is the
 * set's. */
export interface EvaluatedSet {
  members: EvaluatedCandidate[];
  costAfter: number;
  /** The planner used every member. */
  used: boolean;
}

/**
 * A candidate what-if costing cannot judge (index-candidate.ts, Uncertainty): hypopg refused it
 * (GIN, GiST) or the planner passed over it for want of statistics on a new expression. Kept with
 * the share of the query's estimated cost spent scanning its table: the most it could save.
 */
export interface UnjudgedCandidate {
  candidate: IndexCandidate;
  table: TableFacts;
  ddl: string;
  /** Estimated cost of the query's scans of the table over the query's cost, 0 to 1. */
  scanShare: number;
  why: string;
}

export interface QueryEvaluation {
  query: PlannableQuery | null;
  costBefore: number;
  /** EXPLAIN (FORMAT JSON, VERBOSE) of the query as it is; null when it could not be planned. */
  plan: unknown;
  /** Its plans, one per parameter set (one for a literal statement); empty when it could not be planned. */
  plans: unknown[];
  evaluated: EvaluatedCandidate[];
  sets: EvaluatedSet[];
  unjudged: UnjudgedCandidate[];
  errors: string[];
  /** For a `$n` statement: the values it was planned with. */
  parameters?: ParameterEvidence;
}

/** Caches one run shares across its queries: what-if costs, table facts and existing indexes. */
export interface EvaluationContext {
  tables: Map<string, TableFacts>;
  existing: Map<string, ExistingIndex[]>;
  partialFits: Map<string, boolean>;
  distinct: Map<string, Map<string, number>>;
}

export function newEvaluationContext(): EvaluationContext {
  return { tables: new Map(), existing: new Map(), partialFits: new Map(), distinct: new Map() };
}

/**
 * @example
 *   const evaluation = yield* evaluateQuery('select * from orders where customer_id = $1', planner);
 *   // { costBefore: 1943, evaluated: [{ ddl: 'CREATE INDEX orders_customer_id_idx ON public.orders (customer_id)', costAfter: 12.1, used: true, … }], … }
 *
 * `planner` is who plans the text, and everything derived from it (engine/guard/planners.ts); the
 * guard must be open for that role (openGuard).
 */
export function* evaluateQuery(
  text: string,
  planner: Planner,
  options: EvaluateOptions = {},
  context: EvaluationContext = newEvaluationContext(),
  samples: readonly string[] = [],
  sampledValues: readonly (readonly (string | null)[])[] = [],
): Step<QueryEvaluation> {
  const evaluation: QueryEvaluation = { query: null, costBefore: 0, plan: null, plans: [], evaluated: [], sets: [], unjudged: [], errors: [] };
  try {
    const read = readStatement(text);
    let statement: PlannableQuery = { text: read.text, hasParameters: read.hasParameters, planner };
    let genericPlan: unknown = null;
    if (read.hasParameters) {
      const normalized = yield* planNormalized(read.text, planner, samples, sampledValues);
      statement = { ...statement, text: normalized.text, parameterSets: normalized.sets };
      genericPlan = normalized.genericPlan;
      evaluation.parameters = parameterEvidence(normalized.sets, normalized.typing, normalized.fallback);
    }
    evaluation.query = statement;
    const before = yield* explainCost(statement);
    evaluation.costBefore = before.totalCost;
    evaluation.plan = before.plan;
    evaluation.plans = before.plans;

    const costed = new Set<string>();
    const predicates = constantPredicates(statement, genericPlan, before.plans);
    /** The candidate on its root table, most selective first, if it is worth costing at all. */
    const prepare = function* (found: IndexCandidate): Step<{ candidate: IndexCandidate; table: TableFacts; ddl: string } | null> {
      const table = yield* cached(context.tables, `${found.schema}.${found.table}`, () => tableFacts(found.schema, found.table));
      if (table.rows < (options.minTableRows ?? 1000)) return null;
      // A full scan of a table this small is cheap: no index worth a guess (the estimate is one).
      if (found.uncertainty !== undefined && table.bytes < UNJUDGED_MIN_BYTES) return null;
      const distinct = yield* cached(context.distinct, `${table.schema}.${table.table}`, () => columnDistinct(table));
      const candidate: IndexCandidate = mostSelectiveFirst({ ...found, schema: table.schema, table: table.table }, distinct);
      const existing = yield* cached(context.existing, `${table.schema}.${table.table}`, () => existingIndexes(table.schema, table.table));
      if (duplicatesExisting(candidate, existing)) return null;
      if (candidate.include !== undefined && !coveringFits(candidate, table, existing)) return null;
      if (candidate.predicate !== undefined) {
        const test = { predicate: candidate.predicate, column: candidate.predicateColumn ?? '', kind: candidate.predicateKind ?? 'value', known: predicates !== null };
        const fits = yield* cached(context.partialFits, `${table.schema}.${table.table}\u0000${test.predicate}\u0000${test.known}`, () => partialPredicateFits(table, test, planner));
        if (!fits) return null;
      }
      return { candidate, table, ddl: indexDdl(candidate, { concurrently: false }) };
    };
    const unjudged = function* (prepared: { candidate: IndexCandidate; table: TableFacts; ddl: string }, why: string): Step<void> {
      if (!(yield* methodAvailable(prepared.candidate))) return;
      const share = scanShare(before.plans, prepared.table, context.tables, evaluation.costBefore);
      evaluation.unjudged.push({ ...prepared, scanShare: share, why });
    };

    // Different values may take different plans: candidates come from each of them.
    for (const found of mergeProposals(before.plans.map((plan) => candidatesFromPlan(plan)))) {
      if (found.predicate !== undefined && predicates !== null && !predicates.has(found.predicate)) continue;
      const prepared = yield* prepare(found);
      if (prepared === null || costed.has(prepared.ddl)) continue;
      costed.add(prepared.ddl);
      const { candidate, table, ddl } = prepared;
      if (candidate.method === 'gin' || candidate.method === 'gist') {
        yield* unjudged(prepared, `hypopg cannot cost ${candidate.method.toUpperCase()} indexes`);
        continue;
      }
      let cost;
      try {
        // A covering index as big as the table is a second copy of it, not an index.
        const maxBytes = Math.min(options.maxIndexBytes ?? Infinity, candidate.include !== undefined ? table.bytes - 1 : Infinity);
        [cost] = (yield* evaluateSetWithin(statement, [ddl], maxBytes)) ?? [];
      } catch (error) {
        // hypopg refused this candidate (an expression it cannot index, say): the others may still go.
        evaluation.errors.push(`hypothetical index ${ddl}: ${errorMessage(error)}`);
        continue;
      }
      if (cost === undefined) continue;
      if (!cost.used && candidate.uncertainty === 'expression') {
        yield* unjudged(prepared, 'the planner passed over the hypothetical index: it has no statistics for a new expression, so its estimate cannot judge it');
        continue;
      }
      evaluation.evaluated.push({ candidate, table, ddl, costAfter: cost.totalCost, sizeBytes: cost.sizeBytes, used: cost.used });
    }

    // OR arms: costed as sets, every member in place at once.
    const setsSeen = new Set<string>();
    for (const set of mergeSets(before.plans.map((plan) => indexSetsFromPlan(plan)))) {
      const members: { candidate: IndexCandidate; table: TableFacts; ddl: string }[] = [];
      let complete = true;
      for (const found of set) {
        const prepared = yield* prepare(found);
        // An arm an existing index already serves needs no new one; a refused arm sinks the set.
        const existing = context.existing.get(`${found.schema}.${found.table}`) ?? [];
        if (prepared === null && servedByExisting(found, existing)) continue;
        if (prepared === null) complete = false;
        else members.push(prepared);
      }
      const id = members.map((m) => m.ddl).join('\u0000');
      if (!complete || members.length < 2 || setsSeen.has(id)) continue;
      setsSeen.add(id);
      try {
        const costs = yield* evaluateSetWithin(statement, members.map((m) => m.ddl), options.maxIndexBytes ?? Infinity);
        if (costs === null) continue;
        evaluation.sets.push({
          members: members.map((m, n) => ({ ...m, costAfter: costs[n]!.totalCost, sizeBytes: costs[n]!.sizeBytes, used: costs[n]!.used })),
          costAfter: costs[0]!.totalCost,
          used: costs.every((c) => c.used),
        });
      } catch (error) {
        evaluation.errors.push(`hypothetical indexes ${members.map((m) => m.ddl).join('; ')}: ${errorMessage(error)}`);
      }
    }
  } catch (error) {
    evaluation.errors.push(errorMessage(error));
  }
  return evaluation;
}

/** Candidates (or OR sets) of several plans (one per parameter set), the first plan's first, each once. */
function mergeProposals(lists: readonly IndexCandidate[][]): IndexCandidate[] {
  return uniqueBy(lists.flat(), candidateId);
}

function mergeSets(lists: readonly IndexCandidate[][][]): IndexCandidate[][] {
  return uniqueBy(lists.flat(), (set) => set.map(candidateId).join('\u0001'));
}

function uniqueBy<T>(items: readonly T[], id: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = id(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The partial-index predicates a normalized statement may have, or null for a literal statement
 * (any). A value drawn for a `$n` is one sample of a parameter, not a constant of the application:
 * a partial index on it would serve that value only. A predicate counts when the generic plan has
 * it (a constant of the text: `deleted_at IS NULL`, a literal the statement kept) or when every one
 * of two or more literal samples has it (clients always send that value).
 */
function constantPredicates(statement: PlannableQuery, genericPlan: unknown, plans: readonly unknown[]): Set<string> | null {
  if (!statement.hasParameters) return null;
  const of = (plan: unknown) => new Set(candidatesFromPlan(plan).flatMap((c) => (c.predicate === undefined ? [] : [c.predicate])));
  const out = of(genericPlan);
  const sets = statement.parameterSets ?? [];
  const sampled = plans.filter((_, i) => sets[i]?.literal !== undefined);
  if (sampled.length >= 2) {
    const [first, ...rest] = sampled.map(of);
    for (const predicate of first!) if (rest.every((r) => r.has(predicate))) out.add(predicate);
  }
  return out;
}

/**
 * The evidence sentence for a recommendation's rationale: how the `$n` were given values.
 *
 * @example
 *   parameterNote({ source: 'statistics', typing: 'as written', sets: [{ label: 'typical', weight: 0.7 }, { label: 'common', weight: 0.3 }] })
 *   // 'parameters planned with values drawn from pg_stats (typical 70 %, common 30 %)'
 */
export function parameterNote(evidence: ParameterEvidence): string {
  const typed = evidence.typing === 'as written' ? '' : `; untyped parameters read as ${evidence.typing}`;
  if (evidence.source === 'generic') return `parameters planned by the generic plan (${evidence.why ?? 'no representative values'}): estimates for real values may differ${typed}`;
  const shares = evidence.sets.map((s) => `${s.label} ${Math.round(s.weight * 100)} %`).join(', ');
  const from = { pg_qualstats: 'values pg_qualstats sampled', activity: 'literal texts the collector saw', statistics: 'values drawn from pg_stats' }[evidence.source];
  return `parameters planned with ${from} (${shares})${typed}`;
}

function parameterEvidence(sets: readonly ParameterSet[], typing: string, why: string | undefined): ParameterEvidence {
  if (sets.length === 0) return { source: 'generic', typing, sets: [], ...(why === undefined ? {} : { why }) };
  return {
    source: sets[0]!.source,
    typing,
    sets: sets.map((s) => ({ label: s.label, weight: s.weight, ...(s.values ? { values: s.values } : {}), ...(s.literal ? { literal: s.literal } : {}) })),
  };
}

/** A covering index reads the rows it returns from the index instead of the table. */
export const MAX_COVERING_SHARE = 0.1;
/** An index-only scan saves about one heap visit per row returned: not worth wider index entries
 * for a query the planner expects to return fewer rows than this. */
export const MIN_COVERING_ROWS = 50;

/**
 * Whether a covering candidate (keys + INCLUDE) is worth costing. Not when an existing index
 * already serves its keys: the INCLUDE columns only save heap visits for rows that index already
 * finds, and a second index on the same keys doubles the write cost (a DBA would widen the
 * existing one instead, which is a schema change, not a new index). Not when the scan returns more
 * than MAX_COVERING_SHARE of the table: an index-only scan over that much is a second, narrower
 * copy of the table. Not when it returns fewer than MIN_COVERING_ROWS: a few heap visits saved.
 */
function coveringFits(candidate: IndexCandidate, table: TableFacts, existing: readonly ExistingIndex[]): boolean {
  if (servedByExisting({ ...candidate, include: undefined }, existing)) return false;
  const rows = candidate.scanRows ?? 0;
  return table.rows > 0 && rows >= MIN_COVERING_ROWS && rows / table.rows <= MAX_COVERING_SHARE;
}

/**
 * INCLUDE columns make an index bigger and every write to them dearer: a covering candidate is
 * kept only when it cuts the cost left by the same index without them by the threshold again.
 */
export function earnsItsInclude(e: EvaluatedCandidate, used: readonly EvaluatedCandidate[], thresholdPct: number): boolean {
  if (e.candidate.include === undefined) return true;
  const plain = used.find(
    (p) =>
      p.candidate.include === undefined &&
      p.table.schema === e.table.schema &&
      p.table.table === e.table.table &&
      (p.candidate.predicate ?? null) === (e.candidate.predicate ?? null) &&
      JSON.stringify(p.candidate.keys) === JSON.stringify(e.candidate.keys),
  );
  return plain === undefined || improvement(plain.costAfter, e.costAfter) >= thresholdPct;
}

/**
 * Runs `inner` with the settings an analysis needs, SET LOCAL (`set_config(…, true)`), and puts
 * back what the caller had: statement_timeout on every request, and search_path pinned to
 * pg_catalog, pg_temp, so none of OptiSchema's own requests resolves a name in a schema someone
 * else may create objects in (hypopg is called by its schema, through the guard's wrappers).
 * Inside plv8 the whole analysis is one statement of the caller's: PostgreSQL arms
 * statement_timeout when a statement starts, so there the caller's own timeout is the bound.
 */
export function* withAnalysisSettings<T>(statementTimeoutMs: number, inner: Step<T>): Step<T> {
  const saved = yield {
    sql: `select current_setting('statement_timeout') as statement_timeout, current_setting('search_path') as search_path`,
    params: [],
  };
  yield {
    sql: `select set_config('statement_timeout', $1, true) as timeout, set_config('search_path', 'pg_catalog, pg_temp', true) as path`,
    params: [`${Math.round(statementTimeoutMs)}ms`],
  };
  try {
    return yield* inner;
  } finally {
    yield {
      sql: `select pg_catalog.set_config('statement_timeout', $1, true) as timeout, pg_catalog.set_config('search_path', $2, true) as path`,
      params: [String(saved[0]?.statement_timeout ?? '0'), String(saved[0]?.search_path ?? '"$user", public')],
    };
  }
}

function* cached<T>(cache: Map<string, T>, key: string, load: () => Step<T>): Step<T> {
  if (cache.has(key)) return cache.get(key)!;
  const value = yield* load();
  cache.set(key, value);
  return value;
}

/** The message of a thrown value. Not `instanceof Error`: an error may come from another realm
 * (the host's), where it is an Error of another constructor. */
export function errorMessage(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}
