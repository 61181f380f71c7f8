import type { Queryable } from '../database/queryable.ts';

export interface DemoStatus {
  loaded: boolean;
  /** Row counts are the planner's estimates (pg_class.reltuples), which is enough for a status page. */
  tables: { name: string; rows: number }[];
}

export async function demoStatus(db: Queryable): Promise<DemoStatus> {
  const { rows } = await db.query<{ name: string; rows: string }>(
    `select c.relname as name, greatest(c.reltuples, 0)::bigint as rows
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'demo' and c.relkind in ('r', 'p')
      order by c.relname`,
  );
  return { loaded: rows.length > 0, tables: rows.map((row) => ({ name: row.name, rows: Number(row.rows) })) };
}
