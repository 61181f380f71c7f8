import { Fragment } from 'react';
import { formatAgo } from '../../format.ts';
import type { RecommendationView } from './recommendation-view.ts';
import { RiskBadge } from './RiskBadge.tsx';

/** A health finding: which advisor and rule found what, its risk, and the numbers it rests on. */
export function FindingFacts({ view: v }: { view: RecommendationView }) {
  return (
    <section aria-labelledby="finding-heading">
      <h2 id="finding-heading">The finding</h2>
      <dl data-testid="recommendation-facts">
        <dt>Advisor</dt>
        <dd>{v.advisor}</dd>
        <dt>Rule</dt>
        <dd>{v.rule ?? <span className="muted">not recorded</span>}</dd>
        <dt>About</dt>
        <dd>{v.subject ? <code>{v.subject}</code> : <span className="muted">not recorded</span>}</dd>
        <dt>Risk</dt>
        <dd>{v.risk ? <RiskBadge risk={v.risk} /> : <span className="muted">not assessed</span>}</dd>
        <dt>Restart</dt>
        <dd>{v.needsRestart ? <strong className="warn">needs a restart of PostgreSQL</strong> : <span className="muted">no restart needed</span>}</dd>
        <dt>Reason</dt>
        <dd>{v.rationale ?? <span className="muted">none recorded</span>}</dd>
        <dt>Seen</dt>
        <dd>{v.seenCount ?? 0} time(s), last {formatAgo(v.lastSeenAt)}</dd>
      </dl>
      <h3>Evidence</h3>
      {v.finding.length === 0 ? (
        <p className="muted">The advisor recorded no figures with this finding.</p>
      ) : (
        <>
          <dl data-testid="finding-evidence">
            {v.finding.map((f) => (
              <Fragment key={f.key}>
                <dt>{f.label}</dt>
                <dd>{f.json ? <code className="fact-json">{f.value}</code> : f.value}</dd>
              </Fragment>
            ))}
          </dl>
          <p className="muted table-note">As the advisor read them from the database’s catalog and statistics views when it last ran; each group names its source where it has one.</p>
        </>
      )}
    </section>
  );
}
