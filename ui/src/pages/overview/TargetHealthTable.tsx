import { formatAgo, formatCount, formatPct } from '../../format.ts';

export interface TargetHealthRow {
  targetId: string;
  name: string | null;
  status: string | null;
  statusMessage: string | null;
  lastSnapshotAt: string | null;
  statements: number | null;
  slowQueries: number | null;
  openRecommendations: number | null;
  bestOpenGainPct: string | null;
  appliedChanges: number | null;
}

const STATUS_TEXT: Record<string, string> = { ok: 'collecting', new: 'waiting for the first snapshot', error: 'error', no_statistics: 'no statistics' };

/** Each database's health; choosing one shows its workload below. */
export function TargetHealthTable({ rows, selected, onSelect }: { rows: readonly TargetHealthRow[]; selected: string | undefined; onSelect(id: string): void }) {
  return (
    <div className="table-scroll">
      <table data-testid="targets">
        <thead>
          <tr>
            <th scope="col">Database</th>
            <th scope="col">Status</th>
            <th scope="col" className="hide-narrow">Last snapshot</th>
            <th scope="col" className="num hide-narrow">Statements</th>
            <th scope="col" className="num">Slow (24 h)</th>
            <th scope="col" className="num">Open advice</th>
            <th scope="col" className="num hide-narrow">Best gain</th>
            <th scope="col" className="num hide-narrow">Applied</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.targetId}>
              <td>
                <button type="button" className={t.targetId === selected ? 'primary' : ''} aria-pressed={t.targetId === selected} onClick={() => onSelect(t.targetId)}>
                  {t.name}
                </button>
              </td>
              <td className={t.status === 'error' ? 'error' : t.status === 'ok' ? 'ok' : 'muted'} title={t.statusMessage ?? undefined}>
                {STATUS_TEXT[t.status ?? ''] ?? t.status}
                {t.status === 'error' && t.statusMessage ? `: ${t.statusMessage}` : ''}
              </td>
              <td className="hide-narrow" title={t.lastSnapshotAt ?? undefined}>{formatAgo(t.lastSnapshotAt)}</td>
              <td className="num hide-narrow">{formatCount(t.statements)}</td>
              <td className="num">{formatCount(t.slowQueries)}</td>
              <td className="num">{formatCount(t.openRecommendations)}</td>
              <td className="num hide-narrow">{formatPct(t.bestOpenGainPct)}</td>
              <td className="num hide-narrow">{formatCount(t.appliedChanges)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
