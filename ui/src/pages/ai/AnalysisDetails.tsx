import { formatAgo, formatTime } from '../../format.ts';
import type { AiAnalysisView } from './ai-analysis.ts';
import { proposalCount } from './ai-proposals.ts';
import { statusNote, usageText } from './ai-labels.ts';
import { AiExplanation } from './AiExplanation.tsx';
import { ProposalList } from './ProposalList.tsx';

/** One analysis: who made it and what it cost, what it says, and what PostgreSQL made of each proposal. */
export function AnalysisDetails({ analysis: a, now }: { analysis: AiAnalysisView; now?: number }) {
  const note = statusNote(a);
  const usage = usageText(a.usage);
  const by = a.status === 'deterministic' ? "OptiSchema's deterministic rewriter" : [a.provider, a.model].filter(Boolean).join(' · ') || 'an unnamed model';
  return (
    <div className="stack ai-analysis" data-testid="ai-analysis">
      <p className="muted ai-meta" data-testid="ai-meta">
        By <strong>{by}</strong>, <span title={formatTime(a.createdAt)}>{formatAgo(a.createdAt, now)}</span>
        {usage && <>; {usage}</>}.
      </p>
      {note && (
        <p className={note.tone} role={note.tone === 'error' ? 'alert' : undefined} data-testid="ai-status-note">
          {note.text}
        </p>
      )}
      {a.explanation.trim() && (
        <div className="stack ai-explanation">
          <h3>Explanation</h3>
          <AiExplanation text={a.explanation} />
        </div>
      )}
      {a.findings.length > 0 && (
        <div>
          <h3>Findings</h3>
          <ul className="ai-findings" data-testid="ai-findings">
            {a.findings.map((f, i) => (
              <li key={i}>
                <strong>{f.title}</strong>
                {f.detail && <>: {f.detail}</>}
              </li>
            ))}
          </ul>
        </div>
      )}
      {(a.status === 'ok' || a.status === 'deterministic' || proposalCount(a.proposals) > 0) && (
        <ProposalList groups={a.proposals} />
      )}
    </div>
  );
}
