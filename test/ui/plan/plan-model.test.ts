import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BADGE_THRESHOLDS } from '../../../ui/src/plan/badges.ts';
import { planTree, type BadgeKind, type PlanNodeView, type PlanViewOk } from '../../../ui/src/plan/plan-model.ts';
import { projectPlan } from './projection.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const fixtureNames = readdirSync(FIXTURES)
  .filter((file) => /^\d\d-.+\.plan\.json$/.test(file))
  .map((file) => file.replace(/\.plan\.json$/, ''))
  .sort();
const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8'));
const fixture = (name: string): unknown => readJson(`${name}.plan.json`);

function ok(input: unknown): PlanViewOk {
  const view = planTree(input);
  if (!view.ok) throw new Error(`expected a plan, got: ${view.error}`);
  return view;
}

function nodeAt(view: PlanViewOk, id: string): PlanNodeView {
  const node = view.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no node ${id}`);
  return node;
}

describe('recorded plans (fixtures/NN-name.plan.json against NN-name.expect.json)', () => {
  it('finds the recorded plans, each with its expectation', () => {
    expect(fixtureNames.length).toBeGreaterThanOrEqual(12);
    const files = new Set(readdirSync(FIXTURES));
    expect(fixtureNames.filter((name) => !files.has(`${name}.expect.json`))).toEqual([]);
  });

  it.each(fixtureNames)('%s', (name) => {
    expect(projectPlan(planTree(fixture(name)))).toEqual(readJson(`${name}.expect.json`));
  });

  it('cover every badge at least once', () => {
    const seen = new Set<BadgeKind>();
    for (const name of fixtureNames) {
      const view = planTree(fixture(name));
      if (view.ok) for (const node of view.nodes) for (const badge of node.badges) seen.add(badge.kind);
    }
    expect([...seen].sort()).toEqual(['disk-sort', 'filter-discards', 'lossy-bitmap', 'misestimate', 'seq-scan-large', 'slowest', 'temp-io']);
  });
});

describe('planTree input', () => {
  const seqScan = fixture('01-seq-scan-filter') as [{ Plan: unknown }];

  it('reads the server array, its statement object, a bare node and JSON text alike', () => {
    const fromArray = ok(seqScan);
    expect(fromArray.executionMs).toBeGreaterThan(0);
    expect(ok(seqScan[0]).nodes.map((n) => n.label)).toEqual(fromArray.nodes.map((n) => n.label));
    expect(ok(JSON.stringify(seqScan)).nodes.map((n) => n.exclusiveMs)).toEqual(fromArray.nodes.map((n) => n.exclusiveMs));
    const bare = ok(seqScan[0].Plan);
    expect(bare.nodes.map((n) => n.label)).toEqual(['Seq Scan on public.orders o']);
    // Without "Execution Time" the shares are of the root's own time.
    expect(bare.executionMs).toBeNull();
    expect(bare.root.share).toBe(1);
  });

  it.each([
    ['null', null, /got null/],
    ['a number', 42, /got a number/],
    ['text that is not JSON', 'Seq Scan on orders', /^not JSON/],
    ['an empty array', [], /array of 0/],
    ['two statements', [{ Plan: { 'Node Type': 'Result' } }, { Plan: { 'Node Type': 'Result' } }], /array of 2/],
    ['a Plan that is not a node', { Plan: 5 }, /"Plan": Invalid input/],
    ['a child without a node type', { 'Node Type': 'Append', Plans: [{}] }, /"Plans" › 0 › "Node Type"/],
    ['a cost that is text', { 'Node Type': 'Result', 'Total Cost': '12' }, /"Total Cost": Invalid input: expected number/],
  ])('gives an error for %s, without throwing', (_name, input, message) => {
    const view = planTree(input);
    expect(view.ok).toBe(false);
    if (!view.ok) expect(view.error).toMatch(message);
  });

  it('refuses cyclic objects and crafted nesting without exhausting the stack, yet reads a deep real-sized plan', () => {
    const cyclic: Record<string, unknown> = { 'Node Type': 'Result' };
    cyclic.Plans = [cyclic];
    expect(planTree(cyclic)).toEqual({ ok: false, error: 'plan nodes nested deeper than 1000 levels' });
    const forked: Record<string, unknown> = { 'Node Type': 'Append' };
    forked.Plans = [forked, forked];
    expect(planTree(forked)).toEqual({ ok: false, error: 'more than 100000 plan nodes' });
    const nest = (levels: number) => {
      let node: Record<string, unknown> = { 'Node Type': 'Result' };
      for (let i = 0; i < levels; i++) node = { 'Node Type': 'Result', Plans: [node] };
      return node;
    };
    expect(planTree(nest(100_000)).ok).toBe(false);
    const deep = ok(nest(999));
    expect(deep.nodes).toHaveLength(1000);
    expect(deep.nodes.at(-1)?.depth).toBe(999);
  });
});

describe('planTree nodes', () => {
  it('labels nodes as EXPLAIN text does, with schema, alias, index, join type and strategy', () => {
    expect(ok(fixture('08-parallel-aggregate')).nodes.map((n) => n.label)).toEqual([
      'Finalize GroupAggregate',
      'Gather Merge',
      'Sort',
      'Partial HashAggregate',
      'Merge Join (Inner)',
      'Parallel Index Scan using orders_pkey on orders o',
      'Index Scan using events_id_idx on events e',
    ]);
    const backward = ok({ 'Node Type': 'Index Only Scan', 'Scan Direction': 'Backward', 'Index Name': 't_pkey', 'Relation Name': 't', Alias: 't' });
    expect(backward.root.label).toBe('Index Only Scan Backward using t_pkey on t');
    expect(ok({ 'Node Type': 'Function Scan', 'Function Name': 'generate_series', Alias: 'g' }).root.label).toBe('Function Scan on generate_series g');
  });

  it('counts rows per loop times loops and time over all loops (a nested loop inner side)', () => {
    const inner = nodeAt(ok(fixture('06-nested-loop')), '0.1');
    expect(inner.label).toBe('Bitmap Heap Scan on orders o');
    expect(inner.actual).toMatchObject({ perLoop: 15, loops: 39, total: 585 });
    expect(inner.inclusiveMs).toBeCloseTo(0.44 * 39, 6);
    expect(inner.exclusiveMs).toBeCloseTo(0.44 * 39 - 0.006 * 39, 6);
  });

  it('does not multiply by loops that parallel workers ran at the same time', () => {
    const view = ok(fixture('08-parallel-aggregate'));
    const sort = nodeAt(view, '0.0.0');
    expect(sort.actual?.loops).toBe(3);
    expect(sort.inclusiveMs).toBeCloseTo(245.642, 6);
  });

  it('takes a CTE out of the CTE Scan that ran it and an InitPlan out of the node that uses its value', () => {
    const view = ok(fixture('07-cte-initplan'));
    const join = nodeAt(view, '0');
    const outerScan = nodeAt(view, '0.2');
    const hash = nodeAt(view, '0.3');
    expect(outerScan.label).toBe('CTE Scan on big b');
    // The join's own time is what is left after its two real inputs, not after the CTE and InitPlan too.
    expect(join.exclusiveMs).toBeCloseTo(join.inclusiveMs! - outerScan.inclusiveMs! - hash.inclusiveMs!, 6);
    expect(outerScan.exclusiveMs).toBe(0);
    expect(view.nodes.every((n) => n.exclusiveMs! >= 0)).toBe(true);
  });

  it('subtracts an InitPlan from the node itself when the node evaluates it', () => {
    const view = ok({
      'Node Type': 'Result', 'One-Time Filter': '($0 > 1)', 'Actual Total Time': 5, 'Actual Rows': 1, 'Actual Loops': 1, 'Plan Rows': 1,
      Plans: [
        { 'Node Type': 'Result', 'Parent Relationship': 'InitPlan', 'Subplan Name': 'InitPlan 1 (returns $0)', 'Actual Total Time': 4, 'Actual Rows': 1, 'Actual Loops': 1, 'Plan Rows': 1 },
      ],
    });
    expect(view.root.exclusiveMs).toBeCloseTo(1, 6);
  });

  it('never gives a negative own time or own buffers', () => {
    const view = ok({
      'Node Type': 'Hash Join', 'Actual Total Time': 1, 'Actual Rows': 1, 'Actual Loops': 1, 'Shared Hit Blocks': 2,
      Plans: [{ 'Node Type': 'Seq Scan', 'Actual Total Time': 3, 'Actual Rows': 1, 'Actual Loops': 1, 'Shared Hit Blocks': 5 }],
    });
    expect(view.root.exclusiveMs).toBe(0);
    expect(view.root.ownBuffers?.sharedHit).toBe(0);
    expect(view.root.buffers?.sharedHit).toBe(2);
  });

  it('lists conditions, keys and the sort method, but not Output', () => {
    const sort = ok(fixture('03-disk-sort')).root;
    expect(sort.details).toEqual([
      { label: 'Sort Key', value: 'note' },
      { label: 'Sort', value: 'external merge, Disk 13,856 kB' },
      { label: 'Buffers with children', value: 'hit 4,003 · read 0 · temp read 6,908 · temp written 7,493' },
      { label: 'Cost', value: '67,108..67,858 (startup..total, per loop)' },
      { label: 'Actual time', value: '325..357 ms (first row..last row, per loop)' },
    ]);
    const verbose = ok(fixture('01-seq-scan-filter')).root;
    expect(verbose.details.map((d) => d.label)).toEqual(['Filter', 'Rows Removed by Filter', 'Cost', 'Actual time']);
    expect(verbose.details[0]?.value).toBe("(o.status = 'cancelled'::text)");
  });

  it('gives a plan without ANALYZE estimates only: no actuals, times or badges', () => {
    const view = ok(fixture('05-estimates-only'));
    expect(view.analyzed).toBe(false);
    expect(view.timed).toBe(false);
    expect(view.totalCost).toBe(9464.21);
    expect(view.nodes).toHaveLength(6);
    for (const node of view.nodes) {
      expect(node.actual).toBeNull();
      expect(node.exclusiveMs).toBeNull();
      expect(node.badges).toEqual([]);
      expect(node.planRows).toBeGreaterThan(0);
    }
  });
});

describe('badge thresholds', () => {
  const scan = (fields: Record<string, unknown>) => ok({ 'Node Type': 'Seq Scan', 'Relation Name': 't', 'Actual Loops': 1, ...fields }).root;
  const kinds = (node: PlanNodeView) => node.badges.map((b) => b.kind).filter((k) => k !== 'slowest');

  it('misestimate from 10× either way, with its direction and factor', () => {
    expect(BADGE_THRESHOLDS.misestimateFactor).toBe(10);
    const under = scan({ 'Plan Rows': 10, 'Actual Rows': 100 });
    expect(under.badges).toContainEqual(expect.objectContaining({ kind: 'misestimate', direction: 'under', factor: 10 }));
    const over = scan({ 'Plan Rows': 5000, 'Actual Rows': 0 });
    expect(over.badges).toContainEqual(expect.objectContaining({ kind: 'misestimate', direction: 'over', factor: 5000 }));
    expect(kinds(scan({ 'Plan Rows': 10, 'Actual Rows': 99 }))).toEqual([]);
  });

  it('filter-discards from 90 % of the rows read and 1000 rows removed, over all loops', () => {
    expect(kinds(scan({ 'Plan Rows': 100, 'Actual Rows': 100, 'Rows Removed by Filter': 900 }))).toEqual([]);
    // 900 per loop × 2 loops = 1800 removed of 2000 read.
    expect(kinds(scan({ 'Plan Rows': 100, 'Actual Rows': 100, 'Actual Loops': 2, 'Rows Removed by Filter': 900 }))).toEqual(['filter-discards']);
    expect(kinds(scan({ 'Plan Rows': 100, 'Actual Rows': 200, 'Rows Removed by Filter': 1700 }))).toEqual([]);
  });

  it('seq-scan-large from 10 000 rows read, returned or filtered out', () => {
    expect(kinds(scan({ 'Plan Rows': 10_000, 'Actual Rows': 9999 }))).toEqual([]);
    expect(kinds(scan({ 'Plan Rows': 9000, 'Actual Rows': 9000, 'Rows Removed by Filter': 1000 }))).toEqual(['seq-scan-large']);
    expect(kinds(ok({ 'Node Type': 'Index Scan', 'Plan Rows': 50_000, 'Actual Rows': 50_000, 'Actual Loops': 1 }).root)).toEqual([]);
  });

  it('disk-sort, lossy-bitmap and temp-io on what the node itself did', () => {
    const sort = ok({ 'Node Type': 'Sort', 'Plan Rows': 1, 'Actual Rows': 1, 'Actual Loops': 1, 'Sort Method': 'external sort', 'Sort Space Type': 'Disk', 'Temp Written Blocks': 10 });
    expect(kinds(sort.root)).toEqual(['disk-sort', 'temp-io']);
    const memorySort = ok({ 'Node Type': 'Sort', 'Plan Rows': 1, 'Actual Rows': 1, 'Actual Loops': 1, 'Sort Method': 'quicksort', 'Sort Space Type': 'Memory' });
    expect(kinds(memorySort.root)).toEqual([]);
    const bitmap = ok({ 'Node Type': 'Bitmap Heap Scan', 'Plan Rows': 1, 'Actual Rows': 1, 'Actual Loops': 1, 'Exact Heap Blocks': 3, 'Lossy Heap Blocks': 0 });
    expect(kinds(bitmap.root)).toEqual([]);
    // The parent's temp blocks are its child's: only the child spilled.
    const parent = ok({
      'Node Type': 'Limit', 'Plan Rows': 1, 'Actual Rows': 1, 'Actual Loops': 1, 'Temp Written Blocks': 10,
      Plans: [{ 'Node Type': 'Sort', 'Plan Rows': 1, 'Actual Rows': 1, 'Actual Loops': 1, 'Temp Written Blocks': 10 }],
    });
    expect(kinds(parent.root)).toEqual([]);
    expect(kinds(parent.root.children[0]!)).toEqual(['temp-io']);
  });

  it('slowest on exactly one node, and only when the plan was timed', () => {
    const view = ok(fixture('04-lossy-bitmap'));
    const slowest = view.nodes.filter((n) => n.badges.some((b) => b.kind === 'slowest'));
    expect(slowest.map((n) => n.label)).toEqual(['Bitmap Heap Scan on events']);
    const untimed = ok({ 'Node Type': 'Seq Scan', 'Plan Rows': 1, 'Actual Rows': 1, 'Actual Loops': 1 });
    expect(untimed.timed).toBe(false);
    expect(untimed.root.badges).toEqual([]);
  });
});
