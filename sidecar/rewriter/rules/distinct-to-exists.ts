import { and, columnRef, conjuncts, existsOf, innerJoinTables, selectOne, sqlName, type Node } from '../ast.ts';
import { columnRefsIn, contains, scopeOf } from '../scope.ts';
import type { Rule } from './rule.ts';

/**
 * `SELECT DISTINCT a.… FROM a JOIN b ON … WHERE …` that selects only a's columns, among them a
 * unique NOT NULL key of a, as `SELECT a.… FROM a WHERE … AND EXISTS (SELECT 1 FROM b WHERE …)`:
 * the join repeats each a row once per match and DISTINCT throws the copies away; the semi-join
 * never makes them. Equivalent because the key makes a's selected rows distinct already (catalog
 * .unique with notNull: NULL keys could repeat), so both return each a row with a match once.
 *
 * Conditions that mention only a stay outside the EXISTS; the ON conditions and everything else go
 * inside, where a name still resolves as before (the other tables' first, then a's). Refused for
 * DISTINCT ON, anything else that works on the whole result (GROUP BY, HAVING, windows, LIMIT,
 * OFFSET, WITH, locking), outer joins, and a select list that is not plain columns of one table.
 */
export const distinctToExists: Rule = async (select, catalog) => {
  if (select.distinctClause?.length !== 1 || Object.keys(select.distinctClause[0]).length !== 0) return null;
  if (select.op !== 'SETOP_NONE' || select.groupClause || select.havingClause || select.windowClause || select.limitCount
      || select.limitOffset || select.withClause || select.lockingClause || select.intoClause) return null;
  const joined = innerJoinTables(select.fromClause);
  if (!joined || joined.tables.length < 2) return null;
  const scope = await scopeOf(joined.tables, catalog);
  if (!scope) return null;
  const selected = (select.targetList as Node[]).map((t) => t.ResTarget?.val);
  const keep = scope.ownerOf(selected[0]);
  if (!keep || selected.some((v) => scope.ownerOf(v) !== keep) || columnRefsIn(select.sortClause).some((r) => scope.ownerOf(r) !== keep)) return null;
  const columns = selected.map((v) => columnRef(v)!.column);
  if (!(await catalog.unique(sqlName(keep), columns, { notNull: true }))) return null;
  const outside: Node[] = [];
  const inside: Node[] = [...joined.quals];
  for (const part of conjuncts(select.whereClause)) {
    const onlyKeep = !contains(part, 'SubLink') && columnRefsIn(part).every((r) => scope.ownerOf(r) === keep);
    (onlyKeep ? outside : inside).push(part);
  }
  const others = joined.tables.filter((t) => t !== keep);
  const exists = existsOf({ targetList: selectOne(), fromClause: others.map((t) => t.node), ...(inside.length ? { whereClause: and(inside) } : {}), limitOption: 'LIMIT_OPTION_DEFAULT', op: 'SETOP_NONE' });
  const { distinctClause: _distinct, ...rest } = select;
  return {
    select: { ...rest, fromClause: [keep.node], whereClause: and([...outside, exists]) },
    reason: `the selected columns hold a unique NOT NULL key of ${sqlName(keep)}, so its rows are distinct already; DISTINCT only removed the copies the join made, and EXISTS never makes them`,
  };
};
