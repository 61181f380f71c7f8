import { quoteIdent } from '../../../plv8/engine/quote-ident.ts';
import type { TableFacts } from './table-facts.ts';

/**
 * One table as markdown for the model, in two sizes: whole, and short (only the columns the
 * statement mentions, for when the budget is tight; absent when that is all of them).
 * `mentioned` is the statement's column names, null when unknown (all are shown).
 *
 * @example
 *   renderTable(facts, ['qty']).full;
 *   // '### "Billing"."Line Items" (table, about 5000 rows, 440 kB, heap 264 kB)\nColumns: id bigint NOT NULL, …'
 */
export function renderTable(facts: TableFacts, mentioned: readonly string[] | null): { full: string; short?: string } {
  const heading = `### ${facts.table} (${[
    facts.kind,
    facts.rowsEstimate === null ? 'row count unknown: never analyzed' : `about ${facts.rowsEstimate} rows`,
    ...(facts.kind === 'view' ? [] : [`${formatBytes(facts.totalBytes)}`, `heap ${formatBytes(facts.heapBytes)}`]),
  ].join(', ')})`;
  const column = (c: TableFacts['columns'][number]) => `${quoteIdent(c.name)} ${c.type}${c.notNull ? ' NOT NULL' : ''}`;
  const own = facts.columns.filter((c) => mentioned?.includes(c.name));
  const others = facts.columns.length - own.length;
  const tail = [
    ...(facts.indexes.length ? ['Indexes:', ...facts.indexes.map((i) => `- ${i.definition}${i.valid ? '' : ' (INVALID: not used by the planner)'}`)] : ['Indexes: none']),
    ...statisticsLines(facts, own.length > 0 || mentioned === null),
  ];
  const full = [heading, `Columns: ${facts.columns.map(column).join(', ')}`, ...tail].join('\n');
  if (others === 0) return { full };
  const short = [heading, `Columns: ${own.length ? `${own.map(column).join(', ')} (and ${others} more, not shown)` : `${others}, not shown`}`, ...tail].join('\n');
  return { full, short };
}

function statisticsLines(facts: TableFacts, wanted: boolean): string[] {
  if (!wanted) return [];
  if (facts.statistics.length === 0) return ['Statistics: none for these columns (ANALYZE has not read them)'];
  const values = facts.statistics.some((s) => s.mostCommonVals || s.histogramBounds);
  return [
    `Statistics (pg_stats)${values ? '' : ', without values'}:`,
    ...facts.statistics.map((s) => `- ${[
      quoteIdent(s.column),
      `null_frac ${s.nullFrac ?? '?'}`,
      `n_distinct ${s.nDistinct ?? '?'}`,
      `correlation ${s.correlation ?? '?'}`,
      ...(s.mostCommonFreqs.length ? [`most_common_freqs ${JSON.stringify(s.mostCommonFreqs)}`] : []),
      ...(s.mostCommonVals ? [`most_common_vals ${JSON.stringify(s.mostCommonVals)}`] : []),
      ...(s.histogramBounds ? [`histogram_bounds (sampled) ${JSON.stringify(s.histogramBounds)}`] : []),
    ].join(', ')}`),
  ];
}

/**
 * Bytes in pg_size_pretty's units (the next unit once a figure reaches ten of it, rounded), so
 * the model reads sizes as a DBA would.
 *
 * @example formatBytes(450_560); // '440 kB'
 */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (unit < units.length - 1 && Math.abs(value) >= 10 * 1024) {
    value /= 1024;
    unit++;
  }
  return `${Math.round(value)} ${units[unit]}`;
}
