/**
 * The maintenance window's start as an `<input type="datetime-local">` gives it ("2026-12-05T02:00",
 * no zone: the browser's local time) turned into the ISO timestamp the API stores (UTC).
 */
export type ScheduleTime = { ok: true; iso: string } | { ok: false; error: string };

/**
 * @example
 *   scheduleTime('2026-12-05T02:00', Date.parse('2026-12-01T00:00Z')); // { ok: true, iso: '2026-12-05T01:00:00.000Z' } in Paris
 *   scheduleTime('2020-01-01T00:00');                                    // { ok: false, error: 'pick a time in the future' }
 */
export function scheduleTime(local: string, now: number = Date.now()): ScheduleTime {
  if (!local.trim()) return { ok: false, error: 'pick a date and time' };
  // Without a zone, Date parses a date-time as local time: what the picker showed the user.
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!match) return { ok: false, error: 'not a date and time' };
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, Number.isFinite(s) ? s : 0);
  if (Number.isNaN(date.getTime()) || date.getMonth() !== mo - 1 || date.getDate() !== d) return { ok: false, error: 'not a date and time' };
  if (date.getTime() <= now) return { ok: false, error: 'pick a time in the future' };
  return { ok: true, iso: date.toISOString() };
}

/** The browser's time zone, to say in which zone the picked time is read. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
}

/** A datetime-local value for `ms` in local time (the picker's `min`, and a default an hour on). */
export function localInputValue(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
