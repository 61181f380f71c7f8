import { and, column, columnRef, conjuncts, equals, existsOf, not, ownerOf, plainTables, selectOne, simpleSubquery, sqlName, type Node } from '../ast.ts';
import type { Rule } from './rule.ts';

/**
 * `x IN (SELECT y FROM t …)` and `x NOT IN (…)` as EXISTS, at the top level of WHERE (an AND
 * conjunct), where a NULL result and false mean the same thing: the row is left out.
 * - IN → EXISTS: always equivalent there.
 * - NOT IN → NOT EXISTS: only when x and y are both NOT NULL columns of tables; otherwise a NULL
 *   y makes NOT IN yield no row at all where NOT EXISTS yields some, and the rule refuses.
 * Both sides are qualified in the new subquery, so an unqualified outer column cannot be captured
 * by a column of the same name inside it; a subquery over the same name as an outer table is left alone.
 */
function sublinkRule(negated: boolean): Rule {
  return async (select, catalog) => {
    const outer = plainTables(select.fromClause);
    if (!outer) return null;
    const parts = conjuncts(select.whereClause);
    for (let i = 0; i < parts.length; i++) {
      const sublink = negated ? notArg(parts[i]!)?.SubLink : parts[i]!.SubLink;
      if (!sublink || sublink.subLinkType !== 'ANY_SUBLINK' || sublink.operName) continue;
      const outerRef = columnRef(sublink.testexpr);
      const inner = simpleSubquery(sublink.subselect?.SelectStmt);
      const innerRef = columnRef(inner?.output);
      if (!outerRef || !inner || !innerRef) continue;
      const owner = ownerOf(outerRef, outer);
      if (!owner || outer.some((t) => t.ref === inner.table.ref)) continue;
      if (innerRef.qualifier !== undefined && innerRef.qualifier !== inner.table.ref) continue;
      if (negated) {
        const [outerNotNull, innerNotNull] = await Promise.all([catalog.notNull(sqlName(owner), outerRef.column), catalog.notNull(sqlName(inner.table), innerRef.column)]);
        if (!outerNotNull || !innerNotNull) continue;
      }
      const exists = existsOf({
        targetList: selectOne(),
        fromClause: [inner.table.node],
        whereClause: and([...conjuncts(inner.where), equals(column(inner.table.ref, innerRef.column), column(owner.ref, outerRef.column))]),
        limitOption: 'LIMIT_OPTION_DEFAULT',
        op: 'SETOP_NONE',
      });
      const rewritten = [...parts];
      rewritten[i] = negated ? not(exists) : exists;
      return {
        select: { ...select, whereClause: and(rewritten) },
        reason: negated
          ? `${owner.ref}.${outerRef.column} and ${inner.table.ref}.${innerRef.column} are both NOT NULL, so NOT IN and NOT EXISTS return the same rows; NOT EXISTS can be planned as an anti-join`
          : `in WHERE, IN (subquery) and EXISTS keep the same rows (a NULL and false both leave the row out); EXISTS lets the planner choose a semi-join with an index on ${inner.table.ref}.${innerRef.column}`,
      };
    }
    return null;
  };
}

const notArg = (node: Node): Node | undefined => (node.BoolExpr?.boolop === 'NOT_EXPR' ? node.BoolExpr.args[0] : undefined);

export const inToExists = sublinkRule(false);
export const notInToNotExists = sublinkRule(true);
