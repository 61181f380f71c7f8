import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { planInsights, PLAN_INSIGHT_RULES, type InsightContext, type InsightNode, type InsightRoot } from '../../../plv8/plan/insights/index.ts';
import { EXPLAIN } from '../../../plv8/plan/explain-keys.ts';
import { statisticsName } from '../../../plv8/plan/insights/correlated-columns.ts';

interface Expected {
  rule: string;
  severity: string;
  relation?: string;
  nodeType: string;
  fixSql?: string;
  rollbackSql?: string | null;
}

const dir = new URL('./', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.plan.json'))
  .sort()
  .map((f) => {
    const name = f.replace(/\.plan\.json$/, '');
    const plan = JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as InsightRoot[];
    const expected = JSON.parse(readFileSync(new URL(`${name}.expect.json`, dir), 'utf8')) as { context: InsightContext; insights: Expected[] };
    return { name, root: plan[0]!, ...expected };
  });

describe('plan insights on recorded plans (NN-name.plan.json / NN-name.expect.json)', () => {
  test('there are fixtures, and together they plant every rule', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
    const found = new Set(fixtures.flatMap((f) => f.insights.map((i) => i.rule)));
    expect([...PLAN_INSIGHT_RULES].filter((rule) => !found.has(rule))).toEqual([]);
  });

  test.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const insights = planInsights(fixture.root, fixture.context);
    expect(
      insights.map((i) => ({
        rule: i.rule,
        severity: i.severity,
        ...(i.node.relation ? { relation: i.node.relation } : {}),
        nodeType: i.node.nodeType,
      })),
    ).toEqual(fixture.insights.map(({ fixSql: _sql, rollbackSql: _rollback, ...rest }) => rest));
    for (const want of fixture.insights.filter((i) => i.fixSql !== undefined)) {
      const got = insights.find((i) => i.rule === want.rule);
      expect(got?.fix?.sql).toBe(want.fixSql);
      expect(got?.fix?.rollbackSql).toBe(want.rollbackSql);
    }
    // Every insight's node path leads to a node of the type it names.
    for (const insight of insights) {
      let node: InsightNode = fixture.root[EXPLAIN.plan];
      for (const i of insight.node.path) node = node[EXPLAIN.plans]![i]!;
      expect(node[EXPLAIN.nodeType]).toBe(insight.node.nodeType);
    }
  });

  test('the clean plan gives no insight', () => {
    const clean = fixtures.find((f) => f.name.endsWith('-clean'))!;
    expect(planInsights(clean.root, clean.context)).toEqual([]);
  });

  test('without table statistics a stale misestimate is reported, but no cause is guessed', () => {
    const stale = fixtures.find((f) => f.name.endsWith('-stale-statistics'))!;
    expect(planInsights(stale.root, { query: stale.context.query }).map((i) => i.rule)).toEqual(['row_misestimate']);
  });

  test('fresh statistics on the same plan are no stale_statistics', () => {
    const stale = fixtures.find((f) => f.name.endsWith('-stale-statistics'))!;
    const fresh = stale.context.tables!.map((t) => ({ ...t, nModSinceAnalyze: 10 }));
    expect(planInsights(stale.root, { tables: fresh }).map((i) => i.rule)).not.toContain('stale_statistics');
  });

  test('a normalized OFFSET $1 is still found from the rows the Limit skipped', () => {
    const offset = fixtures.find((f) => f.name.endsWith('-large-offset'))!;
    const insight = planInsights(offset.root, { query: 'select * from corr order by a offset $1 limit $2' }).find((i) => i.rule === 'large_offset');
    expect(insight?.evidence).toMatchObject({ rowsSkipped: 5000, literalOffset: null });
  });
});

/** A one-node plan: a scan of `public.t` with the rows given. */
function scan(planned: number, actual: number, extra: Record<string, unknown> = {}): InsightRoot {
  return {
    Plan: { 'Node Type': 'Seq Scan', Schema: 'public', 'Relation Name': 't', Alias: 't', 'Plan Rows': planned, 'Actual Rows': actual, 'Actual Loops': 1, ...extra },
    'Execution Time': 5,
  };
}

describe('row_misestimate thresholds', () => {
  test.each([
    [10, 99, null],
    [10, 100, 'info'],
    [10, 1000, 'warning'],
    [10, 10_000, 'critical'],
    [5_000, 40, 'warning'],
    [1, 9, null],
  ])('planned %i, actual %i → %s', (planned, actual, severity) => {
    const found = planInsights(scan(planned, actual)).find((i) => i.rule === 'row_misestimate');
    expect(found?.severity ?? null).toBe(severity);
  });

  test('an overestimate under a Limit (the scan was cut short) is no misestimate', () => {
    const root: InsightRoot = {
      Plan: { 'Node Type': 'Limit', 'Plan Rows': 10, 'Actual Rows': 10, 'Actual Loops': 1, Plans: [scan(100_000, 10).Plan] },
    };
    expect(planInsights(root)).toEqual([]);
  });

  test('a system schema gets no fix proposed', () => {
    const root = scan(10, 1000, { Schema: 'pg_catalog', Filter: '((t.a = 1) AND (t.b = 2))' });
    expect(planInsights(root).map((i) => i.rule)).toEqual(['row_misestimate']);
  });
});

describe('statisticsName', () => {
  test('is deterministic, at most 63 bytes, and plain for plain names', () => {
    expect(statisticsName('orders', ['a', 'b'])).toBe('orders_a_b_stat');
    const long = statisticsName('a_table_with_a_rather_long_name_for_testing', ['customer_identifier', 'region_code_of_the_order']);
    expect(long).toBe(statisticsName('a_table_with_a_rather_long_name_for_testing', ['customer_identifier', 'region_code_of_the_order']));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(63);
    expect(statisticsName('T', ['a', 'b'])).not.toBe(statisticsName('t', ['a', 'b']));
  });
});
