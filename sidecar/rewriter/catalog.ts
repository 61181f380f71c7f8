import type { Queryable } from '../database/queryable.ts';

/**
 * The catalog facts the rules rest on. Names are resolved with to_regclass in the session the
 * rewriter is handed (its search_path); a view's columns are never NOT NULL in pg_attribute and a
 * view has no unique index, so a rule that needs either refuses a view: conservative by construction.
 */
export interface RewriterCatalog {
  /** The column is declared NOT NULL on a table (false for an unknown table or column). */
  notNull(table: string, column: string): Promise<boolean>;
  /** The relation's column names (tables, views, foreign tables); null when the name is unknown. */
  columns(table: string): Promise<string[] | null>;
  /**
   * Some unique index (or primary key) of the table guarantees that rows differing in `columns`
   * are never equal there: its key columns are all among them, it is valid, immediate (not
   * deferrable), not partial, on plain columns with the columns' own collation and the default
   * operator class (so its equality is the `=` the statement uses), and no inheritance child adds
   * rows it does not cover. With `notNull`, every key column must be NOT NULL as well, since rows
   * with NULL keys may repeat.
   */
  unique(table: string, columns: string[], options?: { notNull?: boolean }): Promise<boolean>;
  /** The column compares with a deterministic collation (or is not of a collatable type). */
  deterministic(table: string, column: string): Promise<boolean>;
}

const UNIQUE_SQL = `
select exists (
  select 1
    from pg_index i
    join pg_class c on c.oid = i.indrelid
   where i.indrelid = to_regclass($1) and c.relkind in ('r', 'p')
     and i.indisunique and i.indisvalid and i.indimmediate and i.indpred is null and i.indexprs is null
     and not exists (select 1 from pg_inherits h where h.inhparent = c.oid and c.relkind = 'r')
     and not exists (
       select 1
         from unnest(i.indkey::int2[], i.indcollation::oid[], i.indclass::oid[]) with ordinality k(attnum, coll, opclass, n)
         left join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
         left join pg_opclass o on o.oid = k.opclass
        where k.n <= i.indnkeyatts
          and (a.attname is null or not a.attname::text = any($2::text[]) or ($3 and not a.attnotnull)
               or k.coll is distinct from a.attcollation or not o.opcdefault)
     )
) as unique`;

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
    async columns(table) {
      const { rows } = await db.query<{ names: string[] | null }>(
        `select (select array_agg(a.attname::text order by a.attnum) from pg_attribute a
                  where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as names
           from pg_class c where c.oid = to_regclass($1) and c.relkind in ('r', 'p', 'v', 'm', 'f')`,
        [table],
      );
      return rows.length === 0 ? null : (rows[0]!.names ?? []);
    },
    async unique(table, columns, options = {}) {
      const { rows } = await db.query<{ unique: boolean }>(UNIQUE_SQL, [table, columns, options.notNull === true]);
      return rows[0]?.unique === true;
    },
    async deterministic(table, column) {
      const { rows } = await db.query<{ deterministic: boolean }>(
        `select coalesce(co.collisdeterministic, true) as deterministic
           from pg_attribute a left join pg_collation co on co.oid = a.attcollation
          where a.attrelid = to_regclass($1) and a.attname = $2 and not a.attisdropped`,
        [table, column],
      );
      return rows[0]?.deterministic === true;
    },
  };
}
