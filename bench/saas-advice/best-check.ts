/**
 * The check that each case's known best set is still the best one on the data as loaded: every
 * rival set (cases.ts) is costed with hypopg the way scoring.ts costs an advisor's answer. A rival
 * "beats" the best when it saves more than 1 % of the cost as is beyond what the best saves, the
 * same scale as the pass rule (a share of the reduction), so planner noise of a few units on a
 * query of thousands does not count.
 */
import type pg from 'pg';
import { shortIndex } from '../index-advice/ddl.ts';
import { estimate } from '../index-advice/hypothetical.ts';
import type { CaseScore } from '../index-advice/scoring.ts';
import type { SaasCase } from './cases.ts';

const BEATS_BY_SHARE_OF_BASE = 0.01;

export interface RivalCost {
  id: string;
  rival: string[];
  cost: number;
  /** Of the cost as is, percent. */
  reductionPct: number;
  beatsBest: boolean;
}

export async function costRivals(db: pg.ClientBase, cases: readonly SaasCase[], scores: readonly CaseScore[]): Promise<RivalCost[]> {
  const out: RivalCost[] = [];
  for (const c of cases) {
    const score = scores.find((s) => s.id === c.id);
    if (!score || score.baseCost === null || score.bestCost === null) continue;
    for (const rival of c.rivals ?? []) {
      const { cost } = await estimate(db, c, rival);
      out.push({
        id: c.id,
        rival,
        cost,
        reductionPct: score.baseCost > 0 ? ((score.baseCost - cost) / score.baseCost) * 100 : 0,
        beatsBest: score.bestCost - cost > BEATS_BY_SHARE_OF_BASE * score.baseCost,
      });
    }
  }
  return out;
}

/** One line per case: best's reduction, then each rival's. */
export function rivalLines(scores: readonly CaseScore[], rivals: readonly RivalCost[]): string[] {
  const lines: string[] = [];
  for (const s of scores) {
    const of = rivals.filter((r) => r.id === s.id);
    if (of.length === 0) continue;
    const parts = of.map((r) => `${r.rival.map(shortIndex).join(' + ')} ${r.reductionPct.toFixed(1)}%${r.beatsBest ? ' BEATS BEST' : ''}`);
    lines.push(`  ${s.id} best −${s.bestReductionPct?.toFixed(1)}% (cost ${s.bestCost?.toFixed(1)}); rivals: ${parts.join('; ')}`);
  }
  return lines;
}
