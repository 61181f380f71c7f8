import { z } from 'zod';

/**
 * A recommendation's `evidence` (JSON written by optischema.record_index_recommendations, 0009):
 * `{ advice: <the engine's recommendation as it came>, queries: [<each query it serves>], sources }`.
 * Read field by field, tolerantly: an older row, or one a newer engine wrote, still shows what it has.
 */
export interface Evidence {
  risk: { level: string; reason: string | null } | null;
  /** The engine's estimate from the table's measured write rate (before any sandbox measurement). */
  writeOverhead: { summary: string | null; indexWritesPerSecond: number | null } | null;
  /** Why the hypothetical-index estimate cannot be trusted (only a real build can tell). */
  uncertainty: string | null;
  /** Other indexes the estimate assumed in place. */
  together: string[];
  queries: EvidenceQuery[];
}

export interface EvidenceQuery {
  query: string;
  queryid: string | null;
  /** Planner cost estimates with and without the hypothetical index (arbitrary units). */
  costBefore: number | null;
  costAfter: number | null;
  improvementPct: number | null;
  /** The parameter values the advisor planned a `$n` statement with. */
  valueSets: { label: string; values: (string | null)[] }[];
  /** Where those values came from (pg_qualstats, activity, statistics, generic) and why, if generic. */
  parameterSource: string | null;
  parameterNote: string | null;
}

const num = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?(e-?\d+)?$/i).transform(Number)]);
const text = z.string();
const values = z.array(z.union([z.string(), z.number(), z.boolean()]).nullable().transform((v) => (v === null ? null : String(v))));

const Query = z.object({
  query: text,
  queryid: z.union([z.string(), z.number().transform(String)]).nullish().catch(null),
  costBefore: num.nullish().catch(null),
  costAfter: num.nullish().catch(null),
  improvementPct: num.nullish().catch(null),
  values: values.optional().catch(undefined),
  parameters: z
    .object({
      source: text.optional().catch(undefined),
      why: text.optional().catch(undefined),
      sets: z.array(z.object({ label: text.optional().catch(undefined), values: values.optional().catch(undefined) }).catch({})).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});

const Advice = z.object({
  risk: z.object({ level: text, reason: text.nullish().catch(null) }).optional().catch(undefined),
  writeOverhead: z.object({ summary: text.nullish().catch(null), indexWritesPerSecond: num.nullish().catch(null) }).optional().catch(undefined),
  uncertainty: z.object({ note: text }).optional().catch(undefined),
  together: z.array(text).optional().catch(undefined),
});

const Root = z.object({
  advice: z.unknown().optional(),
  queries: z.array(z.unknown()).optional().catch(undefined),
});

export const NO_EVIDENCE: Evidence = { risk: null, writeOverhead: null, uncertainty: null, together: [], queries: [] };

/**
 * @example
 *   parseEvidence({ queries: [{ query: 'select … where email = $1', queryid: '-733…', costBefore: 230, costAfter: 8.05,
 *     parameters: { source: 'statistics', sets: [{ label: 'typical', values: ['liam@example.net'] }] } }] }).queries[0].valueSets;
 *   // [{ label: 'typical', values: ['liam@example.net'] }]
 */
export function parseEvidence(raw: unknown): Evidence {
  const root = Root.safeParse(raw);
  if (!root.success) return NO_EVIDENCE;
  const advice = Advice.safeParse(root.data.advice ?? {});
  const a = advice.success ? advice.data : {};
  return {
    risk: a.risk ? { level: a.risk.level, reason: a.risk.reason ?? null } : null,
    writeOverhead: a.writeOverhead ? { summary: a.writeOverhead.summary ?? null, indexWritesPerSecond: a.writeOverhead.indexWritesPerSecond ?? null } : null,
    uncertainty: a.uncertainty?.note ?? null,
    together: a.together ?? [],
    // One unreadable query is left out; the others still show.
    queries: (root.data.queries ?? []).flatMap((q) => {
      const parsed = Query.safeParse(q);
      return parsed.success ? [toQuery(parsed.data)] : [];
    }),
  };
}

function toQuery(q: z.infer<typeof Query>): EvidenceQuery {
  const sets = (q.parameters?.sets ?? []).flatMap((s, i) => (s.values?.length ? [{ label: s.label ?? `set ${i + 1}`, values: s.values }] : []));
  return {
    query: q.query,
    queryid: q.queryid ?? null,
    costBefore: q.costBefore ?? null,
    costAfter: q.costAfter ?? null,
    improvementPct: q.improvementPct ?? null,
    valueSets: q.values?.length ? [{ label: 'values', values: q.values }] : sets,
    parameterSource: q.parameters?.source ?? null,
    parameterNote: q.parameters?.why ?? null,
  };
}
