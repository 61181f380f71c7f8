/**
 * The schema optimizer (issue 14 §3): rules over the shape of the user's tables. Each rule is a
 * module; the catalog reads are shared where rules look at the same facts (relations.sql for
 * columns and statistics, top-statements.ts for the workload).
 *
 *  - column_padding: column order that wastes bytes on alignment (column-padding.ts)
 *  - wide_column: a wide column the top statements rarely read (wide-column.ts)
 *  - missing_primary_key: a table without a primary key (missing-primary-key.ts)
 *  - key_overflow: an int2/int4 key whose sequence nears the type's limit (key-overflow.ts)
 *  - table_bloat: dead and free space beyond 30 % and 10 MB (table-bloat.ts)
 *  - partitioning_candidate: a large table with a time column to range-partition on (partitioning-candidate.ts)
 */
import type { Advisor, AdvisorResult, Finding, HealthInput } from '../finding.ts';
import { columnPadding } from './column-padding.ts';
import { insertRate, keyOverflows, readFedColumns, type FedColumn, type InsertRate } from './key-overflow.ts';
import { missingPrimaryKeys, readKeylessTables } from './missing-primary-key.ts';
import { DEFAULT_SCHEMA_OPTIONS, type SchemaOptions } from './options.ts';
import { partitioningCandidates } from './partitioning-candidate.ts';
import { readRelations } from './relations.ts';
import { bloatCandidates, measureBloat, pgstattupleSchema, tableBloat } from './table-bloat.ts';
import { readWorkload } from './top-statements.ts';
import { wideColumns } from './wide-column.ts';

/**
 * The schema advisor with other thresholds (tests pass small ones so small tables stand for large).
 *
 * @example await schemaAdvisorWith({ paddingMinTotalBytes: 0 }).run({ target: pool })
 */
export function schemaAdvisorWith(overrides: Partial<SchemaOptions> = {}): Advisor {
  const options: SchemaOptions = { ...DEFAULT_SCHEMA_OPTIONS, ...overrides };
  return { kind: 'schema', run: (input) => runSchema(input, options) };
}

export const schemaAdvisor: Advisor = schemaAdvisorWith();

async function runSchema(input: HealthInput, options: SchemaOptions): Promise<AdvisorResult> {
  const notes: string[] = [];
  const findings: Finding[] = [];
  const relations = await readRelations(input.target);
  const workload = await readWorkload(input.target, options.topStatements, notes);

  findings.push(...columnPadding(relations, options, notes));
  findings.push(...wideColumns(relations, workload, options, notes));
  findings.push(...missingPrimaryKeys(await readKeylessTables(input.target)));

  const fed = await readFedColumns(input.target);
  const rates = new Map<FedColumn, InsertRate>();
  // The rate is only worth reading (from the store, maybe) for a column past the warning share.
  for (const column of fed) {
    if (column.readable && column.last_value !== null && Math.abs(column.last_value / column.type_max) >= options.overflowWarnShare) {
      rates.set(column, await insertRate(column, input.store));
    }
  }
  findings.push(...keyOverflows(fed, rates, options, notes));

  const candidates = bloatCandidates(relations, options);
  const measuring = candidates.length > 0 ? await pgstattupleSchema(input.target, notes) : null;
  for (const estimate of candidates) {
    const measured = measuring === null ? null : await measureBloat(input.target, measuring, estimate.relation);
    const finding = tableBloat(estimate, measured, options);
    if (finding) findings.push(finding);
  }

  findings.push(...partitioningCandidates(relations, workload, options));
  return { findings, notes };
}
