/** Rows per page of the audit log. */
export const PAGE_SIZE = 50;

export interface PageInfo {
  /** 1-based, as the URL asks (it may be past the end). */
  page: number;
  pages: number;
  offset: number;
  /** The URL asks for a page after the last one (the log was filtered, or the link is old). */
  pastEnd: boolean;
  /** The page Previous goes to, or null on the first page. */
  previous: number | null;
  /** The page Next goes to, or null on the last page. */
  next: number | null;
  /** "page 2 of 7". */
  label: string;
  /** "51–100 of 312 entries". */
  range: string;
}

/** The offset to read for the page the URL asks for (before the total is known). */
export function offsetOf(requested: number | undefined, size: number = PAGE_SIZE): number {
  return (pageOf(requested) - 1) * size;
}

function pageOf(requested: number | undefined): number {
  return requested === undefined || !Number.isFinite(requested) ? 1 : Math.max(1, Math.floor(requested));
}

/**
 * Offset pagination of `total` rows, `size` a page: where the page the URL asks for lies.
 *
 * @example pageInfo(2, 312).label // "page 2 of 7"
 */
export function pageInfo(requested: number | undefined, total: number, size: number = PAGE_SIZE): PageInfo {
  const pages = Math.max(1, Math.ceil(total / size));
  const page = pageOf(requested);
  const offset = (page - 1) * size;
  const pastEnd = page > pages;
  const first = offset + 1;
  const last = Math.min(offset + size, total);
  return {
    page,
    pages,
    offset,
    pastEnd,
    previous: page > 1 ? Math.min(page - 1, pages) : null,
    next: page < pages ? page + 1 : null,
    label: `page ${page} of ${pages}`,
    range:
      total === 0 || pastEnd
        ? `${total.toLocaleString('en-US')} ${total === 1 ? 'entry' : 'entries'}`
        : `${first}–${last} of ${total.toLocaleString('en-US')} ${total === 1 ? 'entry' : 'entries'}`,
  };
}
