import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { quoteIdent } from '../../../plv8/engine/quote-ident.ts';
import type { Queryable } from '../../database/queryable.ts';
import type { Finding, HealthInput } from '../finding.ts';
import { qualified } from './names.ts';
import { EXCLUDED_SCHEMAS, type SchemaOptions } from './options.ts';

const KEY_OVERFLOW_SQL = readFileSync(new URL('./key-overflow.sql', import.meta.url), 'utf8');
const HISTORY_SQL = readFileSync(new URL('./key-overflow-history.sql', import.meta.url), 'utf8');

/** The raw row of key-overflow.sql. */
const RawFedColumn = z.object({
  schema_name: z.string(),
  table_name: z.string(),
  column_name: z.string(),
  column_type: z.string(),
  type_max: z.number(),
  type_min: z.number(),
  sequence_schema: z.string(),
  sequence_name: z.string(),
  sequence_type: z.string(),
  increment: z.number(),
  is_identity: z.boolean(),
  readable: z.boolean(),
  last_value: z.number().nullable(),
  n_tup_ins: z.number(),
  counted_since: z.coerce.date(),
  since_stats_reset: z.boolean(),
  counted_seconds: z.number(),
  tree: z.array(z.object({ schema: z.string(), name: z.string() })),
  referenced_by: z.array(z.object({ constraint: z.string(), schema: z.string(), table: z.string(), column: z.string(), type: z.string() })),
});
export type FedColumn = z.infer<typeof RawFedColumn>;

/** Inserts per second and where the figure comes from. */
export interface InsertRate {
  perSecond: number;
  source: string;
}

export async function readFedColumns(target: Queryable): Promise<FedColumn[]> {
  const { rows } = await target.query(KEY_OVERFLOW_SQL, [EXCLUDED_SCHEMAS]);
  return rows.map((row) => RawFedColumn.parse(row));
}

const RawHistory = z.object({ snapshots: z.number(), seconds: z.number().nullable(), inserted: z.number().nullable(), first_at: z.coerce.date().nullable(), last_at: z.coerce.date().nullable() });

/**
 * The insert rate of a fed column's table: from OptiSchema's history when the target is monitored
 * and has two snapshots or more without a counter reset between, else from the target's own
 * counters (n_tup_ins since the statistics reset, or since the server started).
 */
export async function insertRate(column: FedColumn, store: HealthInput['store']): Promise<InsertRate> {
  if (store) {
    const tables = column.tree.length > 0 ? column.tree : [{ schema: column.schema_name, name: column.table_name }];
    const { rows } = await store.db.query(HISTORY_SQL, [store.targetId, tables.map((t) => t.schema), tables.map((t) => t.name)]);
    const history = RawHistory.parse(rows[0]);
    if (history.snapshots >= 2 && history.seconds && history.seconds > 0 && history.inserted !== null && history.inserted >= 0) {
      return {
        perSecond: history.inserted / history.seconds,
        source: `measured: n_tup_ins in OptiSchema's history (optischema.table_history), ${history.snapshots} snapshots from ${history.first_at?.toISOString()} to ${history.last_at?.toISOString()}`,
      };
    }
  }
  return {
    perSecond: column.counted_seconds > 0 ? column.n_tup_ins / column.counted_seconds : 0,
    source: column.since_stats_reset
      ? `measured: pg_stat_all_tables.n_tup_ins since the statistics reset (pg_stat_database.stats_reset), ${column.counted_since.toISOString()}`
      : // Never reset: the counters may predate this start (PostgreSQL 15 keeps them over a clean restart), so the rate may be high.
        `measured: pg_stat_all_tables.n_tup_ins since the server started (pg_postmaster_start_time(), ${column.counted_since.toISOString()}; the statistics were never reset and may go back further, so the rate may be overstated)`,
  };
}

/**
 * key_overflow: an int2/int4 column whose sequence has used more than 10 % (warning) or 50 %
 * (critical) of the COLUMN type's range: the sequence may well be bigint, the column is what
 * overflows. A sequence this role cannot read becomes a note.
 */
export function keyOverflows(columns: readonly FedColumn[], rates: ReadonlyMap<FedColumn, InsertRate>, options: SchemaOptions, notes: string[]): Finding[] {
  const findings: Finding[] = [];
  for (const column of columns) {
    const subject = `${column.schema_name}.${column.table_name}.${column.column_name}`;
    const sequence = `${column.sequence_schema}.${column.sequence_name}`;
    if (!column.readable) {
      notes.push(`key_overflow: no SELECT or USAGE on sequence ${sequence} (feeds ${subject}): its last value is unknown`);
      continue;
    }
    if (column.last_value === null) continue;
    const limit = column.increment > 0 ? column.type_max : column.type_min;
    const used = column.last_value / limit;
    if (used < options.overflowWarnShare) continue;
    const severity = used >= options.overflowCriticalShare ? 'critical' : 'warning';
    const rate = rates.get(column);
    const remaining = Math.abs(limit - column.last_value);
    const perSecond = rate ? rate.perSecond * Math.abs(column.increment) : 0;
    const daysLeft = perSecond > 0 ? remaining / perSecond / 86_400 : null;
    const table = qualified(column.schema_name, column.table_name);
    const widen = column.referenced_by.filter((r) => /^(smallint|integer)$/.test(r.type));
    findings.push({
      kind: 'schema',
      rule: 'key_overflow',
      subject,
      table: `${column.schema_name}.${column.table_name}`,
      title: `${subject} (${column.column_type}) has used ${percent(used)} of its type's range (${severity})`,
      rationale:
        `Sequence ${sequence} is at ${column.last_value} (pg_sequence_last_value, measured), ${percent(used)} of ${column.column_type}'s ${column.increment > 0 ? 'maximum' : 'minimum'} ${limit}: ` +
        `inserts fail with "integer out of range" once it passes. ` +
        (daysLeft === null
          ? `No inserts were counted, so the time left is unknown (${rate?.source ?? 'no rate'}). `
          : `At ${round(rate!.perSecond)} inserts per second (${rate!.source}) the remaining ${remaining} values last about ${Math.round(daysLeft)} days, assuming one value per insert. `) +
        `Widening to bigint rewrites the table under ACCESS EXCLUSIVE. There is no rollback statement: narrowing back fails once a value passes the old type's range, and rewrites again.`,
      sql: [
        `-- Widen ${subject} to bigint. ALTER COLUMN … TYPE rewrites ${table} and its indexes under ACCESS EXCLUSIVE for the whole rewrite:`,
        `-- plan a window, or migrate online (a new bigint column filled in batches by a trigger and a backfill, then a swap).`,
        ...(column.is_identity ? [`-- The identity sequence ${sequence} follows the column's type.`] : [`ALTER SEQUENCE ${qualified(column.sequence_schema, column.sequence_name)} AS bigint;`]),
        `ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(column.column_name)} TYPE bigint;`,
        ...(column.referenced_by.length > 0
          ? [`-- Foreign keys that reference it: ${column.referenced_by.map((r) => `${r.schema}.${r.table}.${r.column} (${r.type}, ${r.constraint})`).join(', ')}; widen their columns too (each rewrites its table):`]
          : []),
        ...widen.map((r) => `ALTER TABLE ${qualified(r.schema, r.table)} ALTER COLUMN ${quoteIdent(r.column)} TYPE bigint;`),
      ].join('\n'),
      rollbackSql: null,
      risk: 'high',
      evidence: {
        severity,
        sequence,
        sequenceType: column.sequence_type,
        lastValue: column.last_value,
        lastValueSource: 'pg_sequence_last_value (measured)',
        columnType: column.column_type,
        typeLimit: limit,
        usedShare: used,
        insertsPerSecond: rate?.perSecond ?? null,
        insertRateSource: rate?.source ?? null,
        estimatedDaysLeft: daysLeft,
        referencedBy: column.referenced_by,
        thresholds: { warnShare: options.overflowWarnShare, criticalShare: options.overflowCriticalShare },
      },
    });
  }
  return findings;
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10} %`;
}

function round(value: number): number {
  return value >= 10 ? Math.round(value) : Math.round(value * 100) / 100;
}
