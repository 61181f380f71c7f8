/**
 * missing_fk_index: a foreign key whose columns are not the leading columns of any valid,
 * non-partial index of the referencing table (foreign-key-coverage.ts). Each delete of a parent
 * row, and each change of its key, then makes PostgreSQL scan the referencing table for children.
 *
 * Tied to the workload: raised only when the parent (the referenced table) has had deletes or
 * updates since the statistics reset (pg_stat_user_tables n_tup_del + n_tup_upd, its partitions
 * summed), or when pg_stat_statements shows statements that mention both tables (a join, which a
 * nested loop would serve through the index) or delete from the parent. A lookup table that is
 * never deleted from or updated needs no index for its foreign keys, whatever the textbooks say.
 * n_tup_upd counts every update, also those that leave the key alone (which check nothing): the
 * count is an upper bound, and the evidence says so. The statement match is on the text only, and
 * only of DML (SELECT, WITH, INSERT, UPDATE, DELETE, MERGE): a CREATE TABLE naming both is no workload.
 */
import { indexDdl, indexName, rollbackDdl } from '../../../plv8/advisor/candidates/index-names.ts';
import type { IndexCandidate } from '../../../plv8/advisor/candidates/index-candidate.ts';
import type { Finding } from '../finding.ts';
import type { ForeignKeyFact, IndexFacts } from './facts.ts';
import { coversForeignKey } from './foreign-key-coverage.ts';
import { sinceReset, tableOf } from './index-statements.ts';
import type { IndexHygieneOptions } from './options.ts';

export interface WorkloadStatement {
  query: string;
  calls: number;
}

export interface MissingFkContext {
  options: Pick<IndexHygieneOptions, 'maxEvidenceStatements'>;
  /** pg_stat_statements' entries, or null when it could not be read (no workload evidence then). */
  statements: readonly WorkloadStatement[] | null;
}

export function missingFkIndexFindings(facts: IndexFacts, context: MissingFkContext): Finding[] {
  const findings: Finding[] = [];
  for (const fk of facts.foreignKeys) {
    if (facts.indexes.some((i) => coversForeignKey(i, fk))) continue;
    const matched = context.statements === null ? [] : context.statements.filter((s) => touches(s.query, fk));
    if (fk.parentDeletes + fk.parentUpdates === 0 && matched.length === 0) continue;
    findings.push(finding(fk, facts.statsReset, matched, context));
  }
  return findings;
}

/** What a workload statement starts with: DDL that names both tables (the CREATE TABLE of the key itself) is not workload. */
const DML = /^\s*(?:select|with|insert|update|delete|merge|values|table)\b/i;

/** A workload statement (DML) mentions both tables, or deletes from the parent (a text match). */
export function touches(query: string, fk: ForeignKeyFact): boolean {
  if (!DML.test(query)) return false;
  const parent = namePattern(fk.parentTable);
  const deletes = new RegExp(`\\bdelete\\s+from\\s+(?:only\\s+)?(?:${namePattern(fk.parentSchema)}\\s*\\.\\s*)?${parent}`, 'i');
  return deletes.test(query) || (new RegExp(namePattern(fk.table), 'i').test(query) && new RegExp(parent, 'i').test(query));
}

/**
 * A name as a statement can write it: double-quoted exactly (inner quotes doubled), or bare in any
 * case when the name is a lower-case identifier (a bare name folds to lower case). The 'i' flag
 * makes the quoted form case-insensitive too: a loose match, acceptable for evidence.
 */
function namePattern(name: string): string {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const quoted = `"${escape(name.replaceAll('"', '""'))}"`;
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? `(?:${quoted}|(?<![\\w$"])${escape(name)}(?![\\w$"]))` : quoted;
}

function finding(fk: ForeignKeyFact, statsReset: string | null, matched: WorkloadStatement[], context: MissingFkContext): Finding {
  const candidate: IndexCandidate = { schema: fk.schema, table: fk.table, keys: fk.columns.map((column) => ({ column })), reason: `foreign key ${fk.name}` };
  const concurrently = !fk.partitioned;
  const name = indexName(candidate);
  const listed = matched.slice(0, context.options.maxEvidenceStatements);
  const parent = `${fk.parentSchema}.${fk.parentTable}`;
  const workload =
    context.statements === null
      ? ' pg_stat_statements could not be read, so no statements are cited.'
      : matched.length > 0
        ? ` pg_stat_statements has ${matched.length} statement(s) that mention both tables or delete from ${parent} (a match on their text), ` +
          `${matched.reduce((sum, s) => sum + s.calls, 0)} calls in all.`
        : '';
  return {
    kind: 'index_hygiene',
    rule: 'missing_fk_index',
    subject: `${tableOf(fk)}(${fk.columns.join(',')})`,
    title: `Foreign key ${fk.name} on ${tableOf(fk)}(${fk.columns.join(', ')}) has no index`,
    rationale:
      `No valid, non-partial index of ${tableOf(fk)} starts with the columns of its foreign key ${fk.name} (${fk.columns.join(', ')}) referencing ${parent}, ` +
      `so every delete of a ${parent} row, and every change of its key, scans ${tableOf(fk)} for referencing rows, and joins of the two tables ` +
      `cannot look rows up by the key. ${parent} took ${fk.parentDeletes} deletes and ${fk.parentUpdates} updates ${sinceReset(statsReset)} ` +
      `(pg_stat_user_tables n_tup_del, n_tup_upd; updates that leave the key alone are counted too).${workload}` +
      (fk.partitioned ? ` ${tableOf(fk)} is partitioned: PostgreSQL cannot build its index concurrently, so the build blocks writes to every partition while it runs.` : ''),
    sql: `${indexDdl(candidate, { concurrently })};`,
    rollbackSql: `${rollbackDdl(candidate, { concurrently })};`,
    risk: fk.partitioned ? 'medium' : 'low',
    table: tableOf(fk),
    evidence: {
      foreignKey: fk.name,
      columns: fk.columns,
      referencedTable: parent,
      indexName: name,
      parentDeletes: fk.parentDeletes,
      parentUpdates: fk.parentUpdates,
      statsReset,
      workloadRead: context.statements !== null,
      statementsMatchedByText: matched.length,
      statements: listed.map((s) => ({ query: s.query, calls: s.calls })),
    },
  };
}
