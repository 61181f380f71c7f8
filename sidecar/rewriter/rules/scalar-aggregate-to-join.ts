import { and, column, columnRef, conjuncts, plainTables, simpleSubquery, sqlName, type Node, type RangeRef } from '../ast.ts';
import { columnRefsIn, contains, scopeOf, type Scope } from '../scope.ts';
import type { Rule } from './rule.ts';

/** Aggregates whose value over no rows a LEFT JOIN's NULL reproduces (count's 0 comes back by coalesce). */
const AGGREGATES = new Set(['count', 'sum', 'min', 'max', 'avg', 'bool_and', 'bool_or', 'every']);
/** The grouped derived table's columns; a rule refuses a FROM whose tables already have these names. */
const KEY = 'agg_key';
const VALUE = 'agg_value';

/**
 * A correlated scalar aggregate in the select list,
 * `(SELECT agg(…) FROM t WHERE t.k = outer.x AND …)`, as a LEFT JOIN to t grouped once by k:
 * `outer LEFT JOIN (SELECT k, agg(…) FROM t WHERE … GROUP BY k) g ON g.k = outer.x`, with
 * `coalesce(g.value, 0)` for count. The subquery runs once per outer row; the grouped table is
 * computed once. Equivalent because each group holds exactly the rows the subquery would see for
 * that x (GROUP BY and `=` are the same equality when k's collation is deterministic), one group
 * at most matches, and no group — x NULL or no row — gives the aggregate's value over no rows.
 *
 * Only when every other condition and the aggregate's arguments use t's columns alone, with no
 * function call (a volatile one would run once per row of t instead of once per pair) and no
 * subquery; one correlation only; the outer query not grouped (its rows must be the ones the
 * subquery ran for) and not locking rows.
 */
export const scalarAggregateToJoin: Rule = async (select, catalog) => {
  if (select.op !== 'SETOP_NONE' || select.groupClause || select.havingClause || select.lockingClause) return null;
  const outerTables = plainTables(select.fromClause);
  if (!outerTables) return null;
  const outer = await scopeOf(outerTables, catalog);
  if (!outer || outer.anyHas(KEY) || outer.anyHas(VALUE)) return null;
  for (const [position, target] of (select.targetList as Node[]).entries()) {
    const sub = target.ResTarget?.val?.SubLink;
    if (sub?.subLinkType !== 'EXPR_SUBLINK') continue;
    const found = await correlatedAggregate(sub.subselect?.SelectStmt, outer, catalog);
    if (!found || !(await catalog.deterministic(sqlName(found.table), found.key))) continue;
    const alias = freshAlias(`${found.table.ref}_agg`, outerTables);
    const grouped = {
      RangeSubselect: {
        subquery: {
          SelectStmt: {
            targetList: [{ ResTarget: { name: KEY, val: column(found.table.ref, found.key) } }, { ResTarget: { name: VALUE, val: found.call } }],
            fromClause: [found.table.node],
            ...(found.others.length ? { whereClause: and(found.others) } : {}),
            groupClause: [column(found.table.ref, found.key)],
            limitOption: 'LIMIT_OPTION_DEFAULT',
            op: 'SETOP_NONE',
          },
        },
        alias: { aliasname: alias },
      },
    };
    const join = { JoinExpr: { jointype: 'JOIN_LEFT', larg: found.owner.node, rarg: grouped, quals: { A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: '=' } }], lexpr: column(alias, KEY), rexpr: found.outerColumn } } } };
    const value = column(alias, VALUE);
    const targetList = [...select.targetList];
    targetList[position] = { ResTarget: { name: target.ResTarget.name ?? found.name, val: found.isCount ? { CoalesceExpr: { args: [value, { A_Const: { ival: {} } }] } } : value } };
    return {
      select: { ...select, targetList, fromClause: select.fromClause.map((item: Node) => (item === found.owner.node ? join : item)) },
      reason: `the subquery ran once per ${found.owner.ref} row; grouped once by ${found.table.ref}.${found.key} (a deterministic collation, so GROUP BY and = agree) and LEFT JOINed, each row finds the same rows' ${found.name}${found.isCount ? ', and coalesce gives 0 where no row matched' : ', and NULL where no row matched, as the subquery did'}`,
    };
  }
  return null;
};

interface CorrelatedAggregate {
  table: RangeRef;
  /** t.k of the correlation, and the outer expression it equals. */
  key: string;
  outerColumn: Node;
  owner: RangeRef;
  call: Node;
  isCount: boolean;
  /** The output column's name: the subquery's alias for it, else the function's name, as PostgreSQL names it. */
  name: string;
  others: Node[];
}

async function correlatedAggregate(subselect: Node | undefined, outer: Scope, catalog: Parameters<Rule>[1]): Promise<CorrelatedAggregate | null> {
  const inner = simpleSubquery(subselect);
  const call = inner?.output.FuncCall;
  if (!inner || !call || call.over || call.agg_within_group || contains(inner.where, 'SubLink')) return null;
  const fn = (call.funcname as Node[]).map((f) => f.String?.sval).join('.').replace(/^pg_catalog\./, '');
  if (!AGGREGATES.has(fn) || (fn === 'count' && !call.agg_star && call.args?.length !== 1)) return null;
  const scope = await scopeOf([inner.table], catalog);
  if (!scope) return null;
  const innerOnly = (node: unknown) => !contains(node, 'FuncCall') && !contains(node, 'SubLink') && columnRefsIn(node).every((r) => scope.ownerOf(r) !== null);
  if (!innerOnly(call.args) || !innerOnly(call.agg_filter) || !innerOnly(call.agg_order)) return null;
  let correlation: { key: string; outerColumn: Node; owner: RangeRef } | null = null;
  const others: Node[] = [];
  for (const part of conjuncts(inner.where)) {
    const c = correlationOf(part, scope, outer, inner.table);
    if (c && !correlation) correlation = c;
    else if (innerOnly(part)) others.push(part);
    else return null;
  }
  if (!correlation) return null;
  const name = (subselect!.targetList[0].ResTarget.name as string | undefined) ?? fn.split('.').pop()!;
  return { table: inner.table, ...correlation, call: inner.output, isCount: fn === 'count', name, others };
}

/** `t.k = outer.x` (either way round): k resolves to t only, x to one outer table and not to t. */
function correlationOf(part: Node, inner: Scope, outer: Scope, table: RangeRef): { key: string; outerColumn: Node; owner: RangeRef } | null {
  const e = part.A_Expr;
  if (!e || e.kind !== 'AEXPR_OP' || e.name?.length !== 1 || e.name[0].String?.sval !== '=') return null;
  for (const [mine, theirs] of [[e.lexpr, e.rexpr], [e.rexpr, e.lexpr]] as const) {
    const key = columnRef(mine);
    const x = columnRef(theirs);
    if (!key || !x || inner.ownerOf(mine) !== table) continue;
    // Inside the subquery an unqualified name would resolve to t first, so x must not be t's.
    if (inner.ownerOf(theirs) !== null || (x.qualifier === table.ref)) continue;
    const owner = outer.ownerOf(theirs);
    if (owner) return { key: key.column, outerColumn: theirs, owner };
  }
  return null;
}

function freshAlias(base: string, taken: RangeRef[]): string {
  let alias = base;
  for (let i = 2; taken.some((t) => t.ref === alias); i++) alias = `${base}${i}`;
  return alias;
}
