/**
 * invalid_index: `pg_index.indisvalid = false`, what a failed or cancelled CREATE INDEX
 * CONCURRENTLY leaves behind. The planner never uses it, yet every write still maintains it (once
 * the build reached indisready). Dropping it is safe; the rollback rebuilds it from its definition.
 * An attached partition's index is judged through its parent (a parent index stays invalid until
 * every partition has one attached; dropping the parent drops them all). For such a parent the
 * rollback builds the whole index on every partition (rebuildSql), not the half-attached state.
 */
import { formatBytes } from '../../../plv8/advisor/recommendation/risk.ts';
import type { Finding } from '../finding.ts';
import type { IndexFacts } from './facts.ts';
import { describeKeys, dropSql, indexSubject, rebuildSql, tableOf } from './index-statements.ts';

export function invalidIndexFindings(facts: IndexFacts): Finding[] {
  return facts.indexes
    .filter((i) => !i.valid && i.parentIndex === null)
    .map((i) => ({
      kind: 'index_hygiene',
      rule: 'invalid_index',
      subject: indexSubject(i),
      title: `Invalid index ${indexSubject(i)} (${formatBytes(i.bytes)})`,
      rationale:
        `${indexSubject(i)} ${describeKeys(i)} is marked invalid (pg_index.indisvalid = false), as a failed or cancelled CREATE INDEX CONCURRENTLY ` +
        `leaves it${i.partitioned ? ', or as a partitioned index stays until every partition has an index attached' : ''}. The planner never uses it, ` +
        `but writes to ${tableOf(i)} may still maintain it, and it takes ${formatBytes(i.bytes)} (pg_relation_size). Drop it; rebuild it only if it is wanted after all.`,
      sql: dropSql(i),
      rollbackSql: rebuildSql(i),
      risk: 'low',
      table: tableOf(i),
      evidence: { index: indexSubject(i), valid: false, sizeBytes: i.bytes, definition: i.definition, partitioned: i.partitioned },
    }));
}
