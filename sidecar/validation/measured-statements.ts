/**
 * Which statements a validation runs, and with which values: the queries a recommendation serves,
 * as its evidence keeps them, each with the parameter values the advisor planned it with (issue 11
 * §2: "with real parameter values, the same ones the advisor used").
 */
import type { ParameterEvidence } from '../../plv8/advisor/query/evaluate-query.ts';
import { textTokens } from '../../plv8/engine/statement-text.ts';
import type { MeasuredStatement } from '../sandbox/measure-index.ts';

/** A query of a recommendation's evidence (optischema.recommendations.evidence -> 'queries'). */
export interface EvidenceQuery {
  queryid?: string | null;
  query: string;
  parameters?: ParameterEvidence;
}

export interface ChosenStatement extends MeasuredStatement {
  queryid?: string | null;
  /** The parameter set's label (`typical`, `common`, `sample 2`…), when it has one. */
  label?: string;
}

/** At most this many parameter sets per statement, heaviest first: each costs warm-up + N runs twice. */
export const MAX_SETS_PER_STATEMENT = 3;

/**
 * @example
 *   measuredStatements([{ query: 'select * from orders where customer_id = $1',
 *     parameters: { source: 'statistics', typing: 'as written', sets: [{ label: 'typical', weight: 1, values: ['42'] }] } }])
 *   // { statements: [{ query: '… = $1', values: ['42'], label: 'typical' }], skipped: [] }
 */
export function measuredStatements(queries: readonly EvidenceQuery[], maxSets = MAX_SETS_PER_STATEMENT): { statements: ChosenStatement[]; skipped: { query: string; why: string }[] } {
  const statements: ChosenStatement[] = [];
  const skipped: { query: string; why: string }[] = [];
  const seen = new Set<string>();
  const add = (s: ChosenStatement) => {
    const key = JSON.stringify([s.query, s.values ?? null]);
    if (!seen.has(key)) statements.push(s), seen.add(key);
  };
  for (const q of queries) {
    const id = q.queryid === undefined ? {} : { queryid: q.queryid };
    if (!hasParameters(q.query)) {
      add({ ...id, query: q.query });
      continue;
    }
    const sets = [...(q.parameters?.sets ?? [])].filter((s) => s.values !== undefined || s.literal !== undefined).sort((a, b) => b.weight - a.weight).slice(0, maxSets);
    if (sets.length === 0) {
      skipped.push({ query: q.query, why: `no parameter values known for it (${q.parameters?.why ?? 'the advisor planned it by its generic plan'}), so it cannot be run` });
      continue;
    }
    // A literal text the collector saw is the statement as a client sent it: run as it is.
    for (const s of sets) add(s.literal !== undefined ? { ...id, query: s.literal, label: s.label } : { ...id, query: q.query, values: s.values!, label: s.label });
  }
  return { statements, skipped };
}

function hasParameters(query: string): boolean {
  try {
    return textTokens(query).some((t) => t.kind === 'parameter');
  } catch {
    // Not readable as one statement: analyzePlan refuses it with the reason later.
    return false;
  }
}
