import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Queryable } from '../../database/queryable.ts';
import { qualified } from './names.ts';
import { statementReads } from './statement-reads.ts';

const AVAILABILITY_SQL = readFileSync(new URL('./top-statements.sql', import.meta.url), 'utf8');
const RESOLVE_SQL = readFileSync(new URL('./resolve-relations.sql', import.meta.url), 'utf8');

// The top statements of this database by total execution time. The view's schema is wherever the
// extension was created, so it is spliced in quoted; the values are bind parameters.
const statementsSql = (schema: string) => `
select s.queryid::text as queryid, s.calls::float8 as calls, s.total_exec_time::float8 as total_ms, s.query
  from ${qualified(schema, 'pg_stat_statements')} s
 where s.dbid = (select d.oid from pg_catalog.pg_database d where d.datname = current_database())
 order by s.total_exec_time desc
 limit $1`;

const RawStatement = z.object({ queryid: z.string().nullable(), calls: z.number(), total_ms: z.number(), query: z.string().nullable() });

/** One top statement's use of one table (partitions folded into their root). */
export interface TableUse {
  queryid: string;
  calls: number;
  totalMs: number;
  star: boolean;
  columns: Set<string>;
  filtered: Set<string>;
}

export interface Workload {
  /** False when pg_stat_statements cannot be read: no statement evidence at all. */
  available: boolean;
  /** How many top statements were looked at. */
  statements: number;
  /** Uses per table oid (a partitioned table's root oid). */
  byTable: Map<number, TableUse[]>;
}

/**
 * Reads the workload's top statements from pg_stat_statements and parses which tables and columns
 * each reads. Missing or unreadable pg_stat_statements gives `available: false` and a note, never
 * an error. Names resolve under this session's search_path, which may differ from the author's.
 */
export async function readWorkload(target: Queryable, limit: number, notes: string[]): Promise<Workload> {
  const empty: Workload = { available: false, statements: 0, byTable: new Map() };
  const availability = (await target.query<{ schema_name: string; loaded: boolean; readable: boolean }>(AVAILABILITY_SQL)).rows[0];
  if (!availability) return note(notes, 'pg_stat_statements is not installed: which columns the workload reads is unknown', empty);
  if (!availability.loaded) return note(notes, 'pg_stat_statements is not in shared_preload_libraries: which columns the workload reads is unknown', empty);
  if (!availability.readable) return note(notes, 'pg_stat_statements is not readable by this role: which columns the workload reads is unknown', empty);
  const { rows } = await target.query(statementsSql(availability.schema_name), [limit]);
  const statements = rows.map((row) => RawStatement.parse(row));
  let unreadable = 0;
  const parsed: { statement: z.infer<typeof RawStatement>; reads: Awaited<ReturnType<typeof statementReads>> }[] = [];
  for (const statement of statements) {
    // Another role's text reads '<insufficient privilege>' without pg_read_all_stats.
    if (statement.query === null || statement.queryid === null) {
      unreadable += 1;
      continue;
    }
    const reads = await statementReads(statement.query).catch(() => null);
    if (reads === null) unreadable += 1;
    else parsed.push({ statement, reads });
  }
  if (unreadable > 0) notes.push(`${unreadable} of the top ${statements.length} statements could not be read or parsed (another role's text needs pg_read_all_stats)`);
  const names = [...new Set(parsed.flatMap((p) => p.reads.map((r) => r.name)))];
  const resolved = new Map<string, number>();
  if (names.length > 0) {
    const { rows: found } = await target.query<{ name: string; oid: string }>(RESOLVE_SQL, [names]);
    for (const row of found) resolved.set(row.name, Number(row.oid));
  }
  const byTable = new Map<number, TableUse[]>();
  for (const { statement, reads } of parsed) {
    const uses = new Map<number, TableUse>();
    for (const read of reads) {
      const oid = resolved.get(read.name);
      if (oid === undefined) continue;
      const use = uses.get(oid) ?? { queryid: statement.queryid!, calls: statement.calls, totalMs: statement.total_ms, star: false, columns: new Set(), filtered: new Set() };
      use.star ||= read.star;
      read.columns.forEach((c) => use.columns.add(c));
      read.filtered.forEach((c) => use.filtered.add(c));
      uses.set(oid, use);
    }
    for (const [oid, use] of uses) byTable.set(oid, [...(byTable.get(oid) ?? []), use]);
  }
  return { available: true, statements: statements.length, byTable };
}

function note(notes: string[], line: string, result: Workload): Workload {
  notes.push(line);
  return result;
}
