import { and, conjuncts, existsOf, selectOne, type Node } from '../ast.ts';
import type { Rule } from './rule.ts';

/**
 * `(SELECT count(*) FROM … WHERE …) > 0` (also `>= 1`, `<> 0`, `0 <`) as `EXISTS (SELECT 1 FROM …)`:
 * without GROUP BY the count subquery yields exactly one row, never NULL, so "more than none"
 * is EXISTS, which stops at the first row instead of counting them all. Anywhere in WHERE's
 * top-level conjuncts.
 */
export const countToExists: Rule = async (select) => {
  const parts = conjuncts(select.whereClause);
  for (let i = 0; i < parts.length; i++) {
    const sub = countComparedWithZero(parts[i]!);
    if (!sub) continue;
    const rewritten = [...parts];
    rewritten[i] = existsOf({ ...sub, targetList: selectOne() });
    return {
      select: { ...select, whereClause: and(rewritten) },
      reason: 'a count(*) subquery without GROUP BY always yields one row, so comparing it with zero is EXISTS, which stops at the first matching row',
    };
  }
  return null;
};

function countComparedWithZero(node: Node): Node | null {
  const e = node.A_Expr;
  if (!e || e.kind !== 'AEXPR_OP' || e.name?.length !== 1) return null;
  const op = e.name[0].String?.sval;
  const value = (n: Node) => (n?.A_Const && !n.A_Const.isnull && n.A_Const.ival ? (n.A_Const.ival.ival ?? 0) : null);
  let sub: Node | undefined;
  if (['>', '<>', '!='].includes(op) && value(e.rexpr) === 0) sub = e.lexpr;
  else if (op === '>=' && value(e.rexpr) === 1) sub = e.lexpr;
  else if (op === '<' && value(e.lexpr) === 0) sub = e.rexpr;
  const select = sub?.SubLink?.subLinkType === 'EXPR_SUBLINK' ? sub.SubLink.subselect?.SelectStmt : undefined;
  if (!select || select.groupClause || select.havingClause || select.op !== 'SETOP_NONE' || select.targetList?.length !== 1 || select.limitCount || select.limitOffset) return null;
  const call = select.targetList[0].ResTarget?.val?.FuncCall;
  const isCountStar = call && call.agg_star && !call.agg_distinct && !call.agg_filter && !call.over && call.funcname?.map((f: Node) => f.String?.sval).join('.').replace(/^pg_catalog\./, '') === 'count';
  return isCountStar ? { ...select, whereClause: and(conjuncts(select.whereClause)) } : null;
}
