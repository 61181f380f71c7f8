/**
 * ANALYZE of a freshly filled sandbox. pg_dump carries no planner statistics (PostgreSQL 15; 18 may)
 * and a sample has none of its own, so without it the planner would judge the copy by defaults and
 * choose plans production never sees. One table at a time, so a job can say how far it is.
 */
import type pg from 'pg';
import { quoteIdent } from '../../plv8/engine/quote-ident.ts';

interface TableRow {
  schema: string;
  name: string;
}

/**
 * Analyzes every table of the database `client` is connected to (partitioned parents too: their
 * statistics over all partitions are what the planner reads for them), reporting after each.
 *
 * @example await analyzeDatabase(sandbox, (done, total) => console.log(`analyzed ${done} of ${total}`));
 */
export async function analyzeDatabase(client: pg.ClientBase, onTable?: (done: number, total: number) => void): Promise<number> {
  const tables = await client.query<TableRow>(
    `select n.nspname as schema, c.relname as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'm') and (c.relkind <> 'm' or c.relispopulated)
        and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp)'
      order by 1, 2`,
  );
  let done = 0;
  onTable?.(0, tables.rows.length);
  for (const table of tables.rows) {
    await client.query(`analyze ${quoteIdent(table.schema)}.${quoteIdent(table.name)}`);
    onTable?.(++done, tables.rows.length);
  }
  return done;
}
