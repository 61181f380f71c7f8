import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Queryable } from '../../database/queryable.ts';
import type { Finding } from '../finding.ts';
import { formatBytes, qualified } from './names.ts';
import type { SchemaOptions } from './options.ts';
import type { Relation } from './relations.ts';
import { alignUp, dataBytes, headerBytes, MAXALIGN } from './tuple-layout.ts';

const PGSTATTUPLE_SQL = readFileSync(new URL('./pgstattuple.sql', import.meta.url), 'utf8');

/** SizeOfPageHeaderData, and one ItemIdData (line pointer) per tuple: bufpage.h, itemid.h. */
const PAGE_HEADER_BYTES = 24;
const LINE_POINTER_BYTES = 4;

// pgstattuple_approx reads the pages the visibility map does not mark all-visible: an approximate
// scan, which the runner's statement timeout bounds. The extension's schema is spliced in quoted.
const measureSql = (schema: string) =>
  `select table_len::float8, dead_tuple_len::float8, approx_free_space::float8 from ${qualified(schema, 'pgstattuple_approx')}($1::oid::regclass)`;

export interface BloatEstimate {
  relation: Relation;
  expectedPages: number;
  wastedBytes: number;
  wastedShare: number;
  tupleBytes: number;
}

/**
 * The simple bloat model: a tuple takes its header (23 bytes + null bitmap, MAXALIGNed) plus the
 * data tuple-layout.ts estimates from pg_stats widths, rounded to MAXALIGN, plus a 4-byte line
 * pointer; a page holds (block size − 24-byte header) × fillfactor of them; the table needs
 * reltuples / that many pages. What relpages has beyond it is dead tuples and free space (an
 * estimate; TOAST is not counted). Null for a relation without pages, a row estimate or statistics.
 */
export function estimateBloat(relation: Relation): BloatEstimate | null {
  if (relation.kind === 'partitioned' || relation.rows === null || relation.relpages === 0) return null;
  const data = dataBytes(relation.columns);
  if (data === null) return null;
  const mayHaveNulls = relation.columns.some((c) => !c.notNull);
  const tupleBytes = alignUp(headerBytes(relation.columns.length, mayHaveNulls) + data, MAXALIGN) + LINE_POINTER_BYTES;
  const usable = ((relation.blockSize - PAGE_HEADER_BYTES) * relation.fillfactor) / 100;
  const perPage = Math.max(1, Math.floor(usable / tupleBytes));
  const expectedPages = Math.ceil(relation.rows / perPage);
  const wastedPages = Math.max(0, relation.relpages - expectedPages);
  return { relation, expectedPages, tupleBytes, wastedBytes: wastedPages * relation.blockSize, wastedShare: wastedPages / relation.relpages };
}

export interface BloatMeasure {
  tableBytes: number;
  deadBytes: number;
  freeBytes: number;
  /** Dead tuples plus free space beyond what the fillfactor reserves. */
  wastedBytes: number;
}

/** Whether pgstattuple_approx may be called here, and from which schema; a note says why not. */
export async function pgstattupleSchema(target: Queryable, notes: string[]): Promise<string | null> {
  const row = (await target.query<{ schema_name: string; allowed: boolean }>(PGSTATTUPLE_SQL)).rows[0];
  if (!row) notes.push('table_bloat: pgstattuple is not installed, so bloat is estimated from statistics (CREATE EXTENSION pgstattuple to measure it)');
  else if (!row.allowed) notes.push('table_bloat: this role may not execute pgstattuple_approx, so bloat is estimated from statistics (GRANT pg_stat_scan_tables to measure it)');
  return row?.allowed ? row.schema_name : null;
}

const RawMeasure = z.object({ table_len: z.number(), dead_tuple_len: z.number(), approx_free_space: z.number() });

/** Measures one relation with pgstattuple_approx. */
export async function measureBloat(target: Queryable, schema: string, relation: Relation): Promise<BloatMeasure> {
  const { rows } = await target.query(measureSql(schema), [relation.oid]);
  const raw = RawMeasure.parse(rows[0]);
  const reserved = (raw.table_len * (100 - relation.fillfactor)) / 100;
  return {
    tableBytes: raw.table_len,
    deadBytes: raw.dead_tuple_len,
    freeBytes: raw.approx_free_space,
    wastedBytes: Math.max(0, raw.dead_tuple_len + raw.approx_free_space - reserved),
  };
}

/** The estimates worth reporting (or measuring). */
export function bloatCandidates(relations: readonly Relation[], options: SchemaOptions): BloatEstimate[] {
  return relations
    .map(estimateBloat)
    .filter((e): e is BloatEstimate => e !== null && e.wastedShare >= options.bloatMinShare && e.wastedBytes >= options.bloatMinBytes);
}

/**
 * table_bloat: a table (or partition, or materialized view: each has its own pages) with at least
 * 30 % and 10 MB wasted. The estimate picks candidates; where pgstattuple_approx is allowed it
 * measures them and only a measured bloat above the thresholds is reported.
 */
export function tableBloat(estimate: BloatEstimate, measured: BloatMeasure | null, options: SchemaOptions): Finding | null {
  const relation = estimate.relation;
  const tableBytes = measured ? measured.tableBytes : relation.relpages * relation.blockSize;
  const wasted = measured ? measured.wastedBytes : estimate.wastedBytes;
  const share = tableBytes > 0 ? wasted / tableBytes : 0;
  if (share < options.bloatMinShare || wasted < options.bloatMinBytes) return null;
  const table = qualified(relation.schema, relation.name);
  const how = measured
    ? `measured with pgstattuple_approx: ${formatBytes(measured.deadBytes)} of dead tuples and ${formatBytes(measured.freeBytes)} of free space in ${formatBytes(measured.tableBytes)}` +
      (relation.fillfactor < 100 ? `, less the ${100 - relation.fillfactor} % fillfactor reserve` : '')
    : `estimated from statistics: ${Math.round(relation.rows ?? 0)} rows (pg_class.reltuples) of about ${estimate.tupleBytes} bytes each (pg_stats widths, header and line pointer) ` +
      `fill about ${estimate.expectedPages} pages at fillfactor ${relation.fillfactor}, the table has ${relation.relpages} (pg_class.relpages)`;
  const rewrite = relation.kind === 'matview' ? `REFRESH MATERIALIZED VIEW ${table};` : `VACUUM FULL ${table};`;
  return {
    kind: 'schema',
    rule: 'table_bloat',
    subject: relation.subject,
    table: relation.subject,
    title: `${relation.subject} is about ${Math.round(share * 100)} % bloat (${formatBytes(wasted)} wasted, ${measured ? 'measured' : 'estimate'})`,
    rationale:
      `${formatBytes(wasted)} of ${formatBytes(tableBytes)} is space no live row uses (${how}). VACUUM makes it reusable but does not return it; ` +
      `only a rewrite shrinks the table. VACUUM FULL holds ACCESS EXCLUSIVE for the whole rewrite (no reads or writes) and needs room for a full copy; ` +
      `pg_repack rewrites online with a brief lock at the end. A rewrite cannot be undone, and needs none.`,
    sql: [
      `-- Online, with the pg_repack extension and client: pg_repack --dbname <database> --table '${table.replaceAll("'", "'\\''")}' (brief ACCESS EXCLUSIVE at the swap)`,
      `-- Or, blocking every read and write of ${table} for the whole rewrite (ACCESS EXCLUSIVE):`,
      rewrite,
    ].join('\n'),
    rollbackSql: null,
    risk: 'high',
    evidence: {
      tableBytes,
      wastedBytes: wasted,
      wastedShare: share,
      source: measured ? 'measured with pgstattuple_approx' : 'estimate: reltuples × estimated row width vs relpages',
      ...(measured ? { deadTupleBytes: measured.deadBytes, freeBytes: measured.freeBytes } : {}),
      estimate: { expectedPages: estimate.expectedPages, relpages: relation.relpages, tupleBytes: estimate.tupleBytes, wastedBytes: estimate.wastedBytes, wastedShare: estimate.wastedShare },
      fillfactor: relation.fillfactor,
      thresholds: { minShare: options.bloatMinShare, minBytes: options.bloatMinBytes },
    },
  };
}
