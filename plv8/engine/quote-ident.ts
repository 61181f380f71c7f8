/**
 * Keywords that cannot stand as a bare column or table name (PostgreSQL's reserved and
 * type/function-name keywords, src/include/parser/kwlist.h). Quoting a word needlessly is harmless;
 * missing one here would break the DDL, so the list errs on the side of quoting.
 */
const KEYWORDS_NEEDING_QUOTES = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation ' +
    'column concurrently constraint create cross current_catalog current_date current_role current_schema current_time ' +
    'current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze ' +
    'from full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit ' +
    'localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references ' +
    'returning right select session_user similar some symmetric system_user table tablesample then to trailing true ' +
    'union unique user using variadic verbose when where window with'
  ).split(' '),
);

/**
 * An identifier as SQL text: bare when PostgreSQL would read it back unchanged (lower-case letters,
 * digits, `_`, `$`, not a keyword), otherwise double-quoted with inner quotes doubled.
 *
 * @example quoteIdent('orders') === 'orders'; quoteIdent('Odd Table') === '"Odd Table"'; quoteIdent('a"b') === '"a""b"'
 */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !KEYWORDS_NEEDING_QUOTES.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * An identifier as a plan prints it, back to its name: a double-quoted one without its quotes and
 * with inner quotes undoubled, a bare one as it is (plans print names already folded).
 *
 * @example unquoteIdent('"Odd Table"') === 'Odd Table'; unquoteIdent('orders') === 'orders'
 */
export function unquoteIdent(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name;
}
