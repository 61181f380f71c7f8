/**
 * The index hygiene advisor (issue 14 §2): one catalog read of every index and foreign key of the
 * user tables, then pure rules, one module each: invalid_index, duplicate_index, redundant_index,
 * unused_index, missing_fk_index. An index one rule proposes dropping is not proposed again by a
 * later one, in that order (the more specific reason wins).
 *
 * Replicas: each standby keeps its own pg_stat_user_indexes, so an index the primary never scans may
 * serve the reports a replica runs. When `replicas` is given, idx_scan is read on each (keyed by
 * `schema.index`) and summed with the primary's; if any replica cannot be read, unused_index is
 * not judged at all (zero scans would then be unproven) and a note says why.
 *
 * @example
 *   const { findings, notes } = await indexHygieneAdvisor.run({ target: client });
 *   const strict = indexHygieneAdvisorWith({ minUnusedBytes: 0 }); // tests: small tables stand for large ones
 */
import type { Queryable } from '../../database/queryable.ts';
import { messageOf } from '../../errors.ts';
import type { Advisor, AdvisorResult, HealthInput } from '../finding.ts';
import { duplicateIndexFindings } from './duplicate-index.ts';
import { invalidIndexFindings } from './invalid-index.ts';
import { missingFkIndexFindings } from './missing-fk-index.ts';
import { DEFAULT_INDEX_HYGIENE_OPTIONS, type IndexHygieneOptions } from './options.ts';
import { readIndexFacts, readReplicaScans, readWorkloadStatements } from './read-facts.ts';
import { redundantIndexFindings } from './redundant-index.ts';
import { unusedIndexFindings } from './unused-index.ts';

export function indexHygieneAdvisorWith(overrides: Partial<IndexHygieneOptions> = {}): Advisor {
  const options: IndexHygieneOptions = { ...DEFAULT_INDEX_HYGIENE_OPTIONS, ...overrides };
  return {
    kind: 'index_hygiene',
    async run(input: HealthInput): Promise<AdvisorResult> {
      const notes: string[] = [];
      const facts = await readIndexFacts(input.target);
      const workload = await readWorkloadStatements(input.target);
      if (workload.note) notes.push(workload.note);

      const replicaScans: { name: string; scans: Map<string, number> }[] = [];
      let replicasRead = true;
      for (const replica of input.replicas ?? []) {
        try {
          replicaScans.push({ name: replica.name, scans: await readReplicaScans(replica.db) });
        } catch (error) {
          replicasRead = false;
          notes.push(`replica ${replica.name} could not be read (${messageOf(error)}): unused indexes not judged`);
        }
      }

      const dropping = [...invalidIndexFindings(facts), ...duplicateIndexFindings(facts)];
      const proposed = new Set(dropping.map((f) => f.subject));
      for (const f of redundantIndexFindings(facts)) {
        if (proposed.has(f.subject)) continue;
        dropping.push(f);
        proposed.add(f.subject);
      }
      const unused = replicasRead ? unusedIndexFindings(facts, { options, replicaScans, alreadyProposed: proposed }) : [];
      if (facts.statsReset === null) notes.push('the statistics were never reset: scan counts cover everything since they began');
      return { findings: [...dropping, ...unused, ...missingFkIndexFindings(facts, { options, statements: workload.statements })], notes };
    },
  };
}

export const indexHygieneAdvisor: Advisor = indexHygieneAdvisorWith();
