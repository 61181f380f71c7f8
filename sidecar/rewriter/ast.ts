/**
 * Small helpers over PostgreSQL's parse tree (libpg-query's JSON): the shapes the rules match and
 * build. A node is `{ NodeType: { …fields } }`.
 */
export type Node = Record<string, any>;

export interface RangeRef {
  schema?: string;
  name: string;
  /** The name the query uses for it: its alias, else its name. */
  ref: string;
  node: Node;
}

/** The conjuncts of a WHERE clause: `a AND b AND c` → [a, b, c]. */
export function conjuncts(where: Node | undefined): Node[] {
  if (!where) return [];
  if (where.BoolExpr?.boolop === 'AND_EXPR') return where.BoolExpr.args.flatMap((a: Node) => conjuncts(a));
  return [where];
}

/** The conjuncts joined again with AND (one stays itself). */
export function and(parts: Node[]): Node | undefined {
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  return { BoolExpr: { boolop: 'AND_EXPR', args: parts } };
}

/** The plain tables of a FROM list (no joins, functions or subqueries): null when there is anything else. */
export function plainTables(from: Node[] | undefined): RangeRef[] | null {
  const out: RangeRef[] = [];
  for (const item of from ?? []) {
    const r = item.RangeVar;
    if (!r) return null;
    out.push({ ...(r.schemaname ? { schema: r.schemaname } : {}), name: r.relname, ref: r.alias?.aliasname ?? r.relname, node: item });
  }
  return out;
}

/** A column reference's parts: [qualifier?, column]; null for `*` or anything longer. */
export function columnRef(node: Node | undefined): { qualifier?: string; column: string } | null {
  const fields = node?.ColumnRef?.fields as Node[] | undefined;
  if (!fields || fields.some((f) => !f.String)) return null;
  if (fields.length === 1) return { column: fields[0]!.String.sval };
  if (fields.length === 2) return { qualifier: fields[0]!.String.sval, column: fields[1]!.String.sval };
  return null;
}

export const column = (qualifier: string, name: string): Node => ({ ColumnRef: { fields: [{ String: { sval: qualifier } }, { String: { sval: name } }] } });
export const equals = (left: Node, right: Node): Node => ({ A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: '=' } }], lexpr: left, rexpr: right } });
export const existsOf = (select: Node): Node => ({ SubLink: { subLinkType: 'EXISTS_SUBLINK', subselect: { SelectStmt: select } } });
export const not = (arg: Node): Node => ({ BoolExpr: { boolop: 'NOT_EXPR', args: [arg] } });
/** `SELECT 1 FROM …`: what an EXISTS needs. */
export const selectOne = (): Node[] => [{ ResTarget: { val: { A_Const: { ival: { ival: 1 } } } } }];

/**
 * A subquery the sublink rules can take apart: one plain table, one output column, and nothing
 * that changes how many rows it yields (GROUP BY, HAVING, DISTINCT, LIMIT, set operations, WITH).
 */
export function simpleSubquery(select: Node | undefined): { table: RangeRef; output: Node; where?: Node } | null {
  if (!select || select.op !== 'SETOP_NONE' || select.groupClause || select.havingClause || select.distinctClause
      || select.limitCount || select.limitOffset || select.withClause || select.windowClause || select.targetList?.length !== 1) return null;
  const tables = plainTables(select.fromClause);
  if (!tables || tables.length !== 1) return null;
  return { table: tables[0]!, output: select.targetList[0].ResTarget.val, ...(select.whereClause ? { where: select.whereClause } : {}) };
}

/** The outer table a column belongs to: by its qualifier, or the only table when it has none. */
export function ownerOf(ref: { qualifier?: string }, tables: RangeRef[]): RangeRef | null {
  if (ref.qualifier === undefined) return tables.length === 1 ? tables[0]! : null;
  return tables.find((t) => t.ref === ref.qualifier) ?? null;
}

/** `schema.name` as SQL writes it, for to_regclass. */
export function sqlName(t: { schema?: string; name: string }): string {
  const q = (n: string) => (/^[a-z_][a-z0-9_$]*$/.test(n) ? n : `"${n.replace(/"/g, '""')}"`);
  return t.schema ? `${q(t.schema)}.${q(t.name)}` : q(t.name);
}

/**
 * The tables of a FROM list of plain tables and INNER JOIN … ON (nested as deep as written), with
 * the ON conditions as conjuncts: the shape where joins and WHERE mean the same. Null for anything
 * else (outer joins, USING, NATURAL, an aliased join, functions, subqueries).
 */
export function innerJoinTables(from: Node[] | undefined): { tables: RangeRef[]; quals: Node[] } | null {
  const tables: RangeRef[] = [];
  const quals: Node[] = [];
  const walk = (item: Node): boolean => {
    if (item.RangeVar) {
      const t = plainTables([item]);
      tables.push(...t!);
      return true;
    }
    const j = item.JoinExpr;
    if (!j || j.jointype !== 'JOIN_INNER' || j.usingClause || j.isNatural || j.alias || j.join_using_alias) return false;
    if (!walk(j.larg) || !walk(j.rarg)) return false;
    quals.push(...conjuncts(j.quals));
    return true;
  };
  if (!from?.length || !from.every(walk)) return null;
  return { tables, quals };
}
