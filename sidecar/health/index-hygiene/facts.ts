/**
 * The index hygiene advisor's facts: index-facts.sql's one row, validated as it enters, and the
 * domain objects the rules read. Raw rows are snake_case as the SQL names them; the mapping is pure.
 *
 * Glossary.
 *  - top-level index: an index not attached to a parent index. A partitioned table's index is
 *    judged as a whole through its parent; an index attached below it is never a subject.
 *  - key signature: what makes two indexes interchangeable for the planner — access method, key
 *    columns or expressions in order with their operator classes, collations and orderings,
 *    predicate and INCLUDE columns.
 */
import { z } from 'zod';

const numeric = z.union([z.number(), z.string()]).transform(Number);

const RawIndex = z.object({
  schema: z.string(),
  table: z.string(),
  index: z.string(),
  am: z.string(),
  partitioned: z.boolean(),
  keys: z.array(z.string()),
  key_attnums: z.array(z.number()),
  opclasses: z.array(z.string()),
  collations: z.array(z.string()),
  options: z.array(z.number()),
  include: z.array(z.string()),
  predicate: z.string().nullable(),
  unique: z.boolean(),
  primary: z.boolean(),
  valid: z.boolean(),
  nulls_not_distinct: z.boolean(),
  constraint_type: z.enum(['p', 'u', 'x']).nullable(),
  parent_index: z.string().nullable(),
  scans: numeric,
  bytes: numeric,
  table_writes: numeric,
  definition: z.string(),
});

const RawForeignKey = z.object({
  name: z.string(),
  schema: z.string(),
  table: z.string(),
  partitioned: z.boolean(),
  columns: z.array(z.string()),
  attnums: z.array(z.number()),
  parent_schema: z.string(),
  parent_table: z.string(),
  parent_deletes: numeric,
  parent_updates: numeric,
});

export const RawIndexFacts = z.object({
  stats_reset: z.union([z.date(), z.string()]).nullable(),
  indexes: z.array(RawIndex),
  foreign_keys: z.array(RawForeignKey),
});
export type RawIndexFacts = z.input<typeof RawIndexFacts>;

export interface IndexFact {
  schema: string;
  table: string;
  name: string;
  /** Access method: btree, hash, gin, gist, brin… */
  am: string;
  /** An index of a partitioned table (relkind I): no storage of its own; scans and bytes are its tree's. */
  partitioned: boolean;
  /** Key columns or expressions in order, as pg_get_indexdef prints each. */
  keys: string[];
  /** The key columns' attribute numbers, 0 for an expression. */
  keyAttnums: number[];
  /** Per key: operator class oid, collation oid (0: none), indoption bits (1 DESC, 2 NULLS FIRST). */
  opclasses: string[];
  collations: string[];
  options: number[];
  include: string[];
  predicate: string | null;
  unique: boolean;
  primary: boolean;
  valid: boolean;
  nullsNotDistinct: boolean;
  /** The constraint the index enforces (primary key, unique, exclusion), if any. */
  constraintType: 'p' | 'u' | 'x' | null;
  /** `schema.index` of the parent index this one is attached to (a partition's index). */
  parentIndex: string | null;
  /** pg_stat_user_indexes.idx_scan on this server since the statistics reset (summed over the tree). */
  scans: number;
  /** pg_relation_size, summed over the tree for a partitioned index. */
  bytes: number;
  /** n_tup_ins + n_tup_upd + n_tup_del of the table (its partitions summed) since the statistics reset. */
  tableWrites: number;
  /** pg_get_indexdef: the CREATE INDEX that rebuilds it. */
  definition: string;
}

export interface ForeignKeyFact {
  name: string;
  schema: string;
  table: string;
  partitioned: boolean;
  columns: string[];
  attnums: number[];
  parentSchema: string;
  parentTable: string;
  /** n_tup_del and n_tup_upd of the referenced table (its partitions summed) since the statistics reset. */
  parentDeletes: number;
  parentUpdates: number;
}

export interface IndexFacts {
  /** pg_stat_database.stats_reset of this database, ISO text; null when never reset. */
  statsReset: string | null;
  indexes: IndexFact[];
  foreignKeys: ForeignKeyFact[];
}

export function toIndexFacts(row: unknown): IndexFacts {
  const raw = RawIndexFacts.parse(row);
  return {
    statsReset: raw.stats_reset === null ? null : new Date(raw.stats_reset).toISOString(),
    indexes: raw.indexes.map((i) => ({
      schema: i.schema,
      table: i.table,
      name: i.index,
      am: i.am,
      partitioned: i.partitioned,
      keys: i.keys,
      keyAttnums: i.key_attnums,
      opclasses: i.opclasses,
      collations: i.collations,
      options: i.options,
      include: i.include,
      predicate: i.predicate,
      unique: i.unique,
      primary: i.primary,
      valid: i.valid,
      nullsNotDistinct: i.nulls_not_distinct,
      constraintType: i.constraint_type,
      parentIndex: i.parent_index,
      scans: i.scans,
      bytes: i.bytes,
      tableWrites: i.table_writes,
      definition: i.definition,
    })),
    foreignKeys: raw.foreign_keys.map((f) => ({
      name: f.name,
      schema: f.schema,
      table: f.table,
      partitioned: f.partitioned,
      columns: f.columns,
      attnums: f.attnums,
      parentSchema: f.parent_schema,
      parentTable: f.parent_table,
      parentDeletes: f.parent_deletes,
      parentUpdates: f.parent_updates,
    })),
  };
}
