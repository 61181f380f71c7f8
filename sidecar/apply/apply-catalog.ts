/**
 * What an apply reads of the target's catalog, one query per function, raw rows mapped to small
 * typed records. Oids travel as text (pg returns oid columns as strings anyway).
 */
import type pg from 'pg';

export interface TableFacts {
  oid: string;
  /** pg_class.relkind: 'r' table, 'p' partitioned table, 'm' materialized view, … */
  relkind: string;
}

/** The table `qualified` (quoted, schema-qualified) names, or null when there is none. */
export async function tableNamed(target: pg.ClientBase, qualified: string): Promise<TableFacts | null> {
  const { rows } = await target.query<TableFacts>(`select c.oid::text as oid, c.relkind::text as relkind from pg_class c where c.oid = to_regclass($1)`, [qualified]);
  return rows[0] ?? null;
}

export interface IndexFacts {
  oid: string;
  /** 'i' index, 'I' partitioned index; anything else is another kind of relation of that name. */
  relkind: string;
  /** The table it indexes (null when the relation is not an index). */
  tableOid: string | null;
  valid: boolean;
  /** The partitioned index it is attached to, if any. */
  parentIndexOid: string | null;
}

/** The relation named `name` in `schema`, as an index, or null when there is none. */
export async function relationNamed(target: pg.ClientBase, schema: string, name: string): Promise<IndexFacts | null> {
  const { rows } = await target.query<{ oid: string; relkind: string; table_oid: string | null; valid: boolean | null; parent_index_oid: string | null }>(
    `select c.oid::text as oid, c.relkind::text as relkind, x.indrelid::text as table_oid, x.indisvalid as valid, h.inhparent::text as parent_index_oid
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       left join pg_index x on x.indexrelid = c.oid
       left join pg_inherits h on h.inhrelid = c.oid
      where n.nspname = $1 and c.relname = $2`,
    [schema, name],
  );
  const row = rows[0];
  if (!row) return null;
  return { oid: row.oid, relkind: row.relkind, tableOid: row.table_oid, valid: row.valid === true, parentIndexOid: row.parent_index_oid };
}

export interface Partition {
  oid: string;
  schema: string;
  table: string;
  relkind: string;
}

/** The direct partitions of the partitioned table `tableOid`, in a stable order. */
export async function partitionsOf(target: pg.ClientBase, tableOid: string): Promise<Partition[]> {
  const { rows } = await target.query<Partition>(
    `select c.oid::text as oid, n.nspname as schema, c.relname as table, c.relkind::text as relkind
       from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_namespace n on n.oid = c.relnamespace
      where i.inhparent = $1::oid
      order by n.nspname, c.relname`,
    [tableOid],
  );
  return rows;
}

/** Whether the index `indexOid` is valid (a partitioned one: all its partitions have a valid index attached). */
export async function isIndexValid(target: pg.ClientBase, indexOid: string): Promise<boolean> {
  const { rows } = await target.query<{ valid: boolean }>(`select indisvalid as valid from pg_index where indexrelid = $1::oid`, [indexOid]);
  return rows[0]?.valid === true;
}
