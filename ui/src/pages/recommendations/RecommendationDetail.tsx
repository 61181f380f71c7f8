import { Link } from '@tanstack/react-router';
import type { AppRole } from '../../app/session-context.tsx';
import { SqlBlock } from '../../components/SqlBlock.tsx';
import { StateBadge } from '../../components/StateBadge.tsx';
import { formatAgo, formatBytes, formatPct, formatTime } from '../../format.ts';
import { RecommendationAiPanel } from '../ai/RecommendationAiPanel.tsx';
import { AffectedQueries } from './AffectedQueries.tsx';
import { FindingFacts } from './FindingFacts.tsx';
import { FindingValidationResults } from './FindingValidationResults.tsx';
import { RiskBadge } from './RiskBadge.tsx';
import type { ActionRequest } from './recommendation-actions.ts';
import { formatCost } from './recommendation-format.ts';
import type { RecommendationView } from './recommendation-view.ts';
import { progressText, type ValidationProgress } from './validation-progress.ts';
import { RecommendationActions } from './RecommendationActions.tsx';
import { ValidationResults } from './ValidationResults.tsx';
import './recommendations.css';

export interface RecommendationDetailProps {
  view: RecommendationView;
  role: AppRole;
  /** The latest progress event of a running validation (shown while the state is validating). */
  progress: ValidationProgress | null;
  onAction(request: ActionRequest): Promise<string | null>;
  now?: () => number;
}

/** One recommendation: what to run, why, what it was measured to do, and what one may do with it. */
export function RecommendationDetail({ view: v, role, progress, onAction, now }: RecommendationDetailProps) {
  return (
    <>
      <header className="recommendation-header stack">
        <p className="muted">
          <Link to="/recommendations" search={v.targetId ? { target: v.targetId } : {}}>Recommendations</Link> › {v.database}
        </p>
        <h1>{v.title}</h1>
        <p className="row">
          <span data-testid="recommendation-state"><StateBadge state={v.state} /></span>
          <span>on <strong>{v.database}</strong>{v.tableName && <>, table <code>{v.tableName}</code></>}</span>
          <span className="muted" title={formatTime(v.createdAt)}>proposed {formatAgo(v.createdAt)}</span>
        </p>
        {v.health && (
          <p className="row" data-testid="recommendation-advisor">
            <span>{v.advisor}{v.rule && <>: {v.rule}</>}</span>
            {v.subject && <span>on <code>{v.subject}</code></span>}
            {v.risk && <RiskBadge risk={v.risk} />}
          </p>
        )}
        {v.needsRestart && <p className="warn" data-testid="needs-restart">⚠ The change needs a restart of PostgreSQL before it takes effect.</p>}
        {v.manual && (
          <p className="manual-note" data-testid="manual-note">
            <strong>Steps to follow by hand: OptiSchema does not run these.</strong> Validate or dismiss it here; apply the steps yourself.
          </p>
        )}
        {v.state === 'validating' && (
          <p role="status" className="validation-progress">{progressText(progress)}</p>
        )}
        {v.stateReason && <p><span className="muted">Why {(v.state ?? 'this state').replace('_', ' ')}:</span> {v.stateReason}</p>}
        {v.state === 'scheduled' && v.applyAt && <p>Scheduled to apply {formatTime(v.applyAt)} ({formatAgo(v.applyAt)}).</p>}
        {v.forceReason && <p><span className="muted">Forced without validation:</span> {v.forceReason}</p>}
        <RecommendationActions
          state={v.state}
          role={role}
          database={v.database}
          statement={v.statement}
          rollbackStatement={v.rollbackStatement}
          index={!v.health}
          manual={v.manual}
          needsRestart={v.needsRestart}
          onRun={onAction}
          {...(now ? { now } : {})}
        />
      </header>

      <section aria-labelledby="sql-heading">
        <h2 id="sql-heading">SQL</h2>
        <div className="grid">
          <div className="stack">
            <h3>{v.manual ? 'Steps' : 'To apply'}</h3>
            {v.statement ? <SqlBlock text={v.statement} label={v.statementLabel} formatted={!v.manual} /> : <p className="muted">No statement recorded.</p>}
          </div>
          <div className="stack">
            <h3>To roll back</h3>
            {v.rollbackStatement ? <SqlBlock text={v.rollbackStatement} label="Rollback SQL" /> : <p className="muted">No rollback recorded.</p>}
          </div>
        </div>
      </section>

      {v.health ? <FindingFacts view={v} /> : <IndexFacts view={v} />}

      {(!v.health || v.evidence.queries.length > 0) && <AffectedQueries queries={v.evidence.queries} targetId={v.targetId} estimates={!v.health} />}

      {v.health ? (
        <FindingValidationResults validation={v.findingValidation} validatedAt={v.validatedAt} />
      ) : (
        <ValidationResults validation={v.validation} validatedAt={v.validatedAt} />
      )}

      <RecommendationAiPanel recommendationId={v.id} role={role} />
    </>
  );
}

/** The index advisor's estimate, measurement, risk, size and write overhead. */
function IndexFacts({ view: v }: { view: RecommendationView }) {
  return (
    <section aria-labelledby="why-heading">
      <h2 id="why-heading">Why, and what it costs</h2>
      <dl data-testid="recommendation-facts">
        <dt>Estimated improvement</dt>
        <dd>
          {formatPct(v.estimate.pct)}{' '}
          <span className="muted">
            an estimate from hypothetical-index planner costs (hypopg): cost {formatCost(v.estimate.costBefore)} → {formatCost(v.estimate.costAfter)}
          </span>
        </dd>
        <dt>Measured improvement</dt>
        <dd>
          {v.measuredPct === null ? <span className="muted">not measured yet</span> : <>{formatPct(v.measuredPct)} <span className="muted">median time saved in the sandbox over the queries it serves</span></>}
        </dd>
        {v.evidence.uncertainty && (
          <>
            <dt>Estimate caveat</dt>
            <dd className="warn">{v.evidence.uncertainty}</dd>
          </>
        )}
        <dt>Risk</dt>
        <dd>{v.evidence.risk ? <><strong>{v.evidence.risk.level}</strong>{v.evidence.risk.reason && <>: {v.evidence.risk.reason}</>}</> : <span className="muted">not assessed</span>}</dd>
        <dt>Reason</dt>
        <dd>{v.rationale ?? <span className="muted">none recorded</span>}</dd>
        <dt>Size</dt>
        <dd>
          {formatBytes(v.size.estimatedBytes)} <span className="muted">estimated by hypopg</span>
          {v.size.measuredBytes !== null && <>; {formatBytes(v.size.measuredBytes)} <span className="muted">built in the sandbox</span></>}
        </dd>
        <dt>Write overhead</dt>
        <dd>
          {v.writeOverhead ? (
            <>{v.writeOverhead.text} <span className="muted">({v.writeOverhead.source === 'measured' ? 'measured in the sandbox' : 'estimated from the table’s write rate'})</span></>
          ) : (
            <span className="muted">not known</span>
          )}
        </dd>
        {v.evidence.together.length > 0 && (
          <>
            <dt>Assumes also</dt>
            <dd>
              <ul>
                {v.evidence.together.map((t) => <li key={t}><code className="sql-inline">{t}</code></li>)}
              </ul>
            </dd>
          </>
        )}
        <dt>Seen</dt>
        <dd>{v.seenCount ?? 0} time(s), last {formatAgo(v.lastSeenAt)}</dd>
      </dl>
    </section>
  );
}
