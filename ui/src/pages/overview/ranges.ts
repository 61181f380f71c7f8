/** The ranges the overview offers, each as the API's interval input and its slice count. */
export const RANGES = [
  { key: '1h', label: 'last hour', since: { hours: 1 }, buckets: 30 },
  { key: '6h', label: 'last 6 hours', since: { hours: 6 }, buckets: 36 },
  { key: '24h', label: 'last 24 hours', since: { hours: 24 }, buckets: 48 },
  { key: '7d', label: 'last 7 days', since: { days: 7 }, buckets: 56 },
] as const;

export type RangeKey = (typeof RANGES)[number]['key'];

export function rangeOf(key: string | undefined): (typeof RANGES)[number] {
  return RANGES.find((r) => r.key === key) ?? RANGES[0];
}
