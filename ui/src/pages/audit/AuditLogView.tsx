import type { PageInfo } from './audit-pagination.ts';
import { RESULT_TEXT, type AuditRow } from './audit-rows.ts';
import { AuditPager } from './AuditPager.tsx';
import { AuditTable } from './AuditTable.tsx';

/** A page of entries between its pagers; a page past the end says so and offers the last one. */
export function AuditLogView({ rows, info, onPage }: { rows: readonly AuditRow[]; info: PageInfo; onPage(page: number): void }) {
  return (
    <div className="stack" style={{ gap: '0.5rem' }}>
      <p className="muted" data-testid="result-legend">
        Results:{' '}
        {Object.values(RESULT_TEXT).map((r, i) => (
          <span key={r.label}>
            {i > 0 && '; '}
            <strong>{r.label}</strong>: {r.meaning}
          </span>
        ))}
        .
      </p>
      <AuditPager info={info} onPage={onPage} />
      {info.pastEnd || rows.length === 0 ? (
        <p data-testid="past-end">
          This page is past the end of the log.{' '}
          <button type="button" onClick={() => onPage(info.pages)}>
            Go to page {info.pages}
          </button>
        </p>
      ) : (
        <AuditTable rows={rows} />
      )}
    </div>
  );
}
