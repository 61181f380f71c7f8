import { Link } from '@tanstack/react-router';
import { SqlBlock } from '../../components/SqlBlock.tsx';
import { caseText, KIND_LABEL, proofLines, sourceLabel, STATE_LABEL } from './ai-labels.ts';
import { proposalCount, type ProposalGroups, type ProposalView, type VerificationState } from './ai-proposals.ts';

const GROUPS: readonly { state: VerificationState; heading: string; note: string }[] = [
  { state: 'verified', heading: 'Verified by PostgreSQL', note: 'PostgreSQL confirmed these: the what-if planner for an index, the sandbox for a rewrite.' },
  { state: 'rejected', heading: 'Rejected', note: 'PostgreSQL refused or disproved these; the reason is beside each.' },
  { state: 'unverified', heading: 'Unverified suggestions', note: 'Nothing could check these: read them as ideas, not advice. They cannot be applied.' },
];

/** An analysis's proposals, verified first, each with what proved or disproved it. */
export function ProposalList({ groups }: { groups: ProposalGroups }) {
  if (proposalCount(groups) === 0) return <p className="muted">No proposal: nothing to change was found for this statement.</p>;
  return (
    <div className="stack ai-proposals">
      {GROUPS.map((g) =>
        groups[g.state].length === 0 ? null : (
          <div key={g.state} className="stack ai-proposal-group" data-testid={`ai-${g.state}`}>
            <h3>
              {g.heading} ({groups[g.state].length})
            </h3>
            <p className="muted">{g.note}</p>
            <ul className="ai-proposal-list">
              {groups[g.state].map((p, i) => (
                <ProposalCard key={i} proposal={p} />
              ))}
            </ul>
          </div>
        ),
      )}
      {groups.unreadable.length > 0 && (
        <div className="ai-proposal-group" data-testid="ai-unreadable">
          <h3>Unreadable ({groups.unreadable.length})</h3>
          <ul className="ai-proposal-list">
            {groups.unreadable.map((u) => (
              <li key={u.position} className="ai-proposal">
                <span className="ai-badge ai-badge-unverified">unreadable proposal</span>{' '}
                <span className="muted">proposal {u.position} was stored in a shape this page cannot read; it is not shown.</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function ProposalCard({ proposal: p }: { proposal: ProposalView }) {
  const proofs = proofLines(p);
  const label = `${KIND_LABEL[p.kind]} ${p.state}`;
  return (
    <li className={`ai-proposal ai-proposal-${p.state}`} data-testid="ai-proposal">
      <p className="row ai-proposal-head">
        <span className={`ai-badge ai-badge-${p.state}`} data-testid="ai-badge">
          {STATE_LABEL[p.state]}
        </span>
        <strong>{KIND_LABEL[p.kind]}</strong>
        <span className="muted">{sourceLabel(p)}</span>
      </p>
      <p className="ai-reason">
        <span className="muted">Why proposed:</span> {p.reason}
      </p>
      <p className={p.state === 'rejected' ? 'error' : undefined}>
        <span className="muted">{p.state === 'verified' ? 'What proved it:' : p.state === 'rejected' ? 'Why rejected:' : 'Why not verified:'}</span> {p.verificationReason}
      </p>
      {proofs.length > 0 && (
        <ul className="ai-proofs" aria-label={`Measurements of the ${label.toLowerCase()} proposal`}>
          {proofs.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {p.figures.cases.length > 0 && (
        <div>
          <p className="muted ai-cases-title">Edge cases checked (the statement and its rewrite on the same data):</p>
          <ul className="ai-cases">
            {p.figures.cases.map((c) => (
              <li key={c.name} className={c.same && !c.error ? 'ok' : 'error'}>
                {c.same && !c.error ? '✓ ' : '✗ '}
                {caseText(c)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {p.advice && <p className="ai-advice"><span className="muted">Advice:</span> {p.advice}</p>}
      {p.sql && <SqlBlock text={p.sql} label={p.kind === 'rewrite' ? 'rewritten statement' : p.kind === 'index' ? 'index statement' : 'setting'} />}
      {p.diff ? (
        <figure className="ai-diff">
          <figcaption className="muted">Unified diff, the statement → its rewrite</figcaption>
          <pre data-testid="ai-diff" tabIndex={0}>{p.diff}</pre>
        </figure>
      ) : (
        p.before && p.kind === 'rewrite' && <SqlBlock text={p.before} label="statement before the rewrite" />
      )}
      {p.recommendationId && (
        <p>
          <Link to="/recommendations/$id" params={{ id: p.recommendationId }}>
            Its recommendation
          </Link>{' '}
          <span className="muted">(validated in the sandbox and applied like any other)</span>
        </p>
      )}
    </li>
  );
}
