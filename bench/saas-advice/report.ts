/**
 * The SaaS bench's own output: pass counts per tier, and the workload's figures. The per-case
 * table and the failure details are bench/index-advice/report.ts's.
 */
import { shortIndex } from '../index-advice/ddl.ts';
import type { CaseScore } from '../index-advice/scoring.ts';
import { table } from '../support/stats.ts';
import type { SaasCase, Tier } from './cases.ts';
import type { RecordedStatement, WorkloadCost } from './workload-cost.ts';

export interface TierCount {
  positive: { passed: number; total: number };
  negative: { passed: number; total: number };
  passed: number;
  total: number;
}

export function tierCounts(cases: readonly SaasCase[], scores: readonly CaseScore[], who: 'optischema' | 'qualstats'): Record<Tier, TierCount> {
  const tierOf = new Map(cases.map((c) => [c.id, c.tier]));
  const count = (tier: Tier): TierCount => {
    const of = (kind: CaseScore['kind']) => {
      const list = scores.filter((s) => s.kind === kind && tierOf.get(s.id) === tier);
      return { passed: list.filter((s) => s[who].pass === true).length, total: list.length };
    };
    const positive = of('positive');
    const negative = of('negative');
    return { positive, negative, passed: positive.passed + negative.passed, total: positive.total + negative.total };
  };
  return { basic: count('basic'), harder: count('harder') };
}

export function tierLine(name: string, counts: Record<Tier, TierCount>): string {
  const one = (tier: Tier) => {
    const c = counts[tier];
    return `${tier} ${c.passed}/${c.total} (positive ${c.positive.passed}/${c.positive.total}, negative ${c.negative.passed}/${c.negative.total})`;
  };
  return `${name.padEnd(11)} ${one('basic')}, ${one('harder')}`;
}

/** Per statement: calls, measured mean, and the estimated cost of one execution with each set. */
export function statementTable(statements: readonly RecordedStatement[], costs: Record<string, WorkloadCost>): string {
  const names = Object.keys(costs);
  const rows = [...statements]
    .sort((a, b) => b.calls * (costs.none?.perStatement[b.action] ?? 0) - a.calls * (costs.none?.perStatement[a.action] ?? 0))
    .map((s) => [s.action, String(s.calls), s.meanMs.toFixed(2), ...names.map((n) => (costs[n]?.perStatement[s.action] ?? Number.NaN).toFixed(1))]);
  return table(['statement', 'calls', 'mean ms', ...names.map((n) => `cost ${n}`)], rows);
}

export function setLines(name: string, ddls: readonly string[]): string[] {
  return [`${name} (${ddls.length}):`, ...ddls.map((ddl) => `  ${shortIndex(ddl)}`)];
}
