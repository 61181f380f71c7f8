import { quoteIdent } from '../../../plv8/engine/quote-ident.ts';
import type { Finding } from '../finding.ts';
import { formatBytes, qualified } from './names.ts';
import type { SchemaOptions } from './options.ts';
import type { Column, Relation } from './relations.ts';
import type { Workload } from './top-statements.ts';

/**
 * wide_column: a wide column (pg_stats.avg_width ≥ 500 bytes, or a filled varchar(n ≥ 1000)) that
 * the workload's top statements rarely read: every other query pays for it in pages read, so it
 * may be worth a table of its own. Raised only on statement evidence: without pg_stat_statements
 * the column's reads are unknown and it is only noted.
 */
export function wideColumns(relations: readonly Relation[], workload: Workload, options: SchemaOptions, notes: string[]): Finding[] {
  const findings: Finding[] = [];
  for (const relation of relations) {
    if (relation.isPartition || relation.kind === 'matview') continue;
    const keys = new Set(relation.primaryKey.map((k) => k.name));
    for (const column of relation.columns) {
      if (keys.has(column.name) || !isWide(column, options)) continue;
      const subject = `${relation.subject}.${column.name}`;
      if (!workload.available) {
        notes.push(`wide_column: ${subject} averages ${column.avgWidth} bytes (pg_stats), but its reads are unknown without pg_stat_statements: not raised`);
        continue;
      }
      const uses = workload.byTable.get(relation.oid) ?? [];
      const totalCalls = uses.reduce((sum, u) => sum + u.calls, 0);
      if (totalCalls === 0) {
        notes.push(`wide_column: ${subject} averages ${column.avgWidth} bytes (pg_stats), but none of the top ${workload.statements} statements reads ${relation.subject}: not raised`);
        continue;
      }
      const readers = uses.filter((u) => u.star || u.columns.has(column.name));
      const others = uses.filter((u) => !readers.includes(u));
      const readCalls = readers.reduce((sum, u) => sum + u.calls, 0);
      const share = readCalls / totalCalls;
      if (share > options.wideMaxReadShare) continue;
      const rows = relation.rows ?? 0;
      findings.push({
        kind: 'schema',
        rule: 'wide_column',
        subject,
        table: relation.subject,
        title: `Wide column ${subject} (${column.avgWidth} bytes on average) is read by ${percent(share)} of the calls that read ${relation.subject}`,
        rationale:
          `${column.name} (${column.type}) takes ${column.avgWidth} bytes per row on average (pg_stats.avg_width, an estimate from ANALYZE's sample), ` +
          `about ${formatBytes((column.avgWidth ?? 0) * rows)} over ${Math.round(rows)} estimated rows (pg_class.reltuples). ` +
          `Of the top ${workload.statements} statements by total time (pg_stat_statements), ${uses.length} read ${relation.subject} with ${totalCalls} calls; ` +
          `${readers.length} of them (${readCalls} calls, ${percent(share)}) read ${column.name}, counting SELECT * and ${quoteIdent(relation.name)}.* as reading it. ` +
          `The others read pages full of a column they do not need. Moving it to a table of its own (vertical partitioning) keeps the main table narrow; ` +
          `the queries that read it must then join the new table, so the steps are comments. There is no rollback statement: undoing it is the reverse migration.`,
        sql: verticalSplit(relation, column),
        rollbackSql: null,
        risk: 'high',
        evidence: {
          avgWidthBytes: column.avgWidth,
          avgWidthSource: 'pg_stats.avg_width (estimate from the ANALYZE sample)',
          declaredType: column.type,
          estimatedRows: relation.rows,
          readShare: share,
          readingCalls: readCalls,
          tableCalls: totalCalls,
          statementsReadingColumn: readers.map((u) => ({ queryid: u.queryid, calls: u.calls })),
          statementsNotReadingColumn: others.map((u) => ({ queryid: u.queryid, calls: u.calls })),
          source: `pg_stat_statements, top ${workload.statements} statements by total_exec_time, parsed`,
          thresholds: { minAvgWidth: options.wideMinAvgWidth, minDeclaredLength: options.wideMinDeclaredLength, maxReadShare: options.wideMaxReadShare },
        },
      });
    }
  }
  return findings;
}

function isWide(column: Column, options: SchemaOptions): boolean {
  if (column.avgWidth === null) return false;
  if (column.avgWidth >= options.wideMinAvgWidth) return true;
  return (column.varcharLength ?? 0) >= options.wideMinDeclaredLength && column.avgWidth >= options.wideDeclaredMinAvgWidth;
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10} %`;
}

function verticalSplit(relation: Relation, column: Column): string {
  const table = qualified(relation.schema, relation.name);
  const side = qualified(relation.schema, `${relation.name}_${column.name}`);
  const col = quoteIdent(column.name);
  const lines = [`-- Move ${relation.subject}.${column.name} to a table of its own; change the queries that read it to join ${side}.`];
  const key = relation.primaryKey;
  if (key.length === 0) lines.push(`-- ${relation.subject} has no primary key: add one first (see missing_primary_key); <pk> below stands for it.`);
  const keyColumns = key.length > 0 ? key.map((k) => quoteIdent(k.name)).join(', ') : '<pk>';
  const keyDefinitions = key.length > 0 ? key.map((k) => `${quoteIdent(k.name)} ${k.type}`).join(', ') : '<pk> <type>';
  lines.push(
    `-- CREATE TABLE ${side} (${keyDefinitions}, ${col} ${column.type}, PRIMARY KEY (${keyColumns}), FOREIGN KEY (${keyColumns}) REFERENCES ${table} (${keyColumns}) ON DELETE CASCADE);`,
    `-- INSERT INTO ${side} (${keyColumns}, ${col}) SELECT ${keyColumns}, ${col} FROM ${table} WHERE ${col} IS NOT NULL;`,
    `-- Deploy the application version that reads and writes ${side}, then:`,
    `-- ALTER TABLE ${table} DROP COLUMN ${col};  -- a brief ACCESS EXCLUSIVE lock; the space returns as rows are rewritten (or with pg_repack / VACUUM FULL)`,
  );
  return lines.join('\n');
}
