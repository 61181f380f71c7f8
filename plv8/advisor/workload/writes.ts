/**
 * What keeping an index costs the workload's writes, in the same unit as the time it saves: ms
 * over the window. Pure.
 *
 * Every insert and every non-HOT update writes one entry into each index of the table (risk.ts).
 * A HOT update stays HOT only while it changes no indexed column: an index on a column that the
 * workload's UPDATE statements set turns the table's HOT updates into ordinary ones, each writing
 * every index. Which columns an UPDATE sets is read from the workload's own UPDATE texts
 * (`updatedColumns`); that is a lexical reading, so an UPDATE through a view, a function or a CTE
 * is not seen and its HOT updates are not charged.
 *
 * MS_PER_INDEX_ENTRY: measured for OptiSchema on a 2-core machine with PostgreSQL 15 (fsync on):
 * 20,000 single-row autocommit INSERTs into a 4-column table took 57–63 µs longer per row for each
 * extra btree index (medians of 3 rounds; 1 and 3 extra indexes); one 1,000,000-row INSERT … SELECT
 * took 1.2–1.5 µs more per row per index. Applications mostly write row by row, so 0.05 ms is the
 * default; a bulk-loading workload overstates its write cost with it (pass msPerIndexEntry).
 */
import type { TableFacts } from '../../catalog/table-facts.ts';
import type { TableWriteRate, WorkloadStatement } from './source.ts';

/** ms of extra work per index entry written; see the module comment for how it was measured. */
export const MS_PER_INDEX_ENTRY = 0.05;

export interface WriteRates {
  indexWritesPerSecond: number;
  hotUpdatesPerSecond: number;
}

/**
 * The table's write rates over the window when measured there, else its cumulative ones. With
 * `windowMeasured` (the collector's history, which keeps a row only for a table whose counters
 * moved), a table without a row had no writes in the window: its cumulative counters (a bulk load
 * long before, say) say nothing about the window.
 */
export function writeRates(table: TableFacts, measured: readonly TableWriteRate[], windowMeasured = false): WriteRates {
  const found = measured.find((m) => m.schema === table.schema && m.table === table.table);
  const rate = found ?? (windowMeasured ? { insertsPerSecond: 0, updatesPerSecond: 0, hotUpdatesPerSecond: 0 } : table);
  return {
    indexWritesPerSecond: rate.insertsPerSecond + Math.max(0, rate.updatesPerSecond - rate.hotUpdatesPerSecond),
    hotUpdatesPerSecond: rate.hotUpdatesPerSecond,
  };
}

/**
 * ms the window's writes would spend on one more index: index writes per second × window seconds
 * × msPerEntry, plus the HOT updates it would end when it indexes a column the workload updates.
 *
 * @example
 *   writeCostMs({ indexWritesPerSecond: 10, hotUpdatesPerSecond: 5 }, 3600, false) // 10 × 3600 × 0.05 = 1800
 */
export function writeCostMs(rates: WriteRates, windowSeconds: number, indexesUpdatedColumn: boolean, msPerEntry = MS_PER_INDEX_ENTRY): number {
  const perSecond = rates.indexWritesPerSecond + (indexesUpdatedColumn ? rates.hotUpdatesPerSecond : 0);
  return perSecond * windowSeconds * msPerEntry;
}

/**
 * Columns each table's UPDATE statements set, by table name as written (lower-case, without
 * schema): `update public.orders set status = $1, updated_at = now() where id = $2` → orders:
 * {status, updated_at}.
 */
export function updatedColumns(statements: readonly WorkloadStatement[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const { query } of statements) {
    const head = /^\s*update\s+(?:only\s+)?((?:"[^"]+"|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|[\w$]+))?)[\s\S]*?\bset\b([\s\S]*?)(?:\bwhere\b|\bfrom\b|\breturning\b|$)/i.exec(query);
    if (!head) continue;
    const table = unquote(head[1]!.split('.').pop()!.trim());
    const columns = out.get(table) ?? new Set<string>();
    for (const match of head[2]!.matchAll(/(?:^|,)\s*("[^"]+"|[\w$]+)\s*(?:\[[^\]]*\]\s*)?=/g)) columns.add(unquote(match[1]!));
    // `set (a, b) = (…)`
    for (const group of head[2]!.matchAll(/\(([^()]*)\)\s*=/g)) for (const name of group[1]!.split(',')) columns.add(unquote(name.trim()));
    out.set(table, columns);
  }
  return out;
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1) : name.toLowerCase();
}
