/**
 * unused_index: no index scan since the statistics reset (pg_stat_user_indexes.idx_scan = 0, on the
 * primary and, when given, on every replica: each standby counts the scans it serves itself), at
 * least `minUnusedBytes` large. Never proposed: an index that enforces something (primary key,
 * unique, exclusion, any constraint), the only index serving a foreign key's checks (they do not
 * show as idx_scan of a plan, yet a delete on the parent would scan the table without it), an
 * invalid one (invalid_index), and one another rule already proposes dropping.
 *
 * Risk medium: zero scans over the observed period says nothing of a monthly report or a yearly
 * close that has not run since the reset.
 */
import { formatBytes } from '../../../plv8/advisor/recommendation/risk.ts';
import type { Finding } from '../finding.ts';
import type { IndexFact, IndexFacts } from './facts.ts';
import { soleCoverFor } from './foreign-key-coverage.ts';
import { describeKeys, dropSql, enforces, indexSubject, judged, rebuildSql, sinceReset, tableOf } from './index-statements.ts';
import type { IndexHygieneOptions } from './options.ts';

export interface UnusedIndexContext {
  options: Pick<IndexHygieneOptions, 'minUnusedBytes'>;
  /** Scans per `schema.index` on each replica read, by replica name. */
  replicaScans: { name: string; scans: ReadonlyMap<string, number> }[];
  /** Subjects other rules already propose dropping. */
  alreadyProposed: ReadonlySet<string>;
}

export function unusedIndexFindings(facts: IndexFacts, context: UnusedIndexContext): Finding[] {
  const findings: Finding[] = [];
  for (const i of judged(facts.indexes)) {
    const subject = indexSubject(i);
    if (enforces(i) || context.alreadyProposed.has(subject) || i.bytes < context.options.minUnusedBytes) continue;
    const replicas = context.replicaScans.map((r) => ({ name: r.name, scans: r.scans.get(subject) ?? 0 }));
    const scans = i.scans + replicas.reduce((sum, r) => sum + r.scans, 0);
    if (scans > 0 || soleCoverFor(i, facts.indexes, facts.foreignKeys).length > 0) continue;
    findings.push(finding(i, facts.statsReset, replicas, context.options.minUnusedBytes));
  }
  return findings;
}

function finding(i: IndexFact, statsReset: string | null, replicas: { name: string; scans: number }[], minBytes: number): Finding {
  const where = replicas.length > 0 ? `on the primary or on any of its ${replicas.length} replica(s) (${replicas.map((r) => r.name).join(', ')})` : 'on this server';
  return {
    kind: 'index_hygiene',
    rule: 'unused_index',
    subject: indexSubject(i),
    title: `Unused index ${indexSubject(i)} (${formatBytes(i.bytes)})`,
    rationale:
      `${indexSubject(i)} ${describeKeys(i)} has had no scans ${sinceReset(statsReset)} ${where} (pg_stat_user_indexes.idx_scan = 0` +
      `${i.partitioned ? ', summed over the indexes of every partition' : ''}), while ${tableOf(i)} took ${i.tableWrites} row writes ` +
      `(n_tup_ins + n_tup_upd + n_tup_del) that each had to maintain it, and it takes ${formatBytes(i.bytes)} (pg_relation_size). ` +
      `It backs no constraint and no foreign key check. Risk: a rare job (a month-end report, a yearly close) that has not run since ` +
      `then may need it; check before dropping, and keep the rollback at hand.` +
      (i.partitioned ? ` It is a partitioned table's index: PostgreSQL refuses DROP INDEX CONCURRENTLY there, so the drop locks every partition briefly.` : ''),
    sql: dropSql(i),
    rollbackSql: rebuildSql(i),
    risk: i.partitioned ? 'high' : 'medium',
    table: tableOf(i),
    evidence: {
      index: indexSubject(i),
      scans: 0,
      replicaScans: replicas,
      sizeBytes: i.bytes,
      minSizeBytes: minBytes,
      statsReset,
      tableWritesSinceReset: i.tableWrites,
      partitioned: i.partitioned,
      definition: i.definition,
    },
  };
}
