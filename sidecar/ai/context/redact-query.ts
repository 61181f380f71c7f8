import { parse } from 'libpg-query';
import { deparse } from 'pgsql-deparser';

/**
 * A statement without its values, as the model may see it when the tenant has not allowed
 * literals: every constant becomes `$n` (numbered after any `$n` the statement already has, as
 * pg_stat_statements prints them), comments are gone (they are free text: sqlcommenter tags,
 * user ids, instructions aimed at the model), and the text is PostgreSQL's own parse tree printed
 * back by pgsql-deparser.
 *
 * Why not libpg-query's `normalize`: the `libpg-query` package (v17) exports only `parse`; its
 * normalize lives in another build (`@libpg-query/parser`), and it keeps comments, which may
 * carry values. The parse tree gives the same `$n` and drops comments.
 *
 * Kept as written, because they are the statement's shape, not data: NULL, a type's modifiers
 * (`varchar(10)`), `ORDER BY 1` / `GROUP BY 1` positions and EXTRACT's field.
 *
 * @example
 *   await redactQuery("select * from t where email = 'a@b.c' and n > 3 order by 1");
 *   // 'SELECT *\nFROM t\nWHERE\n  email = $1\n  AND n > $2\nORDER BY\n  1'
 */
export async function redactQuery(sql: string): Promise<string> {
  const tree = (await parse(sql)) as unknown;
  let next = highestParam(tree) + 1;
  const visit = (node: unknown, keep: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => visit(n, keep));
    if (typeof node !== 'object' || node === null) return node;
    const record = node as Record<string, unknown>;
    if ('A_Const' in record) {
      const constant = record.A_Const as { isnull?: boolean; ival?: unknown };
      if (constant.isnull || (keep && 'ival' in constant)) return record;
      return { ParamRef: { number: next++ } };
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (key === 'typmods') out[key] = value;
      else if (key === 'args' && isExtract(record) && Array.isArray(value)) out[key] = [value[0], ...value.slice(1).map((v) => visit(v, false))];
      else out[key] = visit(value, keepsPositions(record, key));
    }
    return out;
  };
  return (await deparse(visit(tree, false) as never)).trim();
}

/** The values a statement's constants hold, as text: what must not reach the model from elsewhere either. */
export async function queryConstants(sql: string): Promise<string[]> {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    const constant = record.A_Const as Record<string, Record<string, unknown> | undefined> | undefined;
    if (constant) {
      // One key per kind, the value under the same name inside (protobuf JSON: a zero is `{}`).
      for (const kind of ['sval', 'ival', 'fval', 'bsval'] as const) {
        if (constant[kind] !== undefined) found.add(String(constant[kind]![kind] ?? 0));
      }
    }
    Object.values(record).forEach(visit);
  };
  visit(await parse(sql));
  return [...found].sort();
}

/** Whether an integer constant directly under `record[key]` is a position (ORDER BY 1, GROUP BY 1, ROLLUP (1)), not a value. */
function keepsPositions(record: Record<string, unknown>, key: string): boolean {
  if (key === 'groupClause') return true;
  if (key === 'content') return String(record.kind ?? '').startsWith('GROUPING_SET');
  return key === 'node' && 'sortby_dir' in record;
}

/** EXTRACT(year FROM …): the parser makes the field a string constant; it is a keyword. */
function isExtract(record: Record<string, unknown>): boolean {
  const name = record.funcname as { String?: { sval?: string } }[] | undefined;
  return record.funcformat === 'COERCE_SQL_SYNTAX' && name?.[name.length - 1]?.String?.sval === 'extract';
}

function highestParam(node: unknown): number {
  if (Array.isArray(node)) return Math.max(0, ...node.map(highestParam));
  if (typeof node !== 'object' || node === null) return 0;
  const record = node as Record<string, unknown>;
  const own = 'ParamRef' in record ? Number((record.ParamRef as { number?: number }).number ?? 0) : 0;
  return Math.max(own, ...Object.values(record).map(highestParam));
}
