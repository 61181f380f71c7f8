/**
 * One statement reviewed (issue 13): OptiSchema's deterministic rewriter always, and, when a model
 * is configured, the model's analysis with tools, every claim of which PostgreSQL then checks.
 *
 *   engine's advice ─┐
 *   plan ────────────┼─► context (token budget, literals out unless allowed) ─► model + tools ─► answer (zod)
 *   catalog ─────────┘                                                                           │
 *   rewriter ─► rewrites ─┐                                                                       ▼
 *                         └──────────────► verification: indexes by what-if, rewrites on the sandbox
 *
 * Nothing the model writes runs on the target: its indexes are costed as hypothetical indexes, its
 * rewrites run only on the sandbox, its settings are shown as unverified suggestions. A failing
 * provider leaves the rewriter's proposals and the engine's recommendations as they are.
 */
import type pg from 'pg';
import type { AuthorRef } from '../../../plv8/engine/guard/planners.ts';
import { messageOf } from '../../errors.ts';
import { proposeRewrites } from '../../rewriter/index.ts';
import { buildQueryContext, type QueryContext } from '../context/index.ts';
import { runAnalysis, type AnalysisRun } from '../loop/run-analysis.ts';
import type { Provider } from '../providers/provider.ts';
import { verifyIndexProposals } from '../verify/verify-indexes.ts';
import { SYSTEM_PROMPT, userPrompt } from './prompt.ts';
import { unverified, type Proposal } from './proposals.ts';
import { reviewTools } from './tools.ts';
import { rewriteDiff, verifyRewriteProposal, type SandboxAccess } from './verify-rewrites.ts';

/** Tokens of context per analysis, before the model's own messages. */
export const DEFAULT_CONTEXT_TOKENS = 6_000;

export interface ReviewInput {
  /** A session on the target, idle: catalog reads and guarded plans. */
  target: pg.ClientBase;
  query: string;
  /** Values for its `$n`, when known: rewrites are run with them on the sandbox. */
  values?: readonly (string | null)[];
  authors: readonly AuthorRef[];
  /** The statement's plan, as stored (EXPLAIN JSON). */
  plan?: unknown;
  /** The engine's own recommendations for it: their DDL and what-if costs. */
  engine: readonly { sql: string; costBefore: number; costAfter: number; rationale: string }[];
  /** null: deterministic mode (the rewriter only). */
  provider: Provider | null;
  allowLiterals: boolean;
  sandbox: SandboxAccess;
  contextTokens?: number;
  signal?: AbortSignal;
}

export interface Review {
  status: 'ok' | 'rejected' | 'failed' | 'deterministic';
  explanation: string;
  findings: { title: string; detail: string }[];
  proposals: Proposal[];
  error?: string;
  context?: QueryContext;
  run?: AnalysisRun;
}

/**
 * @example
 *   const review = await reviewQuery({ target, query, authors: [], engine: [], provider, allowLiterals: false, sandbox });
 *   review.proposals.filter((p) => p.verification.state === 'verified');
 */
export async function reviewQuery(input: ReviewInput): Promise<Review> {
  const proposals = await rewriterProposals(input);
  if (input.provider === null) return { status: 'deterministic', explanation: '', findings: [], proposals };

  const context = await buildQueryContext(input.target, {
    query: input.query,
    ...(input.plan === undefined ? {} : { plan: input.plan }),
    findings: input.engine.map((e) => `engine recommends ${e.sql}: ${e.rationale}`),
    whatIf: input.engine.map((e) => ({ sql: e.sql, costBefore: e.costBefore, costAfter: e.costAfter, used: true })),
    allowLiterals: input.allowLiterals,
    tokenBudget: input.contextTokens ?? DEFAULT_CONTEXT_TOKENS,
  });
  const tools = reviewTools({ target: input.target, query: input.query, authors: input.authors, allowLiterals: input.allowLiterals });
  const run = await runAnalysis(input.provider, { system: SYSTEM_PROMPT, user: userPrompt(context.text), tools, ...(input.signal ? { signal: input.signal } : {}) });
  if (run.status !== 'ok' || run.output === null) {
    return { status: run.status === 'ok' ? 'rejected' : run.status, explanation: '', findings: [], proposals, error: run.error ?? 'no answer', context, run };
  }
  const output = run.output;
  const indexChecks = await verifyIndexProposals(input.target, input.query, output.indexes.map((i) => i.sql), input.engine.map((e) => e.sql), { authors: input.authors });
  const indexes: Proposal[] = output.indexes.map((proposal, i) => {
    const { state, reason, ddl, ...measured } = indexChecks[i]!;
    return { kind: 'index', source: 'model', sql: ddl ?? proposal.sql, reason: proposal.reason, verification: { state, reason, ...measured } };
  });
  const rewrites: Proposal[] = [];
  for (const proposal of output.rewrites) {
    rewrites.push({
      kind: 'rewrite',
      source: 'model',
      sql: proposal.sql,
      before: input.query,
      diff: rewriteDiff(input.query, proposal.sql),
      reason: proposal.reason,
      verification: await verifyRewriteProposal(input.sandbox, input.query, proposal.sql, input.values),
    });
  }
  const settings: Proposal[] = output.settings.map((s) => ({
    kind: 'setting',
    source: 'model',
    sql: `SET ${s.name} = ${s.value}`,
    reason: s.reason,
    verification: unverified('settings are not verified by the AI review; the settings advisor measures them'),
  }));
  return { status: 'ok', explanation: output.explanation, findings: output.findings, proposals: [...proposals, ...indexes, ...rewrites, ...settings], context, run };
}

/** The deterministic rewriter's proposals, each verified on the sandbox like a model's. */
async function rewriterProposals(input: ReviewInput): Promise<Proposal[]> {
  let found;
  try {
    found = await proposeRewrites(input.target, input.query);
  } catch (error) {
    return [{ kind: 'rewrite', source: 'rewriter', sql: '', reason: `the rewriter could not read the statement: ${messageOf(error)}`, verification: unverified('not rewritten') }];
  }
  const proposals: Proposal[] = [];
  for (const r of found) {
    const base = { kind: 'rewrite' as const, source: 'rewriter' as const, rule: r.rule, before: r.before, reason: r.reason };
    if (r.after === null) {
      proposals.push({ ...base, sql: '', ...(r.advice ? { advice: r.advice } : {}), verification: unverified('advice: measure it once the application follows it') });
      continue;
    }
    proposals.push({ ...base, sql: r.after, diff: r.diff, verification: await verifyRewriteProposal(input.sandbox, input.query, r.after, input.values) });
  }
  return proposals;
}
