/**
 * A column's planner statistics as values a parameter can take: most common values with their
 * frequencies, and the histogram bounds (pg_stats). Read once per table for the columns asked.
 * Elements come back as text (`anyarray::text::text[]`), each a literal of the column's type as
 * the server prints it, which binds back to a parameter of that type.
 */
import type { Step } from '../../engine/protocol.ts';

export interface ColumnStatistics {
  nullFrac: number;
  /** Most common values, most frequent first, and their shares of the rows. */
  mostCommon: string[];
  frequencies: number[];
  /** Bounds of equal-count buckets over the values not among the most common, in order. */
  histogram: string[];
}

// A partitioned table's parent has its statistics in the inherited row.
const STATISTICS_SQL = `
select distinct on (attname) attname, null_frac::float8 as null_frac,
       to_json(most_common_vals::text::text[]) as mcv, to_json(most_common_freqs) as mcf,
       to_json(histogram_bounds::text::text[]) as histogram
  from pg_catalog.pg_stats
 where schemaname = $1 and tablename = $2 and attname = any($3::text[])
 order by attname, inherited desc`;

/** Statistics of `columns` of one table, by column name; a column never analyzed is absent. */
export function* columnStatistics(schema: string, table: string, columns: readonly string[]): Step<Map<string, ColumnStatistics>> {
  const rows = yield { sql: STATISTICS_SQL, params: [schema, table, [...columns]] };
  const out = new Map<string, ColumnStatistics>();
  for (const row of rows) {
    out.set(String(row.attname), {
      nullFrac: Number(row.null_frac ?? 0),
      mostCommon: strings(row.mcv),
      frequencies: (parsed(row.mcf) ?? []).map(Number),
      histogram: strings(row.histogram),
    });
  }
  return out;
}

function parsed(value: unknown): unknown[] | null {
  const v = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(v) ? v : null;
}

function strings(value: unknown): string[] {
  return (parsed(value) ?? []).map(String);
}
