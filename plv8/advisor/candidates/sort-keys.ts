/**
 * Which Sort under a Limit an index on one scan could stand in for, and the key directions that
 * index needs. A btree returns its order forwards or backwards, and backwards flips both the
 * direction and where NULLs come: (due_date) serves `ORDER BY due_date` and `… DESC NULLS FIRST`,
 * but `ORDER BY due_date DESC NULLS LAST` needs (due_date DESC NULLS LAST), or its mirror
 * (due_date NULLS FIRST).
 */
import type { SortKey, SortUnderLimit } from '../../plan/plan-scans.ts';
import type { IndexKey } from './index-candidate.ts';

/**
 * The sort whose keys are all this scan's columns or expressions over them. Above an aggregate a
 * sort orders groups: only plain group columns can come in order from an index (an expression
 * there may be an aggregate, `sum(l.price)`, which no index holds).
 */
export function sortUnderLimitOn(sorts: readonly SortUnderLimit[], alias: string): SortUnderLimit | undefined {
  return sorts.find(
    (s) =>
      s.keys.length > 0 &&
      s.keys.every((k) => k.alias === alias && (k.column !== null || (k.expression !== undefined && !s.overAggregate))),
  );
}

/**
 * Per sort key, the direction and NULLs placement for the index, written the simplest way: the
 * whole order is mirrored when its first key is DESC (so the index reads backwards), then a
 * direction is said only where the keys' directions differ, and NULLS FIRST/LAST only where it is
 * not the direction's default.
 */
export function indexOrder(sortKeys: readonly SortKey[]): Pick<IndexKey, 'descending' | 'nullsFirst'>[] {
  const mirror = sortKeys[0]?.descending === true;
  return sortKeys.map((s) => {
    const descending = mirror ? !s.descending : s.descending;
    const nullsFirst = mirror ? !s.nullsFirst : s.nullsFirst;
    return { ...(descending ? { descending: true } : {}), ...(nullsFirst !== descending ? { nullsFirst } : {}) };
  });
}
