import { z } from 'zod';

/**
 * An analysis's proposals (optischema.ai_analyses.proposals, written by sidecar/ai/review/): what
 * was proposed, by whom, and what PostgreSQL verified of it. Glossary:
 *   verified   — PostgreSQL confirmed it: the engine's what-if (hypopg) for an index, the sandbox
 *                for a rewrite (same results on its data and on edge cases, and faster);
 *   rejected   — PostgreSQL refused or disproved it, with the reason;
 *   unverified — nothing could check it: a suggestion, which cannot be applied.
 * The JSON comes from outside the app (a model's words, a newer sidecar): each element is read
 * with safeParse, and one that does not fit is shown as unreadable, never thrown.
 */
export type VerificationState = 'verified' | 'rejected' | 'unverified';

export interface RewriteCaseView {
  /** 'data', 'empty <table>', 'nulls in <table>.<col>,…' */
  name: string;
  same: boolean;
  rowsBefore: number | null;
  rowsAfter: number | null;
  error: string | null;
}

/** The figures a verification rests on; null where it did not measure that. */
export interface VerificationFigures {
  /** What-if planner costs (arbitrary units): as it is, with the engine's own indexes, and with this one. */
  costBefore: number | null;
  engineCost: number | null;
  costAfter: number | null;
  /** Sandbox medians of the statement and of its rewrite. */
  beforeMedianMs: number | null;
  afterMedianMs: number | null;
  runs: number | null;
  measuredImprovementPct: number | null;
  cases: RewriteCaseView[];
}

export interface ProposalView {
  readable: true;
  kind: 'index' | 'rewrite' | 'setting';
  /** model: the LLM's; rewriter: OptiSchema's deterministic rewriter; engine: the index advisor's own. */
  source: string;
  /** The index DDL, the rewritten statement, or `SET name = value`; '' for advice only. */
  sql: string;
  reason: string;
  before: string | null;
  rule: string | null;
  diff: string | null;
  advice: string | null;
  state: VerificationState;
  verificationReason: string;
  figures: VerificationFigures;
  recommendationId: string | null;
}

export interface UnreadableProposal {
  readable: false;
  /** Its place in the stored list (1-based), to find it in the raw JSON. */
  position: number;
}

export type ProposalItem = ProposalView | UnreadableProposal;

const num = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?(e-?\d+)?$/i).transform(Number)]).refine(Number.isFinite);
const optionalNum = num.nullish().catch(null);
const optionalText = z.string().nullish().catch(null);

const Case = z.object({
  name: z.string(),
  same: z.boolean(),
  rowsBefore: optionalNum,
  rowsAfter: optionalNum,
  error: optionalText,
});

const Verification = z.object({
  state: z.enum(['verified', 'rejected', 'unverified']),
  reason: z.string(),
  costBefore: optionalNum,
  engineCost: optionalNum,
  costAfter: optionalNum,
  beforeMedianMs: optionalNum,
  afterMedianMs: optionalNum,
  runs: optionalNum,
  measuredImprovementPct: optionalNum,
  // One unreadable case is left out; the others still show.
  cases: z
    .array(z.unknown())
    .optional()
    .catch(undefined)
    .transform((cases) => (cases ?? []).flatMap((c) => {
      const parsed = Case.safeParse(c);
      return parsed.success ? [parsed.data] : [];
    })),
});

const Proposal = z.object({
  kind: z.enum(['index', 'rewrite', 'setting']),
  source: z.string().min(1),
  sql: z.string(),
  reason: z.string(),
  before: optionalText,
  rule: optionalText,
  diff: optionalText,
  advice: optionalText,
  verification: Verification,
  recommendationId: z.string().uuid().nullish().catch(null),
});

/**
 * @example
 *   parseProposals([{ kind: 'index', source: 'model', sql: 'CREATE INDEX …', reason: 'filters on email',
 *     verification: { state: 'verified', reason: 'by hypopg what-if …', costBefore: 230, costAfter: 8.05 } }, 42]);
 *   // [{ readable: true, kind: 'index', state: 'verified', figures: { costBefore: 230, costAfter: 8.05, … }, … },
 *   //  { readable: false, position: 2 }]
 */
export function parseProposals(raw: unknown): ProposalItem[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((element, i): ProposalItem => {
    const parsed = Proposal.safeParse(element);
    return parsed.success ? toView(parsed.data) : { readable: false, position: i + 1 };
  });
}

function toView(p: z.infer<typeof Proposal>): ProposalView {
  const v = p.verification;
  return {
    readable: true,
    kind: p.kind,
    source: p.source,
    sql: p.sql,
    reason: p.reason,
    before: p.before ?? null,
    rule: p.rule ?? null,
    diff: p.diff ? p.diff : null,
    advice: p.advice ?? null,
    state: v.state,
    verificationReason: v.reason,
    figures: {
      costBefore: v.costBefore ?? null,
      engineCost: v.engineCost ?? null,
      costAfter: v.costAfter ?? null,
      beforeMedianMs: v.beforeMedianMs ?? null,
      afterMedianMs: v.afterMedianMs ?? null,
      runs: v.runs ?? null,
      measuredImprovementPct: v.measuredImprovementPct ?? null,
      cases: v.cases.map((c) => ({ name: c.name, same: c.same, rowsBefore: c.rowsBefore ?? null, rowsAfter: c.rowsAfter ?? null, error: c.error ?? null })),
    },
    recommendationId: p.recommendationId ?? null,
  };
}

export interface ProposalGroups {
  verified: ProposalView[];
  rejected: ProposalView[];
  unverified: ProposalView[];
  unreadable: UnreadableProposal[];
}

/** Verified first, then rejected, then unverified (each in the order they were made), then the unreadable. */
export function groupProposals(items: readonly ProposalItem[]): ProposalGroups {
  const groups: ProposalGroups = { verified: [], rejected: [], unverified: [], unreadable: [] };
  for (const item of items) {
    if (item.readable) groups[item.state].push(item);
    else groups.unreadable.push(item);
  }
  return groups;
}

export const proposalCount = (g: ProposalGroups): number => g.verified.length + g.rejected.length + g.unverified.length + g.unreadable.length;
