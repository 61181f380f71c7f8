import { and, conjuncts, plainTables, type Node } from '../ast.ts';
import { columnRefsIn, contains } from '../scope.ts';
import type { Rule } from './rule.ts';

/** More arms than this and the statement grows faster than any plan gains. */
const MAX_ARMS = 4;

/**
 * `WHERE … AND (a OR b)` with a and b on different columns as
 * `… WHERE … AND a UNION ALL … WHERE … AND b AND (a) IS NOT TRUE`: each row is kept by exactly
 * the first arm that is true for it, so the branches are disjoint and UNION ALL returns the same
 * multiset as the OR — duplicates of the original included, NULLs included (a NULL arm is "not
 * true"), with no uniqueness proof needed. Each branch can then use its own column's index.
 *
 * Refused, because the branches would not add up to the original: anything that works on the
 * whole result (aggregates or any function in the select list, GROUP BY, HAVING, DISTINCT,
 * window functions, ORDER BY, LIMIT, OFFSET, WITH, set operations), a FROM that is not plain
 * tables, and a function call in the arms (a volatile one could be true in two branches or none).
 */
export const orToUnion: Rule = async (select) => {
  if (select.op !== 'SETOP_NONE' || select.groupClause || select.havingClause || select.distinctClause || select.windowClause
      || select.withClause || select.sortClause || select.limitCount || select.limitOffset || select.intoClause || select.lockingClause) return null;
  if (!plainTables(select.fromClause) || contains(select.targetList, 'FuncCall')) return null;
  const parts = conjuncts(select.whereClause);
  for (let i = 0; i < parts.length; i++) {
    const arms = parts[i]!.BoolExpr?.boolop === 'OR_EXPR' ? (parts[i]!.BoolExpr.args as Node[]) : null;
    if (!arms || arms.length > MAX_ARMS || arms.some((arm) => contains(arm, 'FuncCall'))) continue;
    const columns = arms.map((arm) => JSON.stringify(columnRefsIn(arm).map(qualifiedName).sort()));
    if (new Set(columns).size < arms.length) continue; // arms on the same columns: an IN list or a BitmapOr already serves them
    const rest = parts.filter((_, j) => j !== i);
    const branches: Node[] = arms.map((arm, k) => ({
      ...select,
      whereClause: and([...rest, arm, ...arms.slice(0, k).map(isNotTrue)]),
    }));
    const union = branches.reduce((left, right) => ({ op: 'SETOP_UNION', all: true, larg: left, rarg: right, limitOption: 'LIMIT_OPTION_DEFAULT' }));
    return {
      select: union,
      reason: `the ${arms.length} arms of the OR are on different columns; each UNION ALL branch keeps the rows its arm is the first to accept (the earlier arms IS NOT TRUE), so the branches are disjoint and together return exactly the original rows, and each can use an index on its own column`,
    };
  }
  return null;
};

const isNotTrue = (arg: Node): Node => ({ BooleanTest: { arg, booltesttype: 'IS_NOT_TRUE' } });

/** A column reference as written: `c.id`, `id`. */
const qualifiedName = (ref: Node): string => (ref.ColumnRef.fields as Node[]).map((f) => f.String?.sval ?? '*').join('.');
