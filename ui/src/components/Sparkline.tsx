/**
 * A small line of values (time per slice of the range). Plain SVG, not a chart library: a list
 * of a thousand statements draws a thousand of these, and each is one path.
 */
export function Sparkline({ values, width = 96, height = 22, label }: { values: readonly number[]; width?: number; height?: number; label: string }) {
  const max = Math.max(0, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const y = (v: number) => (max === 0 ? height - 1 : height - 1 - (v / max) * (height - 2));
  const d = values.map((v, i) => `${i === 0 ? 'M' : 'L'}${(i * step).toFixed(1)},${y(v).toFixed(1)}`).join('');
  return (
    <svg className="sparkline" width={width} height={height} role="img" aria-label={label}>
      <path d={d || `M0,${height - 1}L${width},${height - 1}`} />
    </svg>
  );
}
