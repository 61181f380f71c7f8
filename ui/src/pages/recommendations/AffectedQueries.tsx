import { Link } from '@tanstack/react-router';
import { SqlBlock } from '../../components/SqlBlock.tsx';
import { formatPct } from '../../format.ts';
import type { EvidenceQuery } from './recommendation-evidence.ts';
import { formatCost } from './recommendation-format.ts';

/**
 * The queries the index is for, as the advisor planned them (the evidence); for a health finding,
 * the statements it was seen on (`estimates` false: there is no hypothetical-index cost to show).
 */
export function AffectedQueries({ queries, targetId, estimates = true }: { queries: readonly EvidenceQuery[]; targetId: string | null; estimates?: boolean }) {
  return (
    <section aria-labelledby="affected-heading">
      <h2 id="affected-heading">Affected queries</h2>
      {queries.length === 0 ? (
        <p className="muted">The recommendation names no collected query (its evidence lists none).</p>
      ) : (
        <ol className="affected-queries stack" data-testid="affected-queries">
          {queries.map((q, i) => (
            <li key={q.queryid ?? i} className="stack">
              <SqlBlock text={q.query} label={`Query ${i + 1}`} />
              <dl>
                <dt>Query id</dt>
                <dd>
                  {q.queryid && targetId ? (
                    <Link to="/databases/$targetId/queries/$queryid" params={{ targetId, queryid: q.queryid }}>{q.queryid}</Link>
                  ) : (
                    <span className="muted">not collected</span>
                  )}
                </dd>
                {estimates && (
                  <>
                    <dt>Estimated cost</dt>
                    <dd>
                      {formatCost(q.costBefore)} → {formatCost(q.costAfter)}
                      {q.improvementPct !== null && <> (−{formatPct(q.improvementPct)})</>}{' '}
                      <span className="muted">planner units, with a hypothetical index</span>
                    </dd>
                  </>
                )}
                {q.valueSets.length > 0 && (
                  <>
                    <dt>Parameter values</dt>
                    <dd>
                      <ul className="value-sets">
                        {q.valueSets.map((set) => (
                          <li key={set.label}>
                            <span className="muted">{set.label}:</span>{' '}
                            {set.values.map((v, n) => (
                              <code key={n} className="param-value">${n + 1} = {v === null ? 'NULL' : v}</code>
                            ))}
                          </li>
                        ))}
                      </ul>
                      {q.parameterSource && <span className="muted">from {q.parameterSource}</span>}
                    </dd>
                  </>
                )}
                {q.valueSets.length === 0 && q.parameterNote && (
                  <>
                    <dt>Parameter values</dt>
                    <dd className="muted">none known: {q.parameterNote}</dd>
                  </>
                )}
              </dl>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
