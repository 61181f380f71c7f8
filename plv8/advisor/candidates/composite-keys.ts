/**
 * The keys of a multi-column btree candidate for one scan: the equality lookups first (their order
 * is free; costing puts the most selective first), then at most one range, then the keys of a Sort
 * under a Limit in the order and directions the sort needs (sort-keys.ts), so that the index both
 * finds the rows and returns them in order.
 */
import type { ConditionAtom } from '../../plan/conditions.ts';
import type { SortKey } from '../../plan/plan-scans.ts';
import type { IndexKey } from './index-candidate.ts';
import { indexOrder } from './sort-keys.ts';

/** Lookups a btree answers with one key value (or a few): `=`, `= ANY`, `IS NULL`, a boolean test.
 * In this order in the composite: the most selective kinds lead. */
export const EQUALITY_KINDS: ReadonlySet<ConditionAtom['kind']> = new Set(['eq', 'in', 'is_null', 'bool']);
/** Lookups a btree answers with a key range; at most one range key is useful per index. */
const RANGE_KINDS: ReadonlySet<ConditionAtom['kind']> = new Set(['range', 'prefix', 'not_null']);

export function sameKey(key: IndexKey, atom: { column: string | null; expression?: string }): boolean {
  return atom.column !== null ? key.column === atom.column : key.expression === atom.expression;
}

export function compositeKeys(atoms: readonly ConditionAtom[], sortKeys: readonly SortKey[]): IndexKey[] {
  const keys: IndexKey[] = [];
  const find = (k: { column: string | null; expression?: string }): IndexKey | undefined => keys.find((x) => sameKey(x, k));
  const keyOf = (a: { column: string | null; expression?: string }): IndexKey =>
    a.column !== null ? { column: a.column } : { expression: a.expression ?? '' };

  for (const kind of EQUALITY_KINDS) for (const a of atoms) if (a.kind === kind && !find(a)) keys.push(keyOf(a));
  const range = atoms.find((a) => RANGE_KINDS.has(a.kind));
  if (range && !find(range)) keys.push(keyOf(range));
  const order = indexOrder(sortKeys);
  sortKeys.forEach((s, n) => {
    const existing = find(s);
    const wanted = order[n]!;
    if (existing === undefined) keys.push({ ...keyOf(s), ...wanted });
    // A key an equality fixes needs no direction; the range key does (it comes first in the sort).
    else if (!atoms.some((a) => EQUALITY_KINDS.has(a.kind) && sameKey(existing, a))) Object.assign(existing, wanted);
  });
  return keys;
}
