import type { Finding } from '../finding.ts';
import { quoteIdent } from '../../../plv8/engine/quote-ident.ts';
import type { SchemaOptions } from './options.ts';
import type { Column, Relation } from './relations.ts';
import { alignUp, bestOrder, dataBytes, MAXALIGN } from './tuple-layout.ts';
import { formatBytes, qualified } from './names.ts';

export interface PaddingEstimate {
  /** Data-area bytes per row in the current order and the best one (tuple-layout.ts's model). */
  currentBytes: number;
  bestBytes: number;
  /** What pg_column_size of a row would lose: the data sizes' difference. */
  savedBytesPerRow: number;
  /** What a tuple on the page loses: both sizes rounded up to MAXALIGN first. */
  savedBytesPerTuple: number;
  bestOrder: Column[];
}

/** The padding saving of reordering a relation's columns; null when a variable-length column has no statistics. */
export function estimatePadding(columns: readonly Column[]): PaddingEstimate | null {
  const order = bestOrder(columns);
  const currentBytes = dataBytes(columns);
  const bestBytes = dataBytes(order);
  if (currentBytes === null || bestBytes === null) return null;
  return {
    currentBytes,
    bestBytes,
    savedBytesPerRow: currentBytes - bestBytes,
    savedBytesPerTuple: alignUp(currentBytes, MAXALIGN) - alignUp(bestBytes, MAXALIGN),
    bestOrder: order,
  };
}

/**
 * column_padding ("column tetris"): a table whose column order wastes bytes on alignment padding.
 * A partitioned table is judged once with its leaves' rows (its partitions take its column order);
 * partitions are not reported themselves.
 */
export function columnPadding(relations: readonly Relation[], options: SchemaOptions, notes: string[]): Finding[] {
  const findings: Finding[] = [];
  const unmeasured: string[] = [];
  for (const relation of relations) {
    if (relation.isPartition) continue;
    const estimate = estimatePadding(relation.columns);
    if (estimate === null || relation.rows === null) {
      unmeasured.push(relation.subject);
      continue;
    }
    const totalBytes = estimate.savedBytesPerTuple * relation.rows;
    if (estimate.savedBytesPerRow < options.paddingMinBytesPerRow || totalBytes < options.paddingMinTotalBytes) continue;
    findings.push({
      kind: 'schema',
      rule: 'column_padding',
      subject: relation.subject,
      table: relation.subject,
      title: `Column order of ${relation.subject} wastes ${estimate.savedBytesPerRow} bytes per row on padding (about ${formatBytes(totalBytes)} in all, estimate)`,
      rationale:
        `PostgreSQL aligns each fixed-width value to its type's alignment, so a 1-byte column before an 8-byte one leaves 7 bytes of padding. ` +
        `In its current order a row's data takes ${estimate.currentBytes} bytes; ordered ${estimate.bestOrder.map((c) => c.name).join(', ')} ` +
        `(8-, 4-, 2-, 1-byte columns, then variable-length ones) it takes ${estimate.bestBytes} bytes, ` +
        `${estimate.savedBytesPerTuple} bytes less per tuple on the page once rounded to ${MAXALIGN}. ` +
        `Estimate: the layout model of tuple-layout.ts (variable-length widths from pg_stats.avg_width, rows without nulls) ` +
        `times ${Math.round(relation.rows)} rows (pg_class.reltuples${relation.kind === 'partitioned' ? ', summed over the partitions' : ''}). ` +
        `The rebuild rewrites the table; the old one is kept, renamed, until you drop it, so there is no rollback statement.`,
      sql: rebuildSteps(relation, estimate.bestOrder),
      rollbackSql: null,
      risk: 'high',
      evidence: {
        currentDataBytesPerRow: estimate.currentBytes,
        bestDataBytesPerRow: estimate.bestBytes,
        savedBytesPerRow: estimate.savedBytesPerRow,
        savedBytesPerTuple: estimate.savedBytesPerTuple,
        estimatedRows: relation.rows,
        estimatedSavedBytes: totalBytes,
        source: 'estimate: pg_attribute attlen/attalign, pg_stats.avg_width, pg_class.reltuples',
        currentOrder: relation.columns.map((c) => c.name),
        bestOrder: estimate.bestOrder.map((c) => c.name),
        thresholds: { minBytesPerRow: options.paddingMinBytesPerRow, minTotalBytes: options.paddingMinTotalBytes },
      },
    });
  }
  if (unmeasured.length > 0) {
    notes.push(`column_padding: ${unmeasured.length} relation(s) not analyzed yet (no row estimate or no pg_stats widths), padding not estimated: ${unmeasured.slice(0, 10).join(', ')}`);
  }
  return findings;
}

function rebuildSteps(relation: Relation, order: Column[]): string {
  const table = qualified(relation.schema, relation.name);
  const names = order.map((c) => quoteIdent(c.name));
  if (relation.kind === 'matview') {
    return [
      `-- Recreate the materialized view ${table} with its SELECT list in this order: ${names.join(', ')}.`,
      `-- CREATE MATERIALIZED VIEW ${qualified(relation.schema, `${relation.name}_reordered`)} AS SELECT ${names.join(', ')} FROM (<its current query>) q;`,
      `-- Recreate its indexes, then swap the names in one transaction (ALTER MATERIALIZED VIEW … RENAME TO …) and drop the old one.`,
    ].join('\n');
  }
  const newName = `${relation.name}_reordered`;
  const oldName = `${relation.name}_old`;
  const copied = order.filter((c) => c.generated === '');
  const copiedNames = copied.map((c) => quoteIdent(c.name)).join(', ');
  const overriding = order.some((c) => c.identity === 'a') ? ' OVERRIDING SYSTEM VALUE' : '';
  const lines = [
    `-- Rebuild ${table} with its columns ordered 8-, 4-, 2-, 1-byte, then variable-length.`,
    `-- The whole rebuild holds ACCESS EXCLUSIVE on ${table}: nothing reads or writes it until COMMIT.`,
    `-- Without downtime, copy online the way pg_repack does (a trigger-fed copy, then a short lock for the swap).`,
    `-- BEGIN;`,
    `-- LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE;`,
    `-- CREATE TABLE ${qualified(relation.schema, newName)} (`,
    ...order.map((c, i) => `--   ${columnDefinition(c)}${i < order.length - 1 ? ',' : ''}`),
    `-- )${relation.partitionKey ? ` PARTITION BY ${relation.partitionKey}` : ''};`,
    ...(relation.partitionKey ? [`-- Create each partition again with CREATE TABLE … PARTITION OF ${qualified(relation.schema, newName)} (partitions take the parent's column order).`] : []),
    `-- INSERT INTO ${qualified(relation.schema, newName)} (${copiedNames})${overriding} SELECT ${copiedNames} FROM ${table};`,
    `-- Recreate the primary key, indexes, constraints, triggers, grants and the foreign keys that reference ${table};`,
    `-- move the sequences it owns: ALTER SEQUENCE … OWNED BY ${qualified(relation.schema, newName)}.<column>;`,
    `-- ALTER TABLE ${table} RENAME TO ${quoteIdent(oldName)};`,
    `-- ALTER TABLE ${qualified(relation.schema, newName)} RENAME TO ${quoteIdent(relation.name)};`,
    `-- COMMIT;`,
    `-- ANALYZE ${table};`,
    `-- The old table stays as ${qualified(relation.schema, oldName)} (the way back) until: DROP TABLE ${qualified(relation.schema, oldName)};`,
  ];
  return lines.join('\n');
}

function columnDefinition(column: Column): string {
  const parts = [quoteIdent(column.name), column.type];
  if (column.collation) parts.push(`COLLATE ${quoteIdent(column.collation)}`);
  if (column.generated === 's' && column.defaultExpr) parts.push(`GENERATED ALWAYS AS (${column.defaultExpr}) STORED`);
  else if (column.identity) parts.push(`GENERATED ${column.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`);
  else if (column.defaultExpr) parts.push(`DEFAULT ${column.defaultExpr}`);
  if (column.notNull) parts.push('NOT NULL');
  return parts.join(' ');
}
