import type { QueryStatRow } from './TopQueriesTable.tsx';

interface ApiQueryStat {
  queryid: string | null;
  query: string | null;
  calls: string | null;
  totalTimeMs: number | null;
  meanTimeMs: number | null;
  rows: string | null;
  sharePct: string | null;
  sparkline: (number | null)[] | null;
  slowReason: string | null;
  openRecommendations: number | null;
}

/** API rows (big numbers as strings) to the table's numbers; rows without an id are dropped. */
export function toQueryStatRows(rows: readonly (ApiQueryStat | null)[]): QueryStatRow[] {
  return rows.flatMap((r) =>
    r?.queryid
      ? [{
          queryid: r.queryid,
          query: r.query ?? '',
          calls: Number(r.calls ?? 0),
          totalTimeMs: r.totalTimeMs ?? 0,
          meanTimeMs: r.meanTimeMs,
          rows: Number(r.rows ?? 0),
          sharePct: r.sharePct === null ? null : Number(r.sharePct),
          sparkline: (r.sparkline ?? []).map((v) => v ?? 0),
          slowReason: r.slowReason,
          openRecommendations: r.openRecommendations ?? 0,
        }]
      : [],
  );
}
