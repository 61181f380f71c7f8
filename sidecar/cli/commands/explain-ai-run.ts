import { defaultProvider } from '../../ai/ai-settings.ts';
import { createProvider } from '../../ai/providers/provider.ts';
import type { Proposal } from '../../ai/review/proposals.ts';
import { reviewQuery } from '../../ai/review/review-query.ts';
import type { SandboxAccess } from '../../ai/review/verify-rewrites.ts';
import { adviseQueries } from '../../advisor/advise.ts';
import { openPool } from '../../database/connection.ts';
import { withClient } from '../../sandbox/sandbox-database.ts';

export interface ExplainAiReport {
  status: 'ok' | 'rejected' | 'failed' | 'deterministic';
  provider: { kind: string; model: string } | null;
  explanation: string;
  findings: { title: string; detail: string }[];
  proposals: Proposal[];
  error?: string;
  tokens?: { input: number; output: number; toolCalls: number };
}

/**
 * `optischema explain-ai`: the engine's advice for the statement first (its recommendations are
 * what the model's indexes must beat or add to), then the review. Planned as this session's role
 * (the guard plans a superuser's statements as the analysis role); rewrites are verified only on
 * `sandboxUrl`, never on the database itself.
 */
export async function explainAi(url: string, query: string, options: { sandboxUrl?: string; allowLiterals: boolean }): Promise<ExplainAiReport> {
  const config = await defaultProvider();
  const pool = await openPool(url, { max: 1 });
  try {
    const [advice] = (await adviseQueries(pool, [query])).results;
    const sandbox: SandboxAccess = options.sandboxUrl
      ? { run: (work) => withClient(options.sandboxUrl!, work) }
      : { unavailable: 'give --sandbox URL (a copy of the database) to verify rewrites' };
    const client = await pool.connect();
    try {
      const review = await reviewQuery({
        target: client,
        query,
        authors: [],
        engine: (advice?.recommendations ?? []).map((r) => ({ sql: r.sql, costBefore: r.costBefore, costAfter: r.costAfter, rationale: r.rationale })),
        provider: config ? await createProvider(config) : null,
        allowLiterals: options.allowLiterals,
        sandbox,
      });
      const engine: Proposal[] = (advice?.recommendations ?? []).map((r) => ({
        kind: 'index',
        source: 'engine' as const,
        sql: r.sql,
        reason: r.rationale,
        verification: { state: 'verified', reason: `the engine's own recommendation: estimated by hypopg ${r.costBefore} → ${r.costAfter} (−${r.improvementPct} %)` },
      }));
      return {
        status: review.status,
        provider: config ? { kind: config.kind, model: config.model } : null,
        explanation: review.explanation,
        findings: review.findings,
        proposals: [...engine, ...review.proposals],
        ...(review.error ? { error: review.error } : {}),
        ...(review.run ? { tokens: { input: review.run.usage.inputTokens, output: review.run.usage.outputTokens, toolCalls: review.run.toolCalls } } : {}),
      };
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}
