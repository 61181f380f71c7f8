/**
 * OptiSchema's per-query advice over a list of cases, one adviseQueries call per case so that each
 * is timed alone; a call that throws is kept as `{ crashed }` (scoring.ts fails it).
 */
import type pg from 'pg';
import { adviseQueries, type QueryAdviceResult } from '../../sidecar/advisor/advise.ts';
import type { AdviceCase } from './cases.ts';

export type CaseAdvice = { result: QueryAdviceResult | { crashed: string }; ms: number };

export async function adviseEach(pool: pg.Pool, cases: readonly AdviceCase[], authors: readonly string[]): Promise<Map<string, CaseAdvice>> {
  const advice = new Map<string, CaseAdvice>();
  for (const c of cases) {
    const t0 = performance.now();
    let result: CaseAdvice['result'];
    try {
      const { results } = await adviseQueries(pool, [c.sql], { authors: [...authors] });
      result = results[0] ?? { crashed: 'no result returned' };
    } catch (error) {
      result = { crashed: error instanceof Error ? error.message : String(error) };
    }
    advice.set(c.id, { result, ms: performance.now() - t0 });
  }
  return advice;
}
