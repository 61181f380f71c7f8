/**
 * jit_on_short_query: JIT compilation took a large share of a short query's time. JIT starts
 * when the plan's cost passes jit_above_cost (100,000 by default), whatever the query's real
 * duration: a cheap query over a misestimated or large-looking plan pays compile time it never
 * wins back.
 */
import { EXPLAIN } from '../explain-keys.ts';
import { num } from './plan-tree.ts';
import type { InsightRoot, PlanInsight } from './types.ts';

/** JIT time above this share of Execution Time: PEV2's and depesz's "node time > 10 %" line, applied to JIT. */
export const JIT_SHARE = 0.1;
/** A query faster than this (ms, Execution Time) rarely gains from JIT: PostgreSQL's docs say JIT pays off for long-running, CPU-bound queries. */
export const JIT_SHORT_QUERY_MS = 1000;

export function jitOnShortQuery(root: InsightRoot): PlanInsight[] {
  const jit = root[EXPLAIN.jit];
  const executionMs = num(root, EXPLAIN.executionTime);
  if (typeof jit !== 'object' || jit === null || executionMs === undefined) return [];
  const timing = (jit as Record<string, unknown>)[EXPLAIN.jitTiming];
  const jitMs = typeof timing === 'object' && timing !== null ? num(timing as Record<string, unknown>, EXPLAIN.jitTimingTotal) : undefined;
  if (jitMs === undefined || executionMs >= JIT_SHORT_QUERY_MS || jitMs <= JIT_SHARE * executionMs) return [];
  const plan = root[EXPLAIN.plan];
  const cost = num(plan, EXPLAIN.totalCost) ?? null;
  const percent = Math.round((jitMs / executionMs) * 1000) / 10;
  const rounded = (ms: number) => Math.round(ms * 10) / 10;
  return [
    {
      rule: 'jit_on_short_query',
      severity: 'warning',
      node: { nodeType: plan[EXPLAIN.nodeType], path: [] },
      message:
        `JIT compilation took ${rounded(jitMs)} ms of a ${rounded(executionMs)} ms execution (${percent}%; EXPLAIN ANALYZE JIT Timing Total and Execution Time): ` +
        `the plan's cost${cost === null ? '' : ` of ${Math.round(cost)}`} passed jit_above_cost, yet the query is short.`,
      evidence: { setting: 'jit', value: 'off', jitMs: rounded(jitMs), executionMs: rounded(executionMs), jitPercent: percent, planCost: cost },
      fix: {
        sql: `SET LOCAL jit = off;`,
        rollbackSql: null,
        why:
          'SET LOCAL turns JIT off for the one transaction that runs the statement (it ends with it: nothing to undo). For every statement of one role: ' +
          'ALTER ROLE <role> SET jit = off; (undone by ALTER ROLE <role> RESET jit;), or raise jit_above_cost above this plan\'s cost' +
          `${cost === null ? '' : ` (${Math.round(cost)})`} so only costlier plans are compiled.`,
      },
    },
  ];
}
