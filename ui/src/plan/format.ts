// One locale for numbers, so the viewer and its tests read the same whatever the browser's is.
const LOCALE = 'en-US';

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString(LOCALE);
}

/** Milliseconds with the precision that matters at their size: 0.004 ms, 3.56 ms, 95.5 ms, 1.24 s. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toLocaleString(LOCALE, { maximumFractionDigits: 2 })} s`;
  const digits = ms >= 100 ? 0 : ms >= 10 ? 1 : ms >= 1 ? 2 : 3;
  return `${ms.toLocaleString(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits })} ms`;
}

/** A share from 0 to 1 as a percentage; "<1 %" and ">99 %" rather than a misleading "0 %" or "100 %". */
export function formatShare(share: number): string {
  const percent = Math.round(share * 100);
  if (share > 0 && percent === 0) return '<1 %';
  if (share < 1 && percent === 100) return '>99 %';
  return `${percent} %`;
}

export function formatCost(cost: number): string {
  return cost.toLocaleString(LOCALE, { maximumFractionDigits: cost >= 100 ? 0 : 2 });
}

/** A ratio of at least 1, as "103×" or "1.4×". */
export function formatFactor(factor: number): string {
  return `${factor.toLocaleString(LOCALE, { maximumFractionDigits: factor >= 10 ? 0 : 1 })}×`;
}
