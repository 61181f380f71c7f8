import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { quoteIdent } from '../../../plv8/engine/quote-ident.ts';
import type { Queryable } from '../../database/queryable.ts';
import type { Finding } from '../finding.ts';
import { qualified } from './names.ts';
import { EXCLUDED_SCHEMAS } from './options.ts';

const MISSING_PRIMARY_KEY_SQL = readFileSync(new URL('./missing-primary-key.sql', import.meta.url), 'utf8');

/** The raw row of missing-primary-key.sql. */
const RawKeyless = z.object({
  schema_name: z.string(),
  table_name: z.string(),
  relkind: z.enum(['r', 'p']),
  reltuples: z.number(),
  pkey_name_taken: z.boolean(),
  promotable_indexes: z.array(z.object({ name: z.string(), definition: z.string(), columns: z.array(z.string()) })),
});
export type KeylessTable = z.infer<typeof RawKeyless>;

export async function readKeylessTables(target: Queryable): Promise<KeylessTable[]> {
  const { rows } = await target.query(MISSING_PRIMARY_KEY_SQL, [EXCLUDED_SCHEMAS]);
  return rows.map((row) => RawKeyless.parse(row));
}

/**
 * missing_primary_key: a table without a primary key. Rows cannot be addressed one by one, tools
 * (pg_repack, logical replication's UPDATE/DELETE) need a key or a replica identity, and duplicates
 * creep in. A unique index on NOT NULL columns is promoted in place; otherwise the steps add one.
 */
export function missingPrimaryKeys(tables: readonly KeylessTable[]): Finding[] {
  return tables.map((t) => {
    const subject = `${t.schema_name}.${t.table_name}`;
    const table = qualified(t.schema_name, t.table_name);
    // ALTER TABLE … ADD PRIMARY KEY USING INDEX is refused on a partitioned table.
    const index = t.relkind === 'r' ? t.promotable_indexes[0] : undefined;
    const replication =
      'Logical replication cannot replicate its UPDATEs and DELETEs without a primary key or a REPLICA IDENTITY (USING INDEX or FULL, the latter costly on the subscriber).';
    const evidence = {
      relkind: t.relkind === 'p' ? 'partitioned table' : 'table',
      estimatedRows: t.reltuples < 0 ? null : t.reltuples,
      rowsSource: 'pg_class.reltuples (estimate; null before the first ANALYZE)',
      promotableIndexes: t.promotable_indexes.map((i) => ({ name: i.name, columns: i.columns })),
    };
    if (index) {
      // The constraint takes the index's own name when the usual one is taken (it renames the index to the constraint's name).
      const constraint = t.pkey_name_taken ? index.name : `${t.table_name}_pkey`.slice(0, 63);
      return {
        kind: 'schema',
        rule: 'missing_primary_key',
        subject,
        table: subject,
        title: `${subject} has no primary key; unique index ${index.name} (${index.columns.join(', ')}) can become it`,
        rationale:
          `${subject} has no primary key, but the unique index ${index.name} covers NOT NULL columns (${index.columns.join(', ')}), so it can be promoted without a rebuild: ` +
          `the ALTER only checks the catalog and takes a brief ACCESS EXCLUSIVE lock. The index is renamed to ${constraint}; ` +
          `dropping the constraint drops the index with it, so the rollback creates the index again. ${replication}`,
        sql: `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(constraint)} PRIMARY KEY USING INDEX ${quoteIdent(index.name)};`,
        rollbackSql: `ALTER TABLE ${table} DROP CONSTRAINT ${quoteIdent(constraint)};\n${index.definition};`,
        risk: 'medium',
        evidence: { ...evidence, promotedIndex: index.name, constraintName: constraint },
      } satisfies Finding;
    }
    const why =
      t.relkind === 'p' && t.promotable_indexes.length > 0
        ? `A partitioned table cannot promote an index (ADD PRIMARY KEY USING INDEX is refused), and its primary key must include the partition key. `
        : `No unique index on NOT NULL columns exists to promote. `;
    return {
      kind: 'schema',
      rule: 'missing_primary_key',
      subject,
      table: subject,
      title: `${subject} has no primary key`,
      rationale:
        `${subject} has no primary key. ${why}Adding an identity column rewrites the table under ACCESS EXCLUSIVE, so the steps are comments to plan. ${replication}`,
      sql: [
        `-- Give ${subject} a primary key. If a set of its columns identifies a row, make them NOT NULL and:`,
        `-- ALTER TABLE ${table} ADD PRIMARY KEY (<columns>);${t.relkind === 'p' ? '  -- must include the partition key' : ''}`,
        `-- Otherwise add a surrogate key (rewrites the table, ACCESS EXCLUSIVE for the whole rewrite):`,
        `-- ALTER TABLE ${table} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;`,
      ].join('\n'),
      rollbackSql: null,
      risk: 'medium',
      evidence,
    } satisfies Finding;
  });
}
