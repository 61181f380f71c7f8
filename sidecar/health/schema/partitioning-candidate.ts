import { quoteIdent } from '../../../plv8/engine/quote-ident.ts';
import type { Finding } from '../finding.ts';
import { formatBytes, qualified } from './names.ts';
import type { SchemaOptions } from './options.ts';
import type { Column, Relation } from './relations.ts';
import type { Workload } from './top-statements.ts';

const TIME_TYPES = new Set(['timestamptz', 'timestamp', 'date']);

interface Reason {
  column: Column;
  /** Share of the table's top-statement calls that filter on the column, when that is the reason. */
  filterShare: number | null;
  filteringCalls: number;
  tableCalls: number;
}

/**
 * partitioning_candidate: a large plain table (10 GB by default) with a time column that most of
 * its top statements filter on, or that is physically ordered (pg_stats.correlation > 0.9) while
 * old rows are deleted. Range partitioning on it lets the planner skip partitions and turns the
 * purge into DROP/DETACH PARTITION.
 */
export function partitioningCandidates(relations: readonly Relation[], workload: Workload, options: SchemaOptions): Finding[] {
  const findings: Finding[] = [];
  for (const relation of relations) {
    if (relation.kind !== 'table' || relation.isPartition || relation.tableBytes < options.partitionMinBytes) continue;
    const times = relation.columns.filter((c) => TIME_TYPES.has(c.typeName));
    if (times.length === 0) continue;
    const reason = byFilters(relation, times, workload, options) ?? byPurge(relation, times, options);
    if (reason === null) continue;
    findings.push(finding(relation, reason, workload, options));
  }
  return findings;
}

function byFilters(relation: Relation, times: Column[], workload: Workload, options: SchemaOptions): Reason | null {
  const uses = workload.byTable.get(relation.oid) ?? [];
  const tableCalls = uses.reduce((sum, u) => sum + u.calls, 0);
  if (tableCalls === 0) return null;
  const ranked = times
    .map((column) => {
      const filteringCalls = uses.filter((u) => u.filtered.has(column.name)).reduce((sum, u) => sum + u.calls, 0);
      return { column, filteringCalls, tableCalls, filterShare: filteringCalls / tableCalls };
    })
    .sort((a, b) => b.filterShare - a.filterShare);
  const best = ranked[0];
  return best !== undefined && best.filterShare > options.partitionMinFilterShare ? best : null;
}

function byPurge(relation: Relation, times: Column[], options: SchemaOptions): Reason | null {
  if (relation.rows === null || relation.deletes < options.partitionMinDeleteShare * relation.rows) return null;
  const ordered = times
    .filter((c) => c.correlation !== null && c.correlation > options.partitionMinCorrelation)
    .sort((a, b) => (b.correlation ?? 0) - (a.correlation ?? 0));
  return ordered[0] ? { column: ordered[0], filterShare: null, filteringCalls: 0, tableCalls: 0 } : null;
}

function finding(relation: Relation, reason: Reason, workload: Workload, options: SchemaOptions): Finding {
  const column = reason.column;
  const why =
    reason.filterShare !== null
      ? `${reason.filteringCalls} of the ${reason.tableCalls} calls (${Math.round(reason.filterShare * 100)} %) of the top ${workload.statements} statements that read it ` +
        `(pg_stat_statements, parsed) filter on ${column.name} in their WHERE clause, so most queries could skip the partitions outside their range.`
      : `${column.name} follows the physical row order (pg_stats.correlation ${column.correlation?.toFixed(3)}, estimate from ANALYZE's sample) and ` +
        `${Math.round(relation.deletes)} rows were deleted (pg_stat_all_tables.n_tup_del since the statistics reset) against about ${Math.round(relation.rows ?? 0)} rows (pg_class.reltuples): ` +
        `old rows are being purged, which DROP PARTITION would do without DELETE, dead tuples or VACUUM.`;
  const table = qualified(relation.schema, relation.name);
  const parted = qualified(relation.schema, `${relation.name}_partitioned`);
  const col = quoteIdent(column.name);
  return {
    kind: 'schema',
    rule: 'partitioning_candidate',
    subject: relation.subject,
    table: relation.subject,
    title: `${relation.subject} (${formatBytes(relation.tableBytes)}) could be range-partitioned on ${column.name}`,
    rationale:
      `${relation.subject} takes ${formatBytes(relation.tableBytes)} (pg_table_size, measured). ${why} ` +
      `Migrating copies every row and the application sees a new table, so the steps are comments to plan; the old table is kept until dropped, so there is no rollback statement.`,
    sql: [
      `-- Range-partition ${relation.subject} on ${column.name}. A unique key or primary key must include ${column.name}.`,
      `-- CREATE TABLE ${parted} (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED) PARTITION BY RANGE (${col});`,
      `-- One partition per period (month, week…) covering the data, plus a few ahead (or pg_partman to keep creating them):`,
      `-- CREATE TABLE ${qualified(relation.schema, `${relation.name}_p<period>`)} PARTITION OF ${parted} FOR VALUES FROM ('<start>') TO ('<end>');`,
      `-- CREATE TABLE ${qualified(relation.schema, `${relation.name}_default`)} PARTITION OF ${parted} DEFAULT;`,
      `-- Recreate the indexes on ${parted} (they cascade to the partitions), then move the rows, in batches by ${column.name} for a large table:`,
      `-- INSERT INTO ${parted} SELECT * FROM ${table} WHERE ${col} >= '<start>' AND ${col} < '<end>';`,
      `-- Swap in one transaction once the rows written meanwhile are copied (ACCESS EXCLUSIVE on ${table} while it lasts):`,
      `-- BEGIN; LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE; <copy the remaining rows>;`,
      `--   ALTER TABLE ${table} RENAME TO ${quoteIdent(`${relation.name}_old`)}; ALTER TABLE ${parted} RENAME TO ${quoteIdent(relation.name)}; COMMIT;`,
      `-- Move the sequences, foreign keys, grants and triggers; drop ${qualified(relation.schema, `${relation.name}_old`)} once the application works.`,
    ].join('\n'),
    rollbackSql: null,
    risk: 'high',
    evidence: {
      tableBytes: relation.tableBytes,
      tableBytesSource: 'pg_table_size (measured)',
      column: column.name,
      columnType: column.type,
      reason: reason.filterShare !== null ? 'filtered_by_top_statements' : 'ordered_and_purged',
      filterShare: reason.filterShare,
      filteringCalls: reason.filteringCalls,
      tableCalls: reason.tableCalls,
      correlation: column.correlation,
      deletes: relation.deletes,
      estimatedRows: relation.rows,
      thresholds: {
        minBytes: options.partitionMinBytes,
        minFilterShare: options.partitionMinFilterShare,
        minCorrelation: options.partitionMinCorrelation,
        minDeleteShare: options.partitionMinDeleteShare,
      },
    },
  };
}
