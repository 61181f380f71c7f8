/**
 * Index sets for OR conditions: `assignee_id = $1 OR reporter_id = $1` needs one index per arm,
 * which the planner combines in a BitmapOr; no single index serves it, and neither index alone is
 * used. Each arm's keys are its own atoms with the scan's AND-ed ones (`account_id = 7 AND (a = 1
 * OR b = 2)` → (account_id, a) and (account_id, b)). A set is costed as a whole (evaluate-query.ts).
 */
import { analyzeCondition, type ConditionAtom } from '../../plan/conditions.ts';
import { planScans } from '../../plan/plan-scans.ts';
import { quoteIdent } from '../../engine/quote-ident.ts';
import { compositeKeys, EQUALITY_KINDS, sameKey } from './composite-keys.ts';
import type { IndexCandidate } from './index-candidate.ts';

/** The index sets a plan's OR conditions call for: each set one candidate per arm, in arm order. */
export function indexSetsFromPlan(plan: unknown): IndexCandidate[][] {
  const sets: IndexCandidate[][] = [];
  for (const scan of planScans(plan).scans) {
    const mine = (a: ConditionAtom): boolean => a.alias === null || a.alias === scan.alias;
    for (const condition of [scan.filter, scan.recheckCond ?? scan.indexCond]) {
      if (!condition) continue;
      const analysis = analyzeCondition(condition);
      const anded = analysis.atoms.filter((a) => mine(a) && a.kind !== 'operator');
      for (const group of analysis.ors) {
        if (!group.arms.every((arm) => arm.every((a) => mine(a) && a.kind !== 'operator'))) continue;
        const set = group.arms.map((arm, n): IndexCandidate => {
          const atoms = [...anded, ...arm];
          const keys = compositeKeys(atoms, []);
          return {
            schema: scan.schema,
            table: scan.relation,
            keys,
            equalityPrefix: keys.filter((k) => atoms.some((a) => EQUALITY_KINDS.has(a.kind) && sameKey(k, a))).length,
            reason: `${scan.nodeType} on ${quoteIdent(scan.schema)}.${quoteIdent(scan.relation)} tests ${group.text}: arm ${n + 1} of ${group.arms.length}, one index per arm for a BitmapOr`,
          };
        });
        if (new Set(set.map((c) => JSON.stringify(c.keys))).size === set.length) sets.push(set);
      }
    }
  }
  return sets;
}
