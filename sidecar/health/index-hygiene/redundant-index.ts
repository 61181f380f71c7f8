/**
 * redundant_index: index A's keys are a leading prefix of index B's (btree both, same operator
 * classes, collations and orderings on the shared keys, same predicate, A's INCLUDE columns among
 * B's columns), so any scan of A can be done on B. A unique or constraint-backing A is never
 * redundant: it enforces something B does not. Exact twins are duplicate_index's. Where A is a
 * prefix of several, B is the one with the fewest keys, then first by name.
 *
 * The orderings must match exactly: (a) is not called redundant beside (a DESC, b), although a
 * backward scan could serve it — the rule errs on the side of keeping.
 */
import { formatBytes } from '../../../plv8/advisor/recommendation/risk.ts';
import type { Finding } from '../finding.ts';
import type { IndexFact, IndexFacts } from './facts.ts';
import { keySignature } from './duplicate-index.ts';
import { describeKeys, dropSql, enforces, indexSubject, judged, rebuildSql, tableOf } from './index-statements.ts';

export function isPrefixOf(a: IndexFact, b: IndexFact): boolean {
  if (a === b || a.am !== 'btree' || b.am !== 'btree' || a.schema !== b.schema || a.table !== b.table) return false;
  if (a.predicate !== b.predicate || a.keys.length > b.keys.length || keySignature(a) === keySignature(b)) return false;
  for (let k = 0; k < a.keys.length; k++) {
    if (a.keys[k] !== b.keys[k] || a.opclasses[k] !== b.opclasses[k] || a.collations[k] !== b.collations[k] || a.options[k] !== b.options[k]) return false;
  }
  const bColumns = new Set([...b.keys, ...b.include]);
  return a.include.every((c) => bColumns.has(c));
}

export function redundantIndexFindings(facts: IndexFacts): Finding[] {
  const indexes = judged(facts.indexes);
  const findings: Finding[] = [];
  for (const a of indexes) {
    if (enforces(a)) continue;
    // Mutual cover (equal keys, INCLUDE lists the same columns in another order): only the later by name goes.
    const covering = indexes.filter((b) => isPrefixOf(a, b) && !(isPrefixOf(b, a) && !enforces(b) && a.name < b.name)).sort((x, y) => x.keys.length - y.keys.length || (x.name < y.name ? -1 : 1));
    const b = covering[0];
    if (b) findings.push(finding(a, b));
  }
  return findings;
}

function finding(a: IndexFact, b: IndexFact): Finding {
  return {
    kind: 'index_hygiene',
    rule: 'redundant_index',
    subject: indexSubject(a),
    title: `Redundant index ${indexSubject(a)} (${formatBytes(a.bytes)}): ${indexSubject(b)} covers it`,
    rationale:
      `${indexSubject(a)} ${describeKeys(a)} is a leading prefix of ${indexSubject(b)} ${describeKeys(b)} (btree, same operator classes, collations, ` +
      `orderings and predicate), so every scan of it can use ${indexSubject(b)} instead, while writes maintain both. Dropping it saves ` +
      `${formatBytes(a.bytes)} (pg_relation_size). Caveat: ${indexSubject(b)} is ${formatBytes(b.bytes)}; when it is much larger, a scan of the ` +
      `narrower ${indexSubject(a)} reads fewer pages, and some queries may get slower — validate the drop against the workload first.`,
    sql: dropSql(a),
    rollbackSql: rebuildSql(a),
    risk: 'medium',
    table: tableOf(a),
    evidence: {
      index: indexSubject(a),
      keptIndex: indexSubject(b),
      keys: a.keys,
      keptKeys: b.keys,
      sizeBytes: a.bytes,
      keptSizeBytes: b.bytes,
      scans: a.scans,
      keptScans: b.scans,
      tableWrites: a.tableWrites,
      definition: a.definition,
      keptDefinition: b.definition,
    },
  };
}
