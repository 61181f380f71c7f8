/**
 * Small text operations on CREATE INDEX statements, so that OptiSchema's recommendations
 * (`CREATE INDEX CONCURRENTLY name ON …`), the known best indexes (`create index on …`) and
 * pg_qualstats's suggestions (`CREATE INDEX ON t USING btree (…)`) can be compared, costed with
 * hypopg and built for real under the bench's own names.
 */

const HEAD = /^\s*create\s+(unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(?:(?!on\s)(?:"[^"]+"|[\w$]+)\s+)?on\s+(?:only\s+)?/i;
const TABLE = /^\s*create\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(?:(?!on\s)(?:"[^"]+"|[\w$]+)\s+)?on\s+(?:only\s+)?((?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))?)/i;

/** `CREATE INDEX CONCURRENTLY x ON t (a)` → `create index on t (a)`: no name, not concurrent. */
export function anonymous(ddl: string): string {
  return ddl.replace(HEAD, (_m, unique: string | undefined) => `create ${unique ? 'unique ' : ''}index on `).trim();
}

/** The same index under the bench's name `name`, built without CONCURRENTLY (a throwaway cluster). */
export function named(ddl: string, name: string): string {
  return ddl.replace(HEAD, (_m, unique: string | undefined) => `create ${unique ? 'unique ' : ''}index ${name} on `).trim();
}

/** Two statements describe the same index when their anonymous forms match (case and spacing aside). */
export function indexKey(ddl: string): string {
  return anonymous(ddl).toLowerCase().replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1').replace(/ using btree/, '');
}

/** The table an index is on, as written (`demo.orders`, quotes removed), or null: the form plans name it in. */
export function indexTable(ddl: string): string | null {
  const sql = indexTableSql(ddl);
  return sql === null ? null : sql.replace(/"/g, '');
}

/** The table an index is on as SQL names it, quotes kept (`saas."AuditEvents"`), for to_regclass and statements. */
export function indexTableSql(ddl: string): string | null {
  return ddl.match(TABLE)?.[1] ?? null;
}

/** The statement with its table replaced by `table` (a partition of the one it names). */
export function onTable(ddl: string, table: string): string {
  const match = ddl.match(TABLE);
  if (!match?.[1]) return ddl;
  const start = (match.index ?? 0) + match[0].length - match[1].length;
  return ddl.slice(0, start) + table + ddl.slice(start + match[1].length);
}

/** A short form for tables: `orders (customer_id) include (total)`. */
export function shortIndex(ddl: string): string {
  return anonymous(ddl)
    .replace(/^create (unique )?index on /i, '$1')
    .replace(/^(demo|public)\./, '')
    .replace(/ using btree /i, ' ')
    .replace(/\s+/g, ' ');
}

/** Unique by indexKey, first occurrence kept. */
export function distinctIndexes(ddls: readonly string[]): string[] {
  const seen = new Set<string>();
  return ddls.filter((ddl) => {
    const key = indexKey(ddl);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
