import type pg from 'pg';
import { quoteIdent } from '../../plv8/engine/quote-ident.ts';

/**
 * The data a rewrite must also be right on, made in the sandbox inside the caller's transaction
 * (which is rolled back): each table the statements read emptied, and the nullable columns they
 * mention set to NULL in about a third of the rows. NOT IN and NOT EXISTS, IN and a join, count
 * and EXISTS agree on most data and part on exactly these.
 */
export interface EdgeCase {
  name: string;
  /** Our own statements, run on the sandbox before the two statements are compared. */
  setup: string[];
}

export interface TableColumns {
  schema: string;
  table: string;
  /** Nullable, not generated, mentioned by the statements. */
  nullable: string[];
}

/** The tables behind `names` (as written in the statements) and their nullable mentioned columns. */
export async function edgeCaseTables(sandbox: pg.ClientBase, names: readonly string[], columns: readonly string[]): Promise<TableColumns[]> {
  const { rows } = await sandbox.query<{ schema: string; table: string; nullable: string[] }>(
    `select n.nspname::text as schema, c.relname::text as table,
            coalesce(array_agg(a.attname::text order by a.attnum) filter (where a.attname is not null), '{}'::text[]) as nullable
       from unnest($1::text[]) w(name)
       join pg_class c on c.oid = to_regclass(w.name) and c.relkind in ('r', 'p')
       join pg_namespace n on n.oid = c.relnamespace
       left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and not a.attnotnull
                               and a.attgenerated = '' and a.attname = any ($2::text[])
      group by n.nspname, c.relname
      order by 1, 2`,
    [[...names], [...columns]],
  );
  return rows;
}

export function edgeCases(tables: readonly TableColumns[]): EdgeCase[] {
  const qualified = (t: TableColumns) => `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`;
  const cases: EdgeCase[] = tables.map((t) => ({ name: `empty ${t.schema}.${t.table}`, setup: [`truncate ${qualified(t)} cascade`] }));
  const withNulls = tables.filter((t) => t.nullable.length > 0);
  if (withNulls.length > 0) {
    cases.push({
      name: `nulls in ${withNulls.flatMap((t) => t.nullable.map((c) => `${t.table}.${c}`)).join(', ')}`,
      // Every third row by physical position: deterministic for one sandbox, spread over the table.
      setup: withNulls.map((t) =>
        `update ${qualified(t)} set ${t.nullable.map((c) => `${quoteIdent(c)} = null`).join(', ')} where ctid in (select ctid from ${qualified(t)} t where (('x' || substr(md5(t.ctid::text), 1, 8))::bit(32)::int % 3) = 0)`),
    });
  }
  return cases;
}
