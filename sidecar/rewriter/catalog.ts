import type { Queryable } from '../database/queryable.ts';

/**
 * The catalog facts the rules rest on. Names are resolved with to_regclass in the session the
 * rewriter is handed (its search_path); a view's columns are never NOT NULL in pg_attribute, so a
 * rule that needs NOT NULL refuses a view: conservative by construction.
 */
export interface RewriterCatalog {
  /** The column is declared NOT NULL on a table (false for an unknown table or column). */
  notNull(table: string, column: string): Promise<boolean>;
}

export function rewriterCatalog(db: Queryable): RewriterCatalog {
  return {
    async notNull(table, column) {
      const { rows } = await db.query<{ not_null: boolean }>(
        `select a.attnotnull as not_null from pg_attribute a join pg_class c on c.oid = a.attrelid
          where a.attrelid = to_regclass($1) and a.attname = $2 and c.relkind in ('r', 'p') and not a.attisdropped`,
        [table, column],
      );
      return rows[0]?.not_null === true;
    },
  };
}
