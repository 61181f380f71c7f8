/**
 * Moves rows from one database to another, possibly on another server, as COPY streams: the
 * source's `COPY (query) TO STDOUT` piped into the destination's `COPY table FROM STDIN`, in
 * PostgreSQL's text format, never a row at a time through JavaScript values.
 */
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/**
 * Both sessions must agree on how values are written as text, or a date could be read back
 * day-for-month: the settings pg_dump uses for the same reason, set on each session once.
 */
export const COPY_SESSION_SETTINGS =
  "set datestyle = 'ISO, YMD'; set intervalstyle = 'postgres'; set extra_float_digits = 3; set timezone = 'UTC'";

/**
 * Streams the rows of `query` (a SELECT, run on `source`) into `into` (`table (columns)`, on
 * `destination`) and returns how many rows arrived.
 *
 * @example await copyBetween(source, 'select id, name from only public.customers', sandbox, 'public.customers (id, name)');
 */
export async function copyBetween(source: pg.ClientBase, query: string, destination: pg.ClientBase, into: string): Promise<number> {
  const reading = source.query(copyTo(`copy (${query}) to stdout`));
  const writing = destination.query(copyFrom(`copy ${into} from stdin`));
  await pipeline(reading, writing);
  return writing.rowCount;
}
