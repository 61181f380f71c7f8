import { formatCount, formatMs, formatPct } from '../../format.ts';
import { formatCost } from '../recommendations/recommendation-format.ts';
import type { AiAnalysisView } from './ai-analysis.ts';
import type { ProposalView, RewriteCaseView, VerificationState } from './ai-proposals.ts';

/** The words beside each badge: the state is said, never only coloured. */
export const STATE_LABEL: Record<VerificationState, string> = {
  verified: 'verified',
  rejected: 'rejected',
  unverified: 'unverified suggestion — cannot be applied',
};

export const KIND_LABEL: Record<ProposalView['kind'], string> = { index: 'Index', rewrite: 'Rewrite', setting: 'Setting' };

/** Who proposed it. */
export function sourceLabel(p: Pick<ProposalView, 'source' | 'rule'>): string {
  if (p.source === 'model') return 'proposed by the model';
  if (p.source === 'rewriter') return `OptiSchema's rewriter${p.rule ? ` (${p.rule})` : ''}`;
  if (p.source === 'engine') return "the index advisor's own";
  return `from ${p.source}`;
}

/**
 * What a verification measured, one line per kind of proof, each saying how it was measured
 * (every user-facing number has a source).
 *
 * @example
 *   proofLines({ figures: { costBefore: 230, engineCost: 230, costAfter: 8.05, beforeMedianMs: null, … } });
 *   // ['what-if (hypopg): estimated cost 230 → 8.05']
 */
export function proofLines(p: Pick<ProposalView, 'figures'>): string[] {
  const f = p.figures;
  const lines: string[] = [];
  if (f.costBefore !== null && f.costAfter !== null) {
    const engine = f.engineCost !== null && f.engineCost !== f.costBefore ? `, ${formatCost(f.engineCost)} with the engine's own indexes` : '';
    lines.push(`what-if (hypopg): estimated cost ${formatCost(f.costBefore)} → ${formatCost(f.costAfter)}${engine}`);
  }
  if (f.beforeMedianMs !== null && f.afterMedianMs !== null) {
    const runs = f.runs !== null ? ` of ${f.runs} runs` : '';
    const gain = f.measuredImprovementPct === null ? ''
      : f.measuredImprovementPct >= 0 ? `, ${formatPct(f.measuredImprovementPct)} faster`
      : `, ${formatPct(-f.measuredImprovementPct)} slower`;
    lines.push(`sandbox: median${runs} ${formatMs(f.beforeMedianMs)} → ${formatMs(f.afterMedianMs)}${gain}`);
  }
  return lines;
}

/** One edge case of a rewrite's check: whether both statements returned the same rows. */
export function caseText(c: RewriteCaseView): string {
  if (c.error) return `${c.name}: failed (${c.error})`;
  const rows = c.rowsBefore !== null && c.rowsAfter !== null ? (c.rowsBefore === c.rowsAfter ? ` (${formatCount(c.rowsBefore)} rows)` : ` (${formatCount(c.rowsBefore)} → ${formatCount(c.rowsAfter)} rows)`) : '';
  return `${c.name}: ${c.same ? 'same result' : 'different result'}${rows}`;
}

/** What the status means for the reader, when it is not a plain answer. */
export function statusNote(a: Pick<AiAnalysisView, 'status' | 'error'>): { tone: 'error' | 'muted'; text: string } | null {
  const why = a.error ? `: ${a.error}` : '';
  if (a.status === 'rejected') return { tone: 'error', text: `The model's answer was rejected: it did not match the expected form after one repair attempt${why}` };
  if (a.status === 'failed') return { tone: 'error', text: `The analysis failed: the model could not be reached${why}` };
  if (a.status === 'deterministic') return { tone: 'muted', text: "Made without a model: OptiSchema's deterministic rewriter only." };
  if (a.status !== 'ok') return { tone: 'muted', text: `Status ${a.status}${why}` };
  return a.error ? { tone: 'error', text: a.error } : null;
}

/** "1,800 in + 420 out = 2,220 tokens, 2 tool calls" */
export function usageText(usage: AiAnalysisView['usage']): string | null {
  if (!usage) return null;
  const total = usage.inputTokens + usage.outputTokens;
  return `${formatCount(usage.inputTokens)} in + ${formatCount(usage.outputTokens)} out = ${formatCount(total)} tokens, ${usage.toolCalls} tool call${usage.toolCalls === 1 ? '' : 's'}`;
}
