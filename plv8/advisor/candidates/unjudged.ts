/**
 * What is known of a candidate that what-if costing cannot judge (index-candidate.ts,
 * Uncertainty): whether it can be built here at all, and the share of the query's estimated cost
 * spent scanning its table, the most such an index could save. Proposals of this kind are decided
 * by measurement, a real build in the sandbox, not by hypopg.
 */
import type { Step } from '../../engine/protocol.ts';
import { planScans } from '../../plan/plan-scans.ts';
import type { TableFacts } from '../../catalog/table-facts.ts';
import type { IndexCandidate } from './index-candidate.ts';

/** Tables smaller than this (1 MiB, 128 pages) are read whole in about a millisecond: an index
 * whose gain cannot be estimated is not worth proposing there. */
export const UNJUDGED_MIN_BYTES = 1024 * 1024;

const OPCLASS_SQL = `select exists (select 1 from pg_opclass c join pg_am m on m.oid = c.opcmethod where c.opcname = $1 and m.amname = $2) as present`;

/** Whether the server has the operator classes the candidate names (gin_trgm_ops needs pg_trgm). */
export function* methodAvailable(candidate: IndexCandidate): Step<boolean> {
  for (const key of candidate.keys) {
    if (key.opclass === undefined) continue;
    const rows = yield { sql: OPCLASS_SQL, params: [key.opclass, candidate.method ?? 'btree'] };
    if (rows[0]?.present !== true) return false;
  }
  return true;
}

/**
 * The largest share, over the plans, of the query's estimated cost that its scans of `table` (a
 * partition's scans count for its root) take, 0 to 1.
 */
export function scanShare(plans: readonly unknown[], table: TableFacts, tables: ReadonlyMap<string, TableFacts>, costBefore: number): number {
  if (!(costBefore > 0)) return 0;
  let share = 0;
  for (const plan of plans) {
    let cost = 0;
    for (const scan of planScans(plan).scans) {
      const root = tables.get(`${scan.schema}.${scan.relation}`);
      const onTable = root ? root.schema === table.schema && root.table === table.table : scan.schema === table.schema && scan.relation === table.table;
      if (onTable) cost += scan.totalCost;
    }
    share = Math.max(share, Math.min(1, cost / costBefore));
  }
  return share;
}
