import { quoteIdent } from '../../../plv8/engine/quote-ident.ts';
import { columnRef, conjuncts, ownerOf, plainTables, type Node } from '../ast.ts';
import type { Rule } from './rule.ts';

/** An OFFSET at least this large reads and throws away that many rows on every page. */
export const LARGE_OFFSET = 1000;

/**
 * OFFSET pagination: the server reads every skipped row. Keyset pagination remembers the last
 * row's sort keys and starts after them. Advice only: the application passes the keys.
 */
export const offsetToKeyset: Rule = async (select) => {
  const offset = select.limitOffset?.A_Const?.ival?.ival as number | undefined;
  if (offset === undefined || offset < LARGE_OFFSET || !select.sortClause?.length) return null;
  const keys = (select.sortClause as Node[]).map((s) => columnRef(s.SortBy?.node)).filter((c) => c !== null);
  if (keys.length !== select.sortClause.length) return null;
  const names = keys.map((k) => (k!.qualifier ? `${k!.qualifier}.${k!.column}` : k!.column));
  return {
    advice: `Keyset pagination: instead of OFFSET ${offset}, remember the last row's (${names.join(', ')}) and ask for the rows after it: ` +
      `WHERE (${names.join(', ')}) > ($last) ORDER BY ${names.join(', ')} LIMIT …, with an index on (${names.join(', ')}). ` +
      'The sort keys must identify a row (add the primary key as the last key), and the directions must all be the same.',
    reason: `OFFSET ${offset} reads and discards ${offset} rows on every request before it returns any`,
  };
};

/**
 * `col LIKE '%…'` (or ILIKE): a leading wildcard defeats a btree. A trigram GIN index
 * (pg_trgm) serves it. Advice only; the index advisor cannot cost GIN with hypopg.
 */
export const leadingWildcardTrigram: Rule = async (select) => {
  const tables = plainTables(select.fromClause);
  if (!tables) return null;
  for (const part of conjuncts(select.whereClause)) {
    const e = part.A_Expr;
    if (!e || !['AEXPR_LIKE', 'AEXPR_ILIKE'].includes(e.kind)) continue;
    const pattern = e.rexpr?.A_Const?.sval?.sval as string | undefined;
    const ref = columnRef(e.lexpr);
    if (!ref || pattern === undefined || !/^[%_]/.test(pattern)) continue;
    const owner = ownerOf(ref, tables);
    if (!owner) continue;
    const table = owner.schema ? `${quoteIdent(owner.schema)}.${quoteIdent(owner.name)}` : quoteIdent(owner.name);
    return {
      advice: `CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX CONCURRENTLY ON ${table} USING gin (${quoteIdent(ref.column)} gin_trgm_ops);`,
      reason: `${e.kind === 'AEXPR_ILIKE' ? 'ILIKE' : 'LIKE'} with a leading wildcard cannot use a btree index on ${ref.column}; a trigram GIN index can`,
    };
  }
  return null;
};
