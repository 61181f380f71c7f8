/**
 * Representative values for a normalized statement's parameters, so that it is planned as
 * PostgreSQL plans it for real executions (a custom plan with the values a client sends) rather
 * than by its generic plan. In order of trust:
 * 1. literal texts of the same statement that the collector saw in pg_stat_activity (`samples`),
 *    each planned as it was sent, equal weights;
 * 2. values drawn from the compared columns' statistics (pg_stats), one set per role below;
 * 3. none: the caller falls back to the generic plan and says so.
 *
 * Roles of the statistics-drawn sets (each value a real value of its column):
 * - typical: an equality takes a value from the middle of the histogram (a value that is not among
 *   the most common, as most of a column's distinct values are not); a range on one side takes the
 *   bound that leaves 10 % of the rows (an application asks for a slice, not for the bulk); a
 *   range on both sides takes one histogram bucket (about 1 % of the rows);
 * - common: equalities take their most common value (the typical one where the column has none):
 *   weighted by the share of rows the most common values hold (if clients pick values as the rows
 *   are spread, that is how often they hit one);
 * - narrow: ranges on both sides take one value (a handful of rows: `id between $1 and $1 + 50`),
 *   for the queries whose range is narrower than any bucket.
 * LIMIT takes 10 and OFFSET 0 (a page), parameters that size no row estimate take NULL.
 */
import type { Step } from '../../engine/protocol.ts';
import { columnStatistics, type ColumnStatistics } from './column-statistics.ts';
import type { ParameterSlot } from './parameter-slots.ts';

export type ParameterSource = 'pg_qualstats' | 'activity' | 'statistics';

export interface ParameterSet {
  /** Values for `$1…$n` as text (null for SQL NULL), or `literal`: a whole statement as sent. */
  values?: (string | null)[];
  literal?: string;
  /** Share of the statement's executions this set stands for; the sets of one statement sum to 1. */
  weight: number;
  source: ParameterSource;
  /** `typical`, `common`, `narrow`, or `sample 1`… */
  label: string;
}

export const LIMIT_VALUE = '10';
/** Statistics-drawn sets below this share of the executions are not planned. */
export const MIN_SET_SHARE = 0.01;
export const OFFSET_VALUE = '0';

/**
 * The sets for one statement: its activity samples when there are any, else sets drawn from
 * statistics, else none (with why).
 */
export function* parameterSets(
  slots: readonly ParameterSlot[],
  samples: readonly string[] = [],
  sampledValues: readonly (readonly (string | null)[])[] = [],
): Step<{ sets: ParameterSet[]; why?: string }> {
  const complete = sampledValues.filter((values) => values.length === slots.length);
  if (complete.length > 0) {
    const weight = 1 / complete.length;
    return { sets: complete.map((values, i) => ({ values: [...values], weight, source: 'pg_qualstats', label: `sampled ${i + 1}` })) };
  }
  if (samples.length > 0) {
    const weight = 1 / samples.length;
    return { sets: samples.map((literal, i) => ({ literal, weight, source: 'activity', label: `sample ${i + 1}` })) };
  }
  const unbound = slots.filter((s) => s.kind === 'unbound');
  if (unbound.length > 0) return { sets: [], why: `${unbound.map((s) => `$${s.n}`).join(', ')} compared with an expression no statistics describe` };
  const stats = yield* statisticsOf(slots);
  const missing = slots.filter((s) => s.column !== undefined && stats.get(columnKey(s.column)) === undefined);
  if (missing.length > 0) return { sets: [], why: `no statistics for ${[...new Set(missing.map((s) => s.column!.column))].join(', ')} (never analyzed)` };
  return { sets: statisticsSets(slots, stats) };
}

function* statisticsOf(slots: readonly ParameterSlot[]): Step<Map<string, ColumnStatistics>> {
  const byTable = new Map<string, { schema: string; table: string; columns: Set<string> }>();
  for (const s of slots) {
    if (s.column === undefined) continue;
    const key = `${s.column.schema}\u0000${s.column.table}`;
    const entry = byTable.get(key) ?? { schema: s.column.schema, table: s.column.table, columns: new Set<string>() };
    entry.columns.add(s.column.column);
    byTable.set(key, entry);
  }
  const out = new Map<string, ColumnStatistics>();
  for (const { schema, table, columns } of byTable.values()) {
    const read = yield* columnStatistics(schema, table, [...columns]);
    for (const [column, statistics] of read) out.set(columnKey({ schema, table, column }), statistics);
  }
  return out;
}

function columnKey(c: { schema: string; table: string; column: string }): string {
  return `${c.schema}\u0000${c.table}\u0000${c.column}`;
}

type Role = 'typical' | 'common' | 'narrow';

/** The statistics-drawn sets (pure once the statistics are read). */
export function statisticsSets(slots: readonly ParameterSlot[], stats: ReadonlyMap<string, ColumnStatistics>): ParameterSet[] {
  const twoSided = new Set<string>();
  for (const s of slots) {
    if (s.kind !== 'lower' || s.column === undefined) continue;
    if (slots.some((o) => o.kind === 'upper' && o.column !== undefined && columnKey(o.column) === columnKey(s.column!))) twoSided.add(columnKey(s.column));
  }
  const valueFor = (s: ParameterSlot, role: Role): string | null => {
    if (s.neutral !== undefined) return s.neutral;
    if (s.kind === 'limit') return LIMIT_VALUE;
    if (s.kind === 'offset') return OFFSET_VALUE;
    if (s.column === undefined) return null;
    const st = stats.get(columnKey(s.column))!;
    const h = st.histogram;
    const at = (share: number): string | undefined => (h.length === 0 ? undefined : h[Math.min(h.length - 1, Math.max(0, Math.round(share * (h.length - 1))))]);
    const mid = Math.floor((h.length - 1) / 2);
    // A column without most common values (all distinct: a name, a key) has no common value: the
    // common set takes the typical one there; NULL would match no row.
    const typical = h[mid] ?? st.mostCommon[st.mostCommon.length - 1];
    if (s.kind === 'equality') return (role === 'common' ? (st.mostCommon[0] ?? typical) : typical) ?? null;
    const both = twoSided.has(columnKey(s.column));
    if (h.length === 0) return st.mostCommon[0] ?? null;
    if (both) return s.kind === 'lower' || role === 'narrow' ? h[mid]! : h[Math.min(h.length - 1, mid + 1)]!;
    return (s.kind === 'lower' ? at(0.9) : at(0.1)) ?? null;
  };
  const commonShare = (() => {
    for (const s of slots) {
      if (s.kind !== 'equality' || s.column === undefined) continue;
      const st = stats.get(columnKey(s.column))!;
      if (st.mostCommon.length > 0) return Math.min(1, st.frequencies.reduce((a, b) => a + b, 0));
    }
    return 0;
  })();
  const build = (role: Role): (string | null)[] => slots.map((s) => valueFor(s, role));
  const typical = build('typical');
  const same = (a: (string | null)[]) => a.every((v, i) => v === typical[i]);
  const common = build('common');
  const narrow = build('narrow');
  const sets: { role: Role; values: (string | null)[]; share: number }[] = [];
  const rest = commonShare > 0 && !same(common) ? 1 - commonShare : 1;
  const hasNarrow = twoSided.size > 0 && !same(narrow);
  sets.push({ role: 'typical', values: typical, share: hasNarrow ? rest / 2 : rest });
  if (hasNarrow) sets.push({ role: 'narrow', values: narrow, share: rest / 2 });
  if (rest < 1) sets.push({ role: 'common', values: common, share: 1 - rest });
  // A set that stands for under MIN_SET_SHARE of the executions moves the weighted cost by less
  // than that, and would cost a plan per candidate: left out, the others' weights scaled to 1.
  const kept = sets.filter((s) => s.share >= MIN_SET_SHARE);
  const total = kept.reduce((sum, s) => sum + s.share, 0);
  return kept.map((s) => ({ values: s.values, weight: s.share / total, source: 'statistics', label: s.role }));
}
