/**
 * A proposal as an analysis stores it (optischema.ai_analyses.proposals) and the web app, the API
 * and the CLI show it: what was proposed, by whom, and what PostgreSQL verified of it.
 */
export interface Verification {
  /** verified: PostgreSQL confirmed it (what-if for an index, the sandbox for a rewrite);
   * rejected: PostgreSQL refused or disproved it; unverified: nothing could check it, so it is a
   * suggestion and cannot be applied. */
  state: 'verified' | 'rejected' | 'unverified';
  reason: string;
  [measurement: string]: unknown;
}

export interface Proposal {
  kind: 'index' | 'rewrite' | 'setting';
  /** model: the LLM's; rewriter: OptiSchema's deterministic rewriter (sidecar/rewriter/); engine:
   * the index advisor's own recommendation (the CLI shows it beside the review). */
  source: 'model' | 'rewriter' | 'engine';
  /** The index DDL, the rewritten statement, or `SET name = value`; '' for advice only. */
  sql: string;
  reason: string;
  /** Rewrites: the statement before, the rule (rewriter), a unified diff; advice-only rules: the advice. */
  before?: string;
  rule?: string;
  diff?: string;
  advice?: string;
  verification: Verification;
  /** A verified index stored as a recommendation (it then goes to the sandbox like any other). */
  recommendationId?: string;
}

export const unverified = (reason: string): Verification => ({ state: 'unverified', reason });
