import { Link } from '@tanstack/react-router';
import { StateBadge } from '../../components/StateBadge.tsx';
import { formatAgo, formatCount, formatMs, formatPct, formatTime } from '../../format.ts';
import type { ChangeRow } from './change-rows.ts';
import { formatWindow, type RealizedGain } from './realized-gain.ts';

/** Estimated, sandbox-measured and realized gain of every applied change, side by side. */
export function AppliedChangesTable({ rows }: { rows: readonly ChangeRow[] }) {
  return (
    <>
      <p className="muted" data-testid="gain-sources">
        Estimated: the planner's cost with a hypothetical index (hypopg). Sandbox: the median of the validation runs on the sandbox. Realized: the mean time of
        the queries the index serves on production, over equal windows before and after the change.
      </p>
      <div className="table-scroll">
        <table data-testid="changes">
          <thead>
            <tr>
              <th scope="col">Change</th>
              <th scope="col" className="hide-narrow">
                Database
              </th>
              <th scope="col" className="hide-narrow">
                Applied
              </th>
              <th scope="col">State</th>
              <th scope="col" className="num hide-narrow">
                Build time
              </th>
              <th scope="col" className="num">
                Estimated
              </th>
              <th scope="col" className="num">
                Sandbox
              </th>
              <th scope="col" className="num">
                Realized
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id} data-testid={`change-${c.id}`}>
                <td>
                  {c.recommendationId ? (
                    <Link to="/recommendations/$id" params={{ id: c.recommendationId }}>
                      {c.title}
                    </Link>
                  ) : (
                    c.title
                  )}
                  {c.forced && (
                    <div data-testid="forced">
                      <span className="badge">forced</span> <span className="muted">without a passing validation: {c.forceReason ?? 'no reason given'}</span>
                    </div>
                  )}
                </td>
                <td className="hide-narrow">{c.database}</td>
                <td className="hide-narrow" title={formatTime(c.appliedAt)}>
                  {formatAgo(c.appliedAt)}
                </td>
                <td>
                  <StateBadge state={c.state} />
                  {c.rolledBackAt && (
                    <div className="muted" title={formatTime(c.rolledBackAt)}>
                      {formatAgo(c.rolledBackAt)}
                    </div>
                  )}
                </td>
                <td className="num hide-narrow">{formatMs(c.buildMs)}</td>
                <td className="num" data-testid="estimated">
                  {c.estimatedPct === null ? 'no estimate' : formatPct(c.estimatedPct)}
                </td>
                <td className="num" data-testid="measured">
                  {c.measuredPct === null ? 'not validated' : formatPct(c.measuredPct)}
                </td>
                <td className="num" data-testid="realized">
                  <RealizedCell gain={c.realized} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function RealizedCell({ gain }: { gain: RealizedGain }) {
  if (gain.kind === 'measured') {
    return (
      <>
        {formatPct(gain.pct)}
        <div className="muted" style={{ whiteSpace: 'normal', fontSize: '0.8rem', maxWidth: '15rem', marginLeft: 'auto' }}>
          {gain.beforeMs !== null && gain.afterMs !== null && `mean ${formatMs(gain.beforeMs)} → ${formatMs(gain.afterMs)}, `}
          {`${formatWindow(gain.windowS)} windows, ${formatCount(gain.callsBefore)} calls before, ${formatCount(gain.callsAfter)} after`}
        </div>
      </>
    );
  }
  return (
    <>
      not measured yet
      {gain.kind === 'waiting' && gain.reason && (
        <div className="muted" style={{ whiteSpace: 'normal', fontSize: '0.8rem', maxWidth: '15rem', marginLeft: 'auto' }}>
          {gain.reason}
        </div>
      )}
    </>
  );
}
