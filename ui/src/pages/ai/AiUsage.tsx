import { formatCount } from '../../format.ts';
import type { AiStatusView } from './ai-status.ts';

/** The tenant's AI state as text: which model, whether literals go to it, and what was spent. */
export function AiUsage({ status }: { status: AiStatusView | null }) {
  if (!status) return <p className="muted">The server did not say whether AI analysis is on.</p>;
  const model = [status.provider, status.model].filter(Boolean).join(' · ');
  return (
    <dl data-testid="ai-usage">
      <dt>State</dt>
      <dd>{status.enabled ? <>on, with <strong>{model || 'an unnamed model'}</strong></> : <>off — OptiSchema runs in deterministic mode{model && <> (configured: {model})</>}</>}</dd>
      <dt>Literal values</dt>
      <dd>{status.sendLiterals ? 'sent to the model' : 'never sent (replaced by $n, statistics without values)'}</dd>
      <dt>Tokens this month</dt>
      <dd>
        {formatCount(status.tokensThisMonth)} of {formatCount(status.monthlyTokenBudget)} <span className="muted">(input and output, counted by the provider, UTC month)</span>
      </dd>
      <dt>Analyses in the last hour</dt>
      <dd>
        {formatCount(status.reviewsLastHour)} of at most {formatCount(status.reviewsPerHour)}
      </dd>
    </dl>
  );
}
