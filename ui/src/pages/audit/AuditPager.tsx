import type { PageInfo } from './audit-pagination.ts';

export function AuditPager({ info, onPage }: { info: PageInfo; onPage(page: number): void }) {
  const { previous, next } = info;
  return (
    <nav aria-label="Audit log pages" className="row" data-testid="audit-pager">
      <button type="button" disabled={previous === null} onClick={() => previous !== null && onPage(previous)}>
        Previous
      </button>
      <span aria-live="polite" data-testid="page-label">
        {info.label} <span className="muted">({info.range})</span>
      </span>
      <button type="button" disabled={next === null} onClick={() => next !== null && onPage(next)}>
        Next
      </button>
    </nav>
  );
}
