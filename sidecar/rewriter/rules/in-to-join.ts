import { and, conjuncts, sqlName, type Node } from '../ast.ts';
import { columnRefsIn, contains, selectsStar, visitColumnRefs } from '../scope.ts';
import type { Rule } from './rule.ts';
import { inSublinks, joinCondition } from './sublinks.ts';

/**
 * `x IN (SELECT y FROM t WHERE …)` as a join: `FROM …, t WHERE … AND t.y = x AND …`. A join
 * repeats an outer row once per match, so this holds only when at most one row of t can match:
 * y alone is a unique key of t (catalog.unique: primary key or a valid, non-partial unique index
 * with y's collation, and no inheritance child outside it). Then each outer row is kept once when
 * IN would keep it and dropped when IN would (a NULL x or y never joins, as it never matches IN).
 * The planner may then start from t, which a semi-join cannot always do.
 *
 * Refused where the added table would change what the statement sees: an unqualified `*` (t's
 * columns would join the output), an unqualified outer column that t also has (it would turn
 * ambiguous), a locking clause (it would lock t's rows too), a subquery inside the IN's WHERE.
 * The subquery's unqualified columns are qualified with t as they move out, so none is captured
 * by an outer table.
 */
export const inToJoin: Rule = async (select, catalog) => {
  if (selectsStar(select.targetList) || select.lockingClause) return null;
  for (const s of inSublinks(select, false)) {
    const table = sqlName(s.inner.table);
    const innerColumns = await catalog.columns(table);
    if (!innerColumns || contains(s.inner.where, 'SubLink') || !(await catalog.unique(table, [s.innerColumn]))) continue;
    const rest = s.parts.filter((_, j) => j !== s.index);
    const outerNames = columnRefsIn({ ...select, whereClause: and(rest) }).filter((r) => r.ColumnRef.fields.length === 1).map((r) => r.ColumnRef.fields[0].String?.sval);
    if (outerNames.some((name) => innerColumns.includes(name))) continue;
    const moved = conjuncts(qualify(structuredClone(s.inner.where), s.inner.table.ref, innerColumns));
    return {
      select: { ...select, fromClause: [...select.fromClause, s.inner.table.node], whereClause: and([...rest, joinCondition(s), ...moved]) },
      reason: `${s.inner.table.ref}.${s.innerColumn} is a unique key of ${table}, so each ${s.owner.ref} row joins at most one row and the join keeps exactly the rows IN keeps; the planner may then start from either table`,
    };
  }
  return null;
};

/** The tree with every unqualified reference to one of the table's columns qualified by its name in the query. */
function qualify(node: Node | undefined, ref: string, columns: string[]): Node | undefined {
  visitColumnRefs(node, (fields) => {
    if (fields.length === 1 && columns.includes(fields[0]!.String?.sval)) fields.unshift({ String: { sval: ref } });
  });
  return node;
}
