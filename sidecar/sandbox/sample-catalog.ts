/**
 * What a sample needs to know of the source's schema: the tables that hold rows, the columns COPY
 * may carry, and the foreign keys whose referenced rows the sample must bring along. One catalog
 * query each, raw rows mapped to domain types by pure functions.
 */
import type pg from 'pg';
import { quoteIdent } from '../../plv8/engine/quote-ident.ts';
import { SELECTED_SCHEMA_SQL, selectionParams, type SchemaSelection } from './dump-selection.ts';

export interface SampleTable {
  oid: number;
  schema: string;
  name: string;
  /** 'r' holds rows (a partition leaf too), 'p' is a partitioned parent that holds none of its own. */
  kind: 'r' | 'p';
  /** Columns COPY carries: generated columns are left out (COPY FROM refuses them; they are recomputed). */
  columns: string[];
}

export interface SampleForeignKey {
  name: string;
  child: SampleTable;
  parent: SampleTable;
  /** Referencing columns, in the constraint's order. */
  childColumns: string[];
  /** Referenced columns, in the same order, and their types (format_type, quoted as SQL needs). */
  parentColumns: string[];
  parentTypes: string[];
}

interface TableRow {
  oid: number;
  schema: string;
  name: string;
  kind: 'r' | 'p';
  columns: string[];
}

interface ForeignKeyRow {
  name: string;
  child_oid: number;
  parent_oid: number;
  child_columns: string[];
  parent_columns: string[];
  parent_types: string[];
}

/** Tables of the selection (ordinary, partition leaves, partitioned parents), none an extension owns. */
export async function sampleTables(client: pg.ClientBase, selection: SchemaSelection): Promise<SampleTable[]> {
  const result = await client.query<TableRow>(
    `select c.oid::int8::float8 as oid, n.nspname as schema, c.relname as name, c.relkind as kind,
            array(select a.attname from pg_attribute a
                   where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
                   order by a.attnum)::text[] as columns
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and ${SELECTED_SCHEMA_SQL}
        and not exists (select from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
      order by 2, 3`,
    selectionParams(selection),
  );
  return result.rows.map((row) => ({ ...row, oid: Number(row.oid) }));
}

/**
 * Foreign keys between those tables. A key declared on a partitioned table appears once more on
 * every partition (conparentid set, and again for each partition of a partitioned referenced
 * table): only the declared one is kept; reading the partitioned tables themselves covers the rest.
 */
export async function sampleForeignKeys(client: pg.ClientBase, tables: SampleTable[]): Promise<SampleForeignKey[]> {
  const result = await client.query<ForeignKeyRow>(
    `select con.conname as name, con.conrelid::int8::float8 as child_oid, con.confrelid::int8::float8 as parent_oid,
            array(select a.attname from unnest(con.conkey) with ordinality k(attnum, i)
                    join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.i)::text[] as child_columns,
            array(select a.attname from unnest(con.confkey) with ordinality k(attnum, i)
                    join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.i)::text[] as parent_columns,
            array(select format_type(a.atttypid, a.atttypmod) from unnest(con.confkey) with ordinality k(attnum, i)
                    join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.i)::text[] as parent_types
       from pg_constraint con
      where con.contype = 'f' and con.conparentid = 0 and con.conrelid = any($1::oid[])
      order by 2, 1`,
    [tables.map((t) => t.oid)],
  );
  return foreignKeysOf(result.rows, tables);
}

/** Raw rows to domain foreign keys; one whose referenced table is outside the selection is not followed. */
export function foreignKeysOf(rows: ForeignKeyRow[], tables: SampleTable[]): SampleForeignKey[] {
  const byOid = new Map(tables.map((t) => [t.oid, t]));
  return rows.flatMap((row) => {
    const child = byOid.get(Number(row.child_oid));
    const parent = byOid.get(Number(row.parent_oid));
    if (!child || !parent) return [];
    return [{ name: row.name, child, parent, childColumns: row.child_columns, parentColumns: row.parent_columns, parentTypes: row.parent_types }];
  });
}

/** The table as SQL text, schema-qualified and quoted. */
export function tableSql(table: SampleTable): string {
  return `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
}

/**
 * The table's rows as a foreign key sees them: ONLY for an ordinary table (a key on an inheritance
 * parent covers the parent's own rows, not its children's), the whole for a partitioned one.
 */
export function rowsSql(table: SampleTable): string {
  return table.kind === 'p' ? tableSql(table) : `only ${tableSql(table)}`;
}

/** The COPY column list, `(a, "B")`. */
export function columnListSql(table: SampleTable): string {
  return `(${table.columns.map(quoteIdent).join(', ')})`;
}
