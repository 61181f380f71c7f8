import { parse } from 'libpg-query';
import { quoteIdent } from '../../../plv8/engine/quote-ident.ts';

export interface StatementNames {
  /** Relations the statement names (its RangeVars), as SQL names, in order of appearance; CTE names left out. */
  relations: string[];
  /** Column names it mentions (the last field of each column reference), sorted. */
  columns: string[];
}

/**
 * The names in a statement's parse tree, for reading the catalog about them. A name is text to
 * resolve with to_regclass, which decides what it means under the session's search_path.
 *
 * @example
 *   await statementNames('with r as (select 1) select o.id from "Sales".orders o, r where o.total > 1');
 *   // { relations: ['"Sales".orders'], columns: ['id', 'total'] }
 */
export async function statementNames(sql: string): Promise<StatementNames> {
  const tree: unknown = await parse(sql);
  const relations: { name: string; bare?: string }[] = [];
  const ctes = new Set<string>();
  const columns = new Set<string>();
  walk(tree, (node) => {
    const cte = node.CommonTableExpr as { ctename?: string } | undefined;
    if (cte?.ctename) ctes.add(cte.ctename);
    const range = node.RangeVar as { schemaname?: string; relname?: string } | undefined;
    if (range?.relname) {
      const name = `${range.schemaname ? `${quoteIdent(range.schemaname)}.` : ''}${quoteIdent(range.relname)}`;
      if (!relations.some((r) => r.name === name)) relations.push(range.schemaname ? { name } : { name, bare: range.relname });
    }
    const fields = (node.ColumnRef as { fields?: { String?: { sval?: string } }[] } | undefined)?.fields;
    const last = fields?.[fields.length - 1]?.String?.sval;
    if (last) columns.add(last);
  });
  // An unqualified name that a WITH clause defines is the CTE (in some scope): not a table to look up.
  const tables = relations.filter((r) => r.bare === undefined || !ctes.has(r.bare)).map((r) => r.name);
  return { relations: tables, columns: [...columns].sort() };
}

function walk(node: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) return node.forEach((n) => walk(n, visit));
  if (typeof node !== 'object' || node === null) return;
  visit(node as Record<string, unknown>);
  for (const value of Object.values(node)) walk(value, visit);
}
