/**
 * duplicate_index: two valid indexes of one table with the same key signature (access method, keys
 * or expressions in order, operator classes, collations, orderings, predicate, INCLUDE columns)
 * answer exactly the same scans; every write maintains both. Of each group the one kept is, in
 * order: constraint-backing, unique, first by name; the others are proposed for dropping, except
 * those that back a constraint themselves (a constraint's index cannot be dropped on its own) and a
 * unique one whose kept twin does not enforce the same uniqueness (same NULLS [NOT] DISTINCT).
 */
import { formatBytes } from '../../../plv8/advisor/recommendation/risk.ts';
import type { Finding } from '../finding.ts';
import type { IndexFact, IndexFacts } from './facts.ts';
import { describeKeys, dropSql, indexSubject, judged, rebuildSql, tableOf } from './index-statements.ts';

/** What makes two indexes of one table interchangeable (see the module's note). */
export function keySignature(i: IndexFact): string {
  return JSON.stringify([i.schema, i.table, i.am, i.keys, i.opclasses, i.collations, i.options, i.predicate, i.include]);
}

const keepOrder = (a: IndexFact, b: IndexFact): number =>
  Number(b.constraintType !== null) - Number(a.constraintType !== null) || Number(b.unique) - Number(a.unique) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function duplicateIndexFindings(facts: IndexFacts): Finding[] {
  const groups = new Map<string, IndexFact[]>();
  for (const i of judged(facts.indexes)) groups.set(keySignature(i), [...(groups.get(keySignature(i)) ?? []), i]);
  const findings: Finding[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const [kept, ...others] = [...group].sort(keepOrder);
    for (const drop of others) {
      if (drop.constraintType !== null || drop.primary) continue;
      if (drop.unique && !(kept!.unique && kept!.nullsNotDistinct === drop.nullsNotDistinct)) continue;
      findings.push(finding(drop, kept!));
    }
  }
  return findings;
}

function finding(drop: IndexFact, kept: IndexFact): Finding {
  const why = kept.constraintType !== null ? ' (it backs a constraint)' : kept.unique && !drop.unique ? ' (it is unique)' : ' (first by name)';
  return {
    kind: 'index_hygiene',
    rule: 'duplicate_index',
    subject: indexSubject(drop),
    title: `Duplicate index ${indexSubject(drop)} (${formatBytes(drop.bytes)}) of ${indexSubject(kept)}`,
    rationale:
      `${indexSubject(drop)} and ${indexSubject(kept)} index ${tableOf(drop)} ${describeKeys(drop)} with the same access method (${drop.am}), ` +
      `operator classes, collations and orderings, so the planner can use either for the same scans while every write maintains both. ` +
      `Keep ${indexSubject(kept)}${why}; dropping ${indexSubject(drop)} saves ${formatBytes(drop.bytes)} (pg_relation_size) and its share of ` +
      `the ${drop.tableWrites} row writes recorded on the table (n_tup_ins + n_tup_upd + n_tup_del).`,
    sql: dropSql(drop),
    rollbackSql: rebuildSql(drop),
    risk: 'low',
    table: tableOf(drop),
    evidence: {
      index: indexSubject(drop),
      keptIndex: indexSubject(kept),
      keys: drop.keys,
      include: drop.include,
      predicate: drop.predicate,
      accessMethod: drop.am,
      sizeBytes: drop.bytes,
      keptSizeBytes: kept.bytes,
      scans: drop.scans,
      keptScans: kept.scans,
      tableWrites: drop.tableWrites,
      definition: drop.definition,
      keptDefinition: kept.definition,
    },
  };
}
