/**
 * What a new index costs beyond its disk space, and how risky building it is, from the table's
 * measured size and write rate (table-facts.ts). Pure.
 *
 * Write overhead: every insert and every non-HOT update writes one entry into each index; updates
 * that are HOT today stay HOT only if they change no indexed column, which the statistics cannot
 * tell, so those are reported as "at risk" rather than counted.
 *
 * Risk levels (the thresholds are OptiSchema's defaults, chosen so that "low" means a build that
 * finishes in seconds to minutes on a quiet table):
 * - high: a partitioned table over 1 GiB (no concurrent build: writes wait for the whole build),
 *   a table over 10 GiB, or 1000 or more index writes per second;
 * - medium: any partitioned table, a table over 1 GiB, or 100 or more index writes per second;
 * - low: otherwise.
 */
import type { TableFacts } from '../../catalog/table-facts.ts';

export type RiskLevel = 'low' | 'medium' | 'high';

export interface WriteOverhead {
  /** Index entries written per second: inserts plus non-HOT updates. */
  indexWritesPerSecond: number;
  /** HOT updates per second that would stop being HOT if they change an indexed column. */
  hotUpdatesAtRiskPerSecond: number;
  /** "about 12.5 index writes/s (inserts and non-HOT updates); 3 HOT updates/s at risk". */
  summary: string;
}

export interface Risk {
  level: RiskLevel;
  /** "low: concurrent build, 120 MB table, 2 writes/s". */
  reason: string;
}

const GIB = 1024 ** 3;

export function writeOverhead(table: TableFacts): WriteOverhead {
  const indexWritesPerSecond = table.insertsPerSecond + Math.max(0, table.updatesPerSecond - table.hotUpdatesPerSecond);
  const hotUpdatesAtRiskPerSecond = table.hotUpdatesPerSecond;
  let summary = `about ${rate(indexWritesPerSecond)} index writes/s (inserts and non-HOT updates over the last ${duration(table.statsSeconds)})`;
  if (hotUpdatesAtRiskPerSecond > 0) summary += `; ${rate(hotUpdatesAtRiskPerSecond)} HOT updates/s stop being HOT if they change an indexed column`;
  return { indexWritesPerSecond, hotUpdatesAtRiskPerSecond, summary };
}

export function assessRisk(table: TableFacts, overhead: WriteOverhead): Risk {
  const partitioned = table.kind === 'p';
  const writes = overhead.indexWritesPerSecond;
  const build = partitioned ? 'a partitioned table cannot be indexed concurrently: writes wait for the build' : 'concurrent build';
  const facts = `${build}, ${formatBytes(table.bytes)} table, ${rate(writes)} index writes/s`;
  if ((partitioned && table.bytes > GIB) || table.bytes > 10 * GIB || writes >= 1000) return { level: 'high', reason: `high: ${facts}` };
  if (partitioned || table.bytes > GIB || writes >= 100) return { level: 'medium', reason: `medium: ${facts}` };
  return { level: 'low', reason: `low: ${facts}` };
}

export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(1)} GiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} B`;
}

function rate(perSecond: number): string {
  return perSecond >= 10 ? String(Math.round(perSecond)) : String(Math.round(perSecond * 100) / 100);
}

function duration(seconds: number): string {
  if (seconds >= 86_400) return `${Math.round(seconds / 86_400)} d`;
  if (seconds >= 3_600) return `${Math.round(seconds / 3_600)} h`;
  return `${Math.round(seconds / 60)} min`;
}
