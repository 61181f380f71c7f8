/**
 * Which indexes serve a foreign key's checks. Deleting a referenced row, or changing its key, makes
 * PostgreSQL look for referencing rows with `WHERE fk_col1 = $1 AND fk_col2 = $2 …`: any valid,
 * non-partial btree index whose leading key columns are exactly the key's columns (in any order, the
 * lookup is equality on all of them) serves it; a hash index only for a one-column key.
 */
import type { ForeignKeyFact, IndexFact } from './facts.ts';

export function coversForeignKey(i: IndexFact, fk: ForeignKeyFact): boolean {
  // An index attached to a parent index counts too: it serves the lookups on its own partition.
  if (i.schema !== fk.schema || i.table !== fk.table || !i.valid || i.predicate !== null) return false;
  const n = fk.attnums.length;
  if (i.am === 'hash') return n === 1 && i.keyAttnums[0] === fk.attnums[0];
  if (i.am !== 'btree' || i.keyAttnums.length < n) return false;
  const leading = new Set(i.keyAttnums.slice(0, n));
  return leading.size === n && fk.attnums.every((a) => leading.has(a));
}

/** The foreign keys for which `i` is the only covering index: dropping it would leave their checks scanning. */
export function soleCoverFor(i: IndexFact, indexes: readonly IndexFact[], foreignKeys: readonly ForeignKeyFact[]): ForeignKeyFact[] {
  return foreignKeys.filter((fk) => coversForeignKey(i, fk) && !indexes.some((other) => other !== i && coversForeignKey(other, fk)));
}
