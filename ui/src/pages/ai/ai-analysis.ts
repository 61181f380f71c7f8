import { z } from 'zod';
import { groupProposals, parseProposals, type ProposalGroups } from './ai-proposals.ts';
import type { AiStatusView } from './ai-status.ts';

/**
 * How an analysis came out (optischema.ai_analyses.status): ok — the model answered and its answer
 * was checked; rejected — its answer stayed malformed after one repair; failed — the provider could
 * not be reached; deterministic — no model, OptiSchema's rewriter only.
 */
export type AnalysisStatus = 'ok' | 'rejected' | 'failed' | 'deterministic';

export interface Finding {
  title: string;
  detail: string;
}

export interface AiAnalysisView {
  id: string;
  /** A status this app does not know is kept as it came (and shown as such). */
  status: AnalysisStatus | string;
  provider: string | null;
  model: string | null;
  createdAt: string | null;
  /** Markdown as the model wrote it: rendered without raw HTML (AiMarkdown.tsx). */
  explanation: string;
  findings: Finding[];
  proposals: ProposalGroups;
  error: string | null;
  /** Null where the row does not carry it (the recommendation view) and it was not read yet. */
  usage: { inputTokens: number; outputTokens: number; toolCalls: number } | null;
}

/** The fields both the statement's and the recommendation's analyses carry. */
export interface AnalysisRowInput {
  status: string | null;
  provider: string | null;
  model: string | null;
  explanation: string | null;
  findings: unknown;
  proposals: unknown;
  error: string | null;
  createdAt: string | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  toolCalls?: number | null;
}

const FindingSchema = z.object({ title: z.string(), detail: z.string().catch('') });

/**
 * @example
 *   analysisView('5f0c…', { status: 'ok', provider: 'openai', model: 'gpt-4.1-mini', explanation: 'The **seq scan**…',
 *     findings: [{ title: 'Seq scan', detail: 'reads 1.2M rows' }], proposals: [], error: null, createdAt: '…',
 *     inputTokens: 1800, outputTokens: 420, toolCalls: 2 }).usage;
 *   // { inputTokens: 1800, outputTokens: 420, toolCalls: 2 }
 */
export function analysisView(id: string, row: AnalysisRowInput): AiAnalysisView {
  const hasUsage = row.inputTokens !== undefined && row.inputTokens !== null;
  return {
    id,
    status: row.status ?? 'unknown',
    provider: row.provider,
    model: row.model,
    createdAt: row.createdAt,
    explanation: row.explanation ?? '',
    findings: parseFindings(row.findings),
    proposals: groupProposals(parseProposals(row.proposals)),
    error: row.error,
    usage: hasUsage ? { inputTokens: row.inputTokens ?? 0, outputTokens: row.outputTokens ?? 0, toolCalls: row.toolCalls ?? 0 } : null,
  };
}

/** A finding that is not `{title, detail}` is left out; the others still show. */
export function parseFindings(raw: unknown): Finding[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((f) => {
    const parsed = FindingSchema.safeParse(f);
    return parsed.success ? [parsed.data] : [];
  });
}

/** What a panel shows: AI off (with the rewriter's analysis if there is one), nothing yet, or the latest analysis. */
export type PanelContent =
  | { kind: 'off'; deterministic: AiAnalysisView | null }
  | { kind: 'empty' }
  | { kind: 'analysis'; analysis: AiAnalysisView };

/**
 * @example
 *   panelContent({ enabled: false, … }, latestOk, latestDeterministic); // { kind: 'off', deterministic: latestDeterministic }
 */
export function panelContent(status: AiStatusView | null, latest: AiAnalysisView | null, deterministic: AiAnalysisView | null): PanelContent {
  // No status (an old server) reads as off: the panel then claims nothing about a model.
  if (!status?.enabled) return { kind: 'off', deterministic };
  return latest ? { kind: 'analysis', analysis: latest } : { kind: 'empty' };
}
