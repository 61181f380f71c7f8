import { formatMs } from '../../format.ts';
import { timingBars, type StatementResult } from './validation-report.ts';

/**
 * One statement's median before and after as two bars on one scale, each with its min–max range
 * as a whisker. The figures are beside the bars: the chart only shows their proportion.
 */
export function TimingBars({ statement }: { statement: StatementResult }) {
  const bars = timingBars(statement);
  if (!bars) return null;
  const label = [
    statement.before && `before: median ${formatMs(statement.before.medianMs)}`,
    statement.after && `after: median ${formatMs(statement.after.medianMs)}`,
  ].filter(Boolean).join(', ');
  const row = (y: number, side: { median: number; min: number; max: number } | null, className: string) =>
    side && (
      <g className={className}>
        <rect x={0} y={y} width={Math.max(side.median * 100, 0.5)} height={8} rx={1} />
        <line x1={side.min * 100} x2={side.max * 100} y1={y + 4} y2={y + 4} vectorEffect="non-scaling-stroke" />
        <line x1={side.min * 100} x2={side.min * 100} y1={y + 1} y2={y + 7} vectorEffect="non-scaling-stroke" />
        <line x1={side.max * 100} x2={side.max * 100} y1={y + 1} y2={y + 7} vectorEffect="non-scaling-stroke" />
      </g>
    );
  return (
    <figure className="timing-bars">
      <svg viewBox="0 0 100 22" preserveAspectRatio="none" role="img" aria-label={`Median time ${label}`} data-testid="timing-bars">
        {row(2, bars.before, 'timing-before')}
        {row(12, bars.after, 'timing-after')}
      </svg>
      <figcaption className="muted">
        <span className="timing-key timing-before">■</span> before, <span className="timing-key timing-after">■</span> after: median bars, min–max whiskers; scale 0–{formatMs(bars.scaleMs)}
      </figcaption>
    </figure>
  );
}
