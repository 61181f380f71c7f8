import { and, column, columnRef, conjuncts, equals, existsOf, not, ownerOf, plainTables, selectOne, simpleSubquery, sqlName, type Node, type RangeRef } from '../ast.ts';
import type { RewriterCatalog } from '../catalog.ts';
import type { Rule } from './rule.ts';

/** An `x [NOT] IN (SELECT y FROM t …)` conjunct of WHERE, taken apart. */
export interface InSublink {
  /** WHERE's conjuncts; `index` is the sublink's. */
  parts: Node[];
  index: number;
  outer: RangeRef[];
  /** The outer table x belongs to, and x. */
  owner: RangeRef;
  outerColumn: string;
  inner: { table: RangeRef; where?: Node };
  innerColumn: string;
}

/**
 * Each `x IN (subquery)` (or `NOT IN`) conjunct the sublink rules can take apart, in order: the
 * outer FROM plain tables, x and y plain columns, the subquery one plain table whose name the
 * outer query does not also use, and the test the plain `=` (no `x > ANY`).
 */
export function* inSublinks(select: Node, negated: boolean): Generator<InSublink> {
  const outer = plainTables(select.fromClause);
  if (!outer) return;
  const parts = conjuncts(select.whereClause);
  for (let index = 0; index < parts.length; index++) {
    const sublink = negated ? notArg(parts[index]!)?.SubLink : parts[index]!.SubLink;
    if (!sublink || sublink.subLinkType !== 'ANY_SUBLINK' || sublink.operName) continue;
    const outerRef = columnRef(sublink.testexpr);
    const inner = simpleSubquery(sublink.subselect?.SelectStmt);
    const innerRef = columnRef(inner?.output);
    if (!outerRef || !inner || !innerRef) continue;
    const owner = ownerOf(outerRef, outer);
    if (!owner || outer.some((t) => t.ref === inner.table.ref)) continue;
    if (innerRef.qualifier !== undefined && innerRef.qualifier !== inner.table.ref) continue;
    yield { parts, index, outer, owner, outerColumn: outerRef.column, inner, innerColumn: innerRef.column };
  }
}

/** `inner.y = outer.x`, both sides qualified so neither can be captured by the other scope. */
export const joinCondition = (s: InSublink): Node => equals(column(s.inner.table.ref, s.innerColumn), column(s.owner.ref, s.outerColumn));

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
    for (const s of inSublinks(select, negated)) {
      if (negated && !(await bothNotNull(s, catalog))) continue;
      const exists = existsOf({
        targetList: selectOne(),
        fromClause: [s.inner.table.node],
        whereClause: and([...conjuncts(s.inner.where), joinCondition(s)]),
        limitOption: 'LIMIT_OPTION_DEFAULT',
        op: 'SETOP_NONE',
      });
      const rewritten = [...s.parts];
      rewritten[s.index] = negated ? not(exists) : exists;
      return {
        select: { ...select, whereClause: and(rewritten) },
        reason: negated
          ? `${s.owner.ref}.${s.outerColumn} and ${s.inner.table.ref}.${s.innerColumn} are both NOT NULL, so NOT IN and NOT EXISTS return the same rows; NOT EXISTS can be planned as an anti-join`
          : `in WHERE, IN (subquery) and EXISTS keep the same rows (a NULL and false both leave the row out); EXISTS lets the planner choose a semi-join with an index on ${s.inner.table.ref}.${s.innerColumn}`,
      };
    }
    return null;
  };
}

async function bothNotNull(s: InSublink, catalog: RewriterCatalog): Promise<boolean> {
  const [outer, inner] = await Promise.all([catalog.notNull(sqlName(s.owner), s.outerColumn), catalog.notNull(sqlName(s.inner.table), s.innerColumn)]);
  return outer && inner;
}

const notArg = (node: Node): Node | undefined => (node.BoolExpr?.boolop === 'NOT_EXPR' ? node.BoolExpr.args[0] : undefined);

export const inToExists = sublinkRule(false);
export const notInToNotExists = sublinkRule(true);
