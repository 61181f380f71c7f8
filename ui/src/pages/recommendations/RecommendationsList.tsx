import { Link } from '@tanstack/react-router';
import type { CombinedError } from 'urql';
import { QueryState } from '../../components/QueryState.tsx';
import { StateBadge } from '../../components/StateBadge.tsx';
import { formatAgo, formatBytes, formatPct, formatTime } from '../../format.ts';
import { ADVISORS } from './recommendation-kind.ts';
import { RECOMMENDATION_STATES, type RecommendationListItem } from './recommendation-list.ts';
import { RiskBadge } from './RiskBadge.tsx';
import './recommendations.css';

export interface RecommendationFilter {
  state: string | undefined;
  target: string | undefined;
  /** The advisor (recommendations.kind); absent or undefined: every advisor. */
  kind?: string | undefined;
}

export interface RecommendationsListProps {
  items: RecommendationListItem[] | undefined;
  fetching: boolean;
  error?: CombinedError | undefined;
  /** The databases to filter on (id, name). */
  targets: readonly { id: string; name: string }[];
  filter: RecommendationFilter;
  onFilterChange(filter: RecommendationFilter): void;
}

/** The filters (bound to the URL by the page) and the table of recommendations. */
export function RecommendationsList({ items, fetching, error, targets, filter, onFilterChange }: RecommendationsListProps) {
  const filtered = filter.state !== undefined || filter.target !== undefined || filter.kind !== undefined;
  return (
    <>
      <div className="filters" role="group" aria-label="Filters">
        <label>
          State
          <select value={filter.state ?? ''} onChange={(e) => onFilterChange({ ...filter, state: e.target.value || undefined })}>
            <option value="">All states</option>
            {RECOMMENDATION_STATES.map((s) => (
              <option key={s} value={s}>{s.replace('_', ' ')}</option>
            ))}
          </select>
        </label>
        <label>
          Advisor
          <select value={filter.kind ?? ''} onChange={(e) => onFilterChange({ ...filter, kind: e.target.value || undefined })}>
            <option value="">All advisors</option>
            {ADVISORS.map((a) => (
              <option key={a.kind} value={a.kind}>{a.label}</option>
            ))}
          </select>
        </label>
        <label>
          Database
          <select value={filter.target ?? ''} onChange={(e) => onFilterChange({ ...filter, target: e.target.value || undefined })}>
            <option value="">All databases</option>
            {targets.map((t) => (
              <option key={t.id} value={t.id}>{t.name}</option>
            ))}
          </select>
        </label>
      </div>
      <QueryState
        what="recommendations"
        fetching={fetching}
        error={error}
        data={items}
        empty={(d) => d.length === 0}
        emptyText={
          filtered
            ? 'No recommendation matches these filters.'
            : 'No recommendation yet. OptiSchema recommends indexes once it has seen slow queries that an index would speed up: keep the workload running, and new ones appear here by themselves.'
        }
      >
        {(rows) => <RecommendationsTable rows={rows} />}
      </QueryState>
    </>
  );
}

export function RecommendationsTable({ rows }: { rows: readonly RecommendationListItem[] }) {
  return (
    <>
      <div className="table-scroll">
        <table className="recommendations-table">
          <thead>
            <tr>
              <th scope="col">Recommendation</th>
              <th scope="col">Advisor</th>
              <th scope="col" className="hide-narrow">Database</th>
              <th scope="col">State</th>
              <th scope="col">Risk</th>
              <th scope="col" className="num">Estimated</th>
              <th scope="col" className="num">Measured</th>
              <th scope="col" className="num hide-narrow">Size</th>
              <th scope="col" className="hide-narrow">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="recommendation-row">
                <td>
                  <Link to="/recommendations/$id" params={{ id: r.id }}>{r.label}</Link>
                </td>
                <td data-testid="advisor">
                  {r.advisor}
                  {r.rule && <span className="muted rule-label">{r.rule}</span>}
                </td>
                <td className="hide-narrow">{r.database}</td>
                <td><StateBadge state={r.state} /></td>
                <td><RiskBadge risk={r.risk} /></td>
                <td className="num">{formatPct(r.estimatedPct)}</td>
                <td className="num">{formatPct(r.measuredPct)}</td>
                <td className="num hide-narrow">{formatBytes(r.sizeBytes)}</td>
                <td className="hide-narrow" title={formatTime(r.lastSeenAt)}>{formatAgo(r.lastSeenAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted table-note">
        {rows.length === 1 ? '1 recommendation' : `${rows.length} recommendations`}, newest first. Estimated: from hypothetical-index planner costs (index advisor only); measured: median time saved in the sandbox.
      </p>
    </>
  );
}
