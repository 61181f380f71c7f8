import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** Format for the legend and axis ("12 ms"). */
  format(value: number): string;
  /** Second y axis on the right (a count beside times). */
  right?: boolean;
}

/**
 * A time series with uPlot: canvas drawing, so a day of one-minute points stays cheap. Sized to
 * its container, redrawn when the data changes.
 */
export function TimeChart({ times, series, title, height = 220 }: { times: number[]; series: ChartSeries[]; title: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const colours = ['#0969da', '#bf8700', '#8250df'];
    const options: uPlot.Options = {
      width: Math.max(280, element.clientWidth),
      height,
      series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: colours[i % colours.length], scale: s.right ? 'right' : 'y', value: (_: uPlot, v: number | null) => (v === null ? '–' : s.format(v)) }))],
      axes: [
        { stroke: 'currentColor' },
        { stroke: 'currentColor', scale: 'y', values: (_, ticks) => ticks.map((t) => series.find((s) => !s.right)?.format(t) ?? String(t)) },
        ...(series.some((s) => s.right) ? [{ stroke: 'currentColor', scale: 'right', side: 1 as const, grid: { show: false }, values: (_: uPlot, ticks: number[]) => ticks.map((t) => series.find((s) => s.right)?.format(t) ?? String(t)) }] : []),
      ],
    };
    const plot = new uPlot(options, [times, ...series.map((s) => s.values)], element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [times, series, height]);
  return <figure ref={box} aria-label={title} role="img" style={{ margin: 0 }} />;
}
