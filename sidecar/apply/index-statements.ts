/**
 * The SQL texts an apply runs, built from the parsed recommendation and quoted names only: the
 * advisor's DDL is never run as it came, so what runs is always one of these shapes.
 */
import { createHash } from 'node:crypto';
import { quoteIdent } from '../../plv8/engine/quote-ident.ts';
import { parseIndexDdl } from '../database/index-ddl.ts';

/** A recommendation, parsed: where the index goes and what it is. */
export interface IndexSpec {
  schema: string;
  table: string;
  index: string;
  unique: boolean;
  /** USING, the keys, INCLUDE, WHERE: the same for the table and each of its partitions. */
  rest: string;
}

/** @example specOf('CREATE INDEX x_idx ON public.t USING btree (a)') // { schema: 'public', table: 't', index: 'x_idx', unique: false, rest: ' USING btree (a)' } */
export function specOf(ddl: string): IndexSpec {
  const { schema, table, index, rest } = parseIndexDdl(ddl);
  // parseIndexDdl reads past UNIQUE; it must not be lost when the statement is rebuilt.
  return { schema, table, index, unique: /^\s*create\s+unique\s/i.test(ddl), rest };
}

export const qualified = (schema: string, name: string): string => `${quoteIdent(schema)}.${quoteIdent(name)}`;

/**
 * CREATE INDEX of `spec` named `index` on `schema.table`. The index always lands in its table's
 * schema, so its name is not qualified. `only`: on the partitioned table alone (an invalid index
 * until every partition has one attached), which takes its brief ShareLock and builds nothing.
 */
export function createIndexSql(spec: IndexSpec, at: { schema: string; table: string; index: string }, mode: 'concurrently' | 'only'): string {
  const unique = spec.unique ? 'UNIQUE ' : '';
  const target = qualified(at.schema, at.table);
  return mode === 'concurrently'
    ? `CREATE ${unique}INDEX CONCURRENTLY ${quoteIdent(at.index)} ON ${target}${spec.rest}`
    : `CREATE ${unique}INDEX IF NOT EXISTS ${quoteIdent(at.index)} ON ONLY ${target}${spec.rest}`;
}

export function dropIndexSql(schema: string, index: string, concurrently: boolean): string {
  return `DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF EXISTS ${qualified(schema, index)}`;
}

export function attachIndexSql(parent: { schema: string; index: string }, child: { schema: string; index: string }): string {
  return `ALTER INDEX ${qualified(parent.schema, parent.index)} ATTACH PARTITION ${qualified(child.schema, child.index)}`;
}

/** PostgreSQL's NAMEDATALEN − 1: longer names are truncated by the server, silently. */
const MAX_NAME_BYTES = 63;

/**
 * The name of the index a recommendation puts on one partition: `<partition>_<8 hex>_idx`, the hex
 * from md5 of the recommended index's qualified name and the partition's, so a rerun finds the same
 * name (and continues), two recommendations on one table never share one, and two partitions whose
 * names agree in their first 50 bytes do not either. At most 63 bytes, cut on a character boundary.
 *
 * @example childIndexName('public.measurements_x_idx', 'public', 'measurements_2024') // 'measurements_2024_3f2a9c1e_idx'
 */
export function childIndexName(rootIndex: string, schema: string, table: string): string {
  const hash = createHash('md5').update(`${rootIndex}\u0000${qualified(schema, table)}`).digest('hex').slice(0, 8);
  const suffix = `_${hash}_idx`;
  let head = '';
  for (const char of table) {
    if (Buffer.byteLength(head + char) + suffix.length > MAX_NAME_BYTES) break;
    head += char;
  }
  return head + suffix;
}
