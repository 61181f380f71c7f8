import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Queryable } from '../../database/queryable.ts';
import { EXCLUDED_SCHEMAS } from './options.ts';

const RELATIONS_SQL = readFileSync(new URL('./relations.sql', import.meta.url), 'utf8');

const RawColumn = z.object({
  name: z.string(),
  attnum: z.number(),
  type: z.string(),
  type_name: z.string(),
  varchar_length: z.number().nullable(),
  attlen: z.number(),
  attalign: z.enum(['c', 's', 'i', 'd']),
  not_null: z.boolean(),
  default: z.string().nullable(),
  generated: z.string(),
  identity: z.string(),
  collation: z.string().nullable(),
  avg_width: z.number().nullable(),
  correlation: z.number().nullable(),
});

/** The raw row of relations.sql, validated as it enters. */
const RawRelation = z.object({
  oid: z.coerce.number(),
  schema_name: z.string(),
  table_name: z.string(),
  relkind: z.enum(['r', 'p', 'm']),
  is_partition: z.boolean(),
  relpages: z.coerce.number(),
  reltuples: z.number().nullable(),
  fillfactor: z.number(),
  partition_key: z.string().nullable(),
  block_size: z.number(),
  table_bytes: z.coerce.number(),
  n_tup_ins: z.number(),
  n_tup_del: z.number(),
  has_primary_key: z.boolean(),
  primary_key: z.array(z.object({ name: z.string(), type: z.string() })),
  columns: z.array(RawColumn),
});

export interface Column {
  name: string;
  attnum: number;
  /** As format_type prints it: `character varying(1000)`, `bigint`. */
  type: string;
  typeName: string;
  varcharLength: number | null;
  /** pg_attribute.attlen: bytes, or -1 (varlena) / -2 (cstring) for variable length. */
  attlen: number;
  /** pg_attribute.attalign: c = 1, s = 2, i = 4, d = 8 bytes. */
  attalign: 'c' | 's' | 'i' | 'd';
  notNull: boolean;
  defaultExpr: string | null;
  /** pg_attribute.attgenerated: 's' for a stored generated column, '' otherwise. */
  generated: string;
  /** pg_attribute.attidentity: 'a' (always), 'd' (by default), '' otherwise. */
  identity: string;
  collation: string | null;
  /** pg_stats.avg_width: average stored bytes (estimate from ANALYZE's sample); null before ANALYZE. */
  avgWidth: number | null;
  correlation: number | null;
}

export interface Relation {
  oid: number;
  schema: string;
  name: string;
  /** `schema.table` as the catalog names it. */
  subject: string;
  kind: 'table' | 'partitioned' | 'matview';
  isPartition: boolean;
  relpages: number;
  /** Estimated rows (pg_class.reltuples, leaves summed for a partitioned table); null when never analyzed. */
  rows: number | null;
  fillfactor: number;
  /** A partitioned table's key as pg_get_partkeydef prints it (`RANGE (created_at)`). */
  partitionKey: string | null;
  blockSize: number;
  tableBytes: number;
  /** Since the statistics reset (pg_stat_all_tables), leaves summed for a partitioned table. */
  inserts: number;
  deletes: number;
  hasPrimaryKey: boolean;
  primaryKey: { name: string; type: string }[];
  columns: Column[];
}

const KINDS = { r: 'table', p: 'partitioned', m: 'matview' } as const;

/** Reads every user table and materialized view of the target (one catalog query). */
export async function readRelations(target: Queryable): Promise<Relation[]> {
  const { rows } = await target.query(RELATIONS_SQL, [EXCLUDED_SCHEMAS]);
  return rows.map((row) => toRelation(RawRelation.parse(row)));
}

function toRelation(raw: z.infer<typeof RawRelation>): Relation {
  return {
    oid: raw.oid,
    schema: raw.schema_name,
    name: raw.table_name,
    subject: `${raw.schema_name}.${raw.table_name}`,
    kind: KINDS[raw.relkind],
    isPartition: raw.is_partition,
    relpages: raw.relpages,
    rows: raw.reltuples,
    fillfactor: raw.fillfactor,
    partitionKey: raw.partition_key,
    blockSize: raw.block_size,
    tableBytes: raw.table_bytes,
    inserts: raw.n_tup_ins,
    deletes: raw.n_tup_del,
    hasPrimaryKey: raw.has_primary_key,
    primaryKey: raw.primary_key,
    columns: raw.columns.map((c) => ({
      name: c.name,
      attnum: c.attnum,
      type: c.type,
      typeName: c.type_name,
      varcharLength: c.varchar_length,
      attlen: c.attlen,
      attalign: c.attalign,
      notNull: c.not_null,
      defaultExpr: c.default,
      generated: c.generated,
      identity: c.identity,
      collation: c.collation,
      avgWidth: c.avg_width,
      correlation: c.correlation,
    })),
  };
}
