import type { ChartSeries } from '../../components/TimeChart.tsx';
import { formatCount, formatMs } from '../../format.ts';

export interface HistoryPoint {
  capturedAt: string | null;
  calls: string | null;
  meanTimeMs: number | null;
  rows: string | null;
}

/** One statement's snapshots as chart columns: times in unix seconds, mean time and calls. */
export function historySeries(points: readonly HistoryPoint[]): { times: number[]; series: ChartSeries[] } {
  const kept = points.filter((p) => p.capturedAt !== null);
  return {
    times: kept.map((p) => Date.parse(p.capturedAt!) / 1000),
    series: [
      { label: 'mean time', values: kept.map((p) => p.meanTimeMs), format: formatMs },
      { label: 'calls', values: kept.map((p) => (p.calls === null ? null : Number(p.calls))), format: (v) => formatCount(Math.round(v)), right: true },
      { label: 'rows', values: kept.map((p) => (p.rows === null ? null : Number(p.rows))), format: (v) => formatCount(Math.round(v)), right: true },
    ],
  };
}
