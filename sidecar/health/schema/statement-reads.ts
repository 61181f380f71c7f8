import { parse } from 'libpg-query';
import { quoteIdent } from '../../../plv8/engine/quote-ident.ts';

/** What one statement does with one relation it names. */
export interface RelationRead {
  /** The relation as SQL text (`"Sales".orders`, `orders`), to resolve with to_regclass. */
  name: string;
  /** It reads every column: `select *`, `t.*`, `returning *`. */
  star: boolean;
  /** Column names it reads (qualified by this relation's alias or name, or unqualified). */
  columns: Set<string>;
  /** The subset of `columns` read inside a WHERE clause. */
  filtered: Set<string>;
}

const QUERY_STATEMENTS = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

interface ColumnUse {
  qualifier: string | null;
  column: string | '*';
  inWhere: boolean;
}

interface Range {
  name: string;
  bare: string | null;
  qualifier: string;
}

/**
 * The relations a statement reads and the columns it reads of each, from PostgreSQL's own parse
 * tree (libpg-query). A column without a qualifier is counted for every relation the statement
 * reads, since telling which one it belongs to needs the catalog; a rule only asks about a column
 * the relation has. An INSERT's target is written, not read, so it is left out (its SELECT is not).
 * Throws when the text does not parse.
 *
 * @example
 *   await statementReads('select o.id from "Sales".orders o where o.created_at > $1');
 *   // [{ name: '"Sales".orders', star: false, columns: {id, created_at}, filtered: {created_at} }]
 */
export async function statementReads(sql: string): Promise<RelationRead[]> {
  const tree = (await parse(sql)) as { stmts?: { stmt?: Record<string, unknown> }[] };
  // Only queries read rows; a utility statement (CREATE TABLE … PARTITION OF t) names tables it does not read.
  const queries = (tree.stmts ?? []).filter((s) => Object.keys(s.stmt ?? {}).some((key) => QUERY_STATEMENTS.has(key)));
  const ranges: Range[] = [];
  const ctes = new Set<string>();
  const uses: ColumnUse[] = [];
  walk(queries, false, (node, inWhere) => {
    const cte = node.CommonTableExpr as { ctename?: string } | undefined;
    if (cte?.ctename) ctes.add(cte.ctename);
    // UPDATE's and DELETE's target is a bare RangeVar (no node tag); both read it (their WHERE).
    const target = (node.UpdateStmt ?? node.DeleteStmt) as { relation?: unknown } | undefined;
    const range = (node.RangeVar ?? target?.relation) as { schemaname?: string; relname?: string; alias?: { aliasname?: string } } | undefined;
    if (range?.relname) {
      const name = `${range.schemaname ? `${quoteIdent(range.schemaname)}.` : ''}${quoteIdent(range.relname)}`;
      ranges.push({ name, bare: range.schemaname ? null : range.relname, qualifier: range.alias?.aliasname ?? range.relname });
    }
    const fields = (node.ColumnRef as { fields?: { String?: { sval?: string }; A_Star?: unknown }[] } | undefined)?.fields;
    const last = fields?.at(-1);
    if (fields && last) {
      const column = last.A_Star !== undefined ? '*' : last.String?.sval;
      const qualifier = fields.at(-2)?.String?.sval ?? null;
      if (column) uses.push({ qualifier, column, inWhere });
    }
  });
  const reads = new Map<string, RelationRead>();
  for (const range of ranges) {
    if (range.bare !== null && ctes.has(range.bare)) continue;
    const read = reads.get(range.name) ?? { name: range.name, star: false, columns: new Set<string>(), filtered: new Set<string>() };
    reads.set(range.name, read);
    for (const use of uses) {
      if (use.qualifier !== null && use.qualifier !== range.qualifier) continue;
      if (use.column === '*') read.star = true;
      else {
        read.columns.add(use.column);
        if (use.inWhere) read.filtered.add(use.column);
      }
    }
  }
  return [...reads.values()];
}

function walk(node: unknown, inWhere: boolean, visit: (node: Record<string, unknown>, inWhere: boolean) => void): void {
  if (Array.isArray(node)) return node.forEach((n) => walk(n, inWhere, visit));
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  visit(record, inWhere);
  for (const [key, value] of Object.entries(record)) {
    // An INSERT's target relation is written, not read (nor is what its RETURNING hands back).
    if (key === 'InsertStmt') {
      const { relation: _target, returningList: _returned, ...rest } = value as Record<string, unknown>;
      walk(rest, inWhere, visit);
      continue;
    }
    walk(value, inWhere || key === 'whereClause', visit);
  }
}
