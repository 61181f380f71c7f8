/**
 * A window length as people write it on a command line (`1h`, `30m`, `2d`, `90 minutes`, `1 week`),
 * turned into a PostgreSQL interval text (`1 hours`). One number and one unit; no months or years,
 * whose length varies. Pure.
 *
 * @example
 *   parseInterval('1h')         // '1 hours'
 *   parseInterval('90 minutes') // '90 minutes'
 *   parseInterval('soon')       // null
 */
const UNITS: [RegExp, string][] = [
  [/^(s|sec|secs|second|seconds)$/, 'seconds'],
  [/^(m|min|mins|minute|minutes)$/, 'minutes'],
  [/^(h|hr|hrs|hour|hours)$/, 'hours'],
  [/^(d|day|days)$/, 'days'],
  [/^(w|week|weeks)$/, 'weeks'],
];

/** The PostgreSQL interval text, or null when `text` is not a positive length of time. */
export function parseInterval(text: string): string | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  if (!match) return null;
  const amount = Number(match[1]);
  const unit = UNITS.find(([pattern]) => pattern.test(match[2]!.toLowerCase()))?.[1];
  if (unit === undefined || !(amount > 0)) return null;
  return `${match[1]} ${unit}`;
}
