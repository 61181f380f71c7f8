import { describe, expect, test } from 'vitest';
import { costWithSet, measuredSelection, selectIndexes, type SelectionCandidate, type SelectionQuery } from '../../plv8/advisor/workload/selection.ts';

const query = (id: string, weightMs: number, costBefore: number, costs: Record<string, number>): SelectionQuery => ({
  id,
  weightMs,
  costBefore,
  costWith: new Map(Object.entries(costs)),
});
const candidate = (id: string, keys: string[], sizeBytes: number, writeCostMs = 0, table = 'public.orders'): SelectionCandidate => ({
  id,
  table,
  keys,
  sizeBytes,
  writeCostMs,
});

describe('selectIndexes', () => {
  test('a join that needs an index on each side gets both, though the second alone saves nothing', () => {
    // orders(customer_id) alone halves the join; order_items(order_id) helps only beside it.
    const join: SelectionQuery = { ...query('join', 1000, 1000, { orders: 500 }), pairCosts: [{ ids: ['orders', 'items'], cost: 20 }] };
    const candidates = [candidate('orders', ['customer_id'], 1_000_000), candidate('items', ['order_id'], 1_000_000, 0, 'public.order_items')];
    const selection = selectIndexes([join], candidates);
    expect(selection.chosen).toEqual(['orders', 'items']);
    expect(costWithSet(join, new Set(['orders', 'items']))).toBe(20);
    expect(costWithSet(join, new Set(['items']))).toBe(1000);
    // Without the pair's measurement, the second index would never pay.
    expect(selectIndexes([query('join', 1000, 1000, { orders: 500 })], candidates).chosen).toEqual(['orders']);
  });

  test('one index serving several queries beats one narrow index per query', () => {
    // shared serves q1..q3 nearly as well as each query's own index; all four are the same size.
    const queries = [
      query('q1', 1000, 1000, { shared: 12, own1: 10 }),
      query('q2', 1000, 1000, { shared: 12, own2: 10 }),
      query('q3', 1000, 1000, { shared: 12, own3: 10 }),
    ];
    const candidates = [
      candidate('own1', ['a'], 1_000_000, 0, 'public.t1'),
      candidate('own2', ['b'], 1_000_000, 0, 'public.t1'),
      candidate('own3', ['c'], 1_000_000, 0, 'public.t1'),
      candidate('shared', ['d'], 1_000_000, 0, 'public.t1'),
    ];
    const selection = selectIndexes(queries, candidates);
    expect(selection.chosen).toEqual(['shared']);
    expect(selection.gainMs).toBeCloseTo(3 * 1000 * 0.988, 6);
    expect(selection.sizeBytes).toBe(1_000_000);
  });

  test('Extend: a chosen index is replaced by a wider one that starts with its keys', () => {
    // (customer_id) is cheapest per byte at first; (customer_id, status) then serves q2 much better
    // and q1 almost as well, for a few more bytes: one index, not two.
    const queries = [
      query('q1', 500, 1000, { c: 10, cs: 11 }),
      query('q2', 500, 1000, { c: 300, cs: 10 }),
    ];
    const selection = selectIndexes(queries, [candidate('c', ['customer_id'], 2_000_000), candidate('cs', ['customer_id', 'status'], 2_400_000)]);
    expect(selection.chosen).toEqual(['cs']);
    expect(selection.steps.map((s) => [s.candidate, s.replaced])).toEqual([
      ['c', null],
      ['cs', 'c'],
    ]);
    expect(selection.sizeBytes).toBe(2_400_000);
  });

  test('the budget is respected: the big index does not fit, the smaller one does', () => {
    const queries = [query('q1', 1000, 1000, { big: 5, small: 50 })];
    const candidates = [candidate('big', ['a', 'b'], 10_000_000), candidate('small', ['x'], 3_000_000)];
    expect(selectIndexes(queries, candidates).chosen).toEqual(['small']); // better per byte anyway
    expect(selectIndexes(queries, candidates, { budgetBytes: 2_999_999 }).chosen).toEqual([]);
    const onlyBig = [candidate('big', ['a', 'b'], 10_000_000)];
    expect(selectIndexes(queries, onlyBig, { budgetBytes: 9_999_999 }).chosen).toEqual([]);
    expect(selectIndexes(queries, onlyBig, { budgetBytes: 10_000_000 }).chosen).toEqual(['big']);
    const total = selectIndexes(
      [query('q1', 1000, 1000, { a: 10 }), query('q2', 1000, 1000, { b: 10 }), query('q3', 900, 1000, { c: 10 })],
      [candidate('a', ['a'], 4_000_000), candidate('b', ['b'], 4_000_000), candidate('c', ['c'], 4_000_000)],
      { budgetBytes: 9_000_000 },
    );
    expect(total.chosen).toEqual(['a', 'b']);
    expect(total.sizeBytes).toBeLessThanOrEqual(9_000_000);
  });

  test('write overhead vetoes an index on a write-heavy table, and not the same index on a quiet one', () => {
    const queries = [query('q1', 200, 1000, { idx: 10 })];
    expect(selectIndexes(queries, [candidate('idx', ['a'], 1_000_000, 250)]).chosen).toEqual([]);
    expect(selectIndexes(queries, [candidate('idx', ['a'], 1_000_000, 20)]).chosen).toEqual(['idx']);
  });

  test('a small extra gain on queries another index already serves is not worth an index', () => {
    const queries = [query('q1', 1000, 1000, { a: 20, b: 10 })];
    // b is bigger, a is chosen first per byte; b would shave 1% more: below the 20% bar.
    const selection = selectIndexes(queries, [candidate('a', ['a'], 1_000_000), candidate('b', ['b'], 5_000_000)]);
    expect(selection.chosen).toEqual(['a']);
  });

  test('ties are broken deterministically, whatever the input order', () => {
    const queries = [query('q1', 100, 1000, { x: 10, y: 10 })];
    const x = candidate('x', ['a'], 1_000_000);
    const y = candidate('y', ['b'], 1_000_000);
    expect(selectIndexes(queries, [x, y]).chosen).toEqual(['x']);
    expect(selectIndexes(queries, [y, x]).chosen).toEqual(['x']);
    expect(selectIndexes([...queries].reverse(), [y, x])).toEqual(selectIndexes(queries, [x, y]));
  });

  test('queries without weight or cost contribute nothing; no candidates gives an empty choice', () => {
    expect(selectIndexes([query('q1', 0, 1000, { a: 1 }), query('q2', 10, 0, { a: 0 })], [candidate('a', ['a'], 1)]).chosen).toEqual([]);
    expect(selectIndexes([], [])).toEqual({ chosen: [], steps: [], gainMs: 0, writeCostMs: 0, sizeBytes: 0, budgetBound: false });
  });

  test('costWithSet is the best single-index cost of the set (the approximation)', () => {
    const q = query('q', 1, 1000, { a: 300, b: 200 });
    expect(costWithSet(q, new Set(['a', 'b']))).toBe(200);
    expect(costWithSet(q, new Set(['a']))).toBe(300);
    expect(costWithSet(q, new Set())).toBe(1000);
  });
});

describe('selectIndexes: the workload-wide floor', () => {
  test('an index that saves less than 0.3% of the whole workload time is not worth it, however good per query', () => {
    const queries = [query('hot', 10_000, 1000, { a: 10 }), query('pk', 20, 10, { cover: 4 })];
    const selection = selectIndexes(queries, [candidate('a', ['a'], 1_000_000), candidate('cover', ['id'], 50_000_000, 0, 'public.t2')]);
    // cover would save 12 ms of 10,020 (0.12%), though 60% of its statement's time.
    expect(selection.chosen).toEqual(['a']);
    expect(selectIndexes(queries, [candidate('cover', ['id'], 50_000_000, 0, 'public.t2')], { minGainPct: 0.1 }).chosen).toEqual(['cover']);
  });
});

describe('groups: indexes that help only together', () => {
  test('the arms of an OR are chosen together, though neither alone lowers the cost', () => {
    const queries = [{ id: 'or', weightMs: 1000, costBefore: 1000, costWith: new Map<string, number>(), pairCosts: [{ ids: ['a', 'b'], cost: 20 }] }];
    const candidates = [
      { id: 'a', table: 'public.t', keys: ['assignee_id'], sizeBytes: 2e6, writeCostMs: 1 },
      { id: 'b', table: 'public.t', keys: ['reporter_id'], sizeBytes: 2e6, writeCostMs: 1 },
    ];
    const selection = selectIndexes(queries, candidates);
    expect(selection.chosen.sort()).toEqual(['a', 'b']);
    expect(selection.gainMs).toBeCloseTo(980);
  });

  test('a group that does not fit the budget is not chosen in part', () => {
    const queries = [{ id: 'or', weightMs: 1000, costBefore: 1000, costWith: new Map<string, number>(), pairCosts: [{ ids: ['a', 'b'], cost: 20 }] }];
    const candidates = [
      { id: 'a', table: 'public.t', keys: ['assignee_id'], sizeBytes: 2e6, writeCostMs: 1 },
      { id: 'b', table: 'public.t', keys: ['reporter_id'], sizeBytes: 2e6, writeCostMs: 1 },
    ];
    expect(selectIndexes(queries, candidates, { budgetBytes: 3e6 }).chosen).toEqual([]);
  });
});

describe('measuredSelection', () => {
  /** Drives the selection, answering each plan request from `truth` (a set's cost per statement). */
  const run = (queries: SelectionQuery[], candidates: SelectionCandidate[], truth: (set: readonly string[], q: SelectionQuery) => number, options = {}) => {
    const requests: string[][] = [];
    const measure = function* (set: readonly string[], qs: readonly SelectionQuery[]) {
      requests.push([...set]);
      return qs.map((q) => truth(set, q));
    };
    const steps = measuredSelection(queries, candidates, options, measure);
    const done = steps.next();
    // The measure above never yields to a host: the generator runs to its end at once.
    if (!done.done) throw new Error('the selection asked the host for something');
    return { selection: done.value, requests };
  };

  test('two indexes that help only together, unseen by single costs and unmeasured as a group, are both chosen', () => {
    // A self-join: each index alone takes 20 % off, the two together 90 % (a plan only the whole set shows).
    const q: SelectionQuery = query('self-join', 1000, 1000, { a: 800, b: 800 });
    const candidates = [candidate('a', ['x'], 1_000_000), candidate('b', ['y'], 1_000_000)];
    const truth = (set: readonly string[]) => (set.includes('a') && set.includes('b') ? 100 : set.length === 1 ? 800 : 1000);
    expect(selectIndexes([q], candidates, { minImprovementPct: 5 }).chosen).toEqual(['a']);
    const { selection, requests } = run([q], candidates, truth, { minImprovementPct: 5 });
    expect([...selection.chosen].sort()).toEqual(['a', 'b']);
    expect(requests.some((set) => set.length === 2)).toBe(true);
    expect(selection.gainMs).toBeCloseTo(900, 5);
  });

  test('a move the estimate likes but the plan of the whole set does not is left out', () => {
    // c alone halves the statement; with a in place it adds nothing (the planner keeps a's plan).
    const q: SelectionQuery = query('q', 1000, 1000, { a: 200, c: 500 });
    const candidates = [candidate('a', ['x'], 1_000_000), candidate('c', ['z'], 1_000_000)];
    const truth = (set: readonly string[]) => (set.includes('a') ? 200 : set.includes('c') ? 500 : 1000);
    const { selection } = run([q], candidates, truth, { minImprovementPct: 1 });
    expect(selection.chosen).toEqual(['a']);
  });

  test('under a budget, the greedy by gain alone wins where the greedy by gain per byte fills the budget with a small index', () => {
    // small: 300 ms for 1 MB; big: 600 ms for 3 MB; the budget holds one of them.
    const queries = [query('q1', 1000, 1000, { small: 700 }), query('q2', 1000, 1000, { big: 400 })];
    const candidates = [candidate('small', ['x'], 1_000_000), candidate('big', ['y'], 3_000_000, 0, 'public.items')];
    const truth = (set: readonly string[], q: SelectionQuery) => (q.id === 'q1' ? (set.includes('small') ? 700 : 1000) : set.includes('big') ? 400 : 1000);
    expect(selectIndexes(queries, candidates, { budgetBytes: 3_000_000, minImprovementPct: 1 }).chosen).toEqual(['small']);
    const { selection } = run(queries, candidates, truth, { budgetBytes: 3_000_000, minImprovementPct: 1 });
    expect(selection.chosen).toEqual(['big']);
    expect(selection.gainMs).toBeCloseTo(600, 5);
  });

  test('the budget holds with measuring as without', () => {
    const q: SelectionQuery = query('q', 1000, 1000, { a: 100, b: 600 });
    const candidates = [candidate('a', ['x'], 3_000_000), candidate('b', ['y'], 1_000_000)];
    const { selection } = run([q], candidates, (set) => (set.includes('a') ? 100 : set.includes('b') ? 600 : 1000), { budgetBytes: 2_000_000, minImprovementPct: 1 });
    expect(selection.chosen).toEqual(['b']);
    expect(selection.sizeBytes).toBeLessThanOrEqual(2_000_000);
  });

  test('a budget that turns no paying move away is run once: the greedy by gain would find the same', () => {
    const queries = [query('q1', 1000, 1000, { small: 700 }), query('q2', 1000, 1000, { big: 400 })];
    const candidates = [candidate('small', ['x'], 1_000_000), candidate('big', ['y'], 3_000_000, 0, 'public.items')];
    const truth = (set: readonly string[], q: SelectionQuery) => (q.id === 'q1' ? (set.includes('small') ? 700 : 1000) : set.includes('big') ? 400 : 1000);
    const roomy = run(queries, candidates, truth, { budgetBytes: 10_000_000, minImprovementPct: 1 });
    const tight = run(queries, candidates, truth, { budgetBytes: 3_000_000, minImprovementPct: 1 });
    expect([...roomy.selection.chosen].sort()).toEqual(['big', 'small']);
    expect(roomy.selection.budgetBound).toBe(false);
    expect(tight.selection.budgetBound).toBe(true);
    // The roomy budget planned exactly what a run without a budget plans (one greedy).
    expect(roomy.requests).toEqual(run(queries, candidates, truth, { minImprovementPct: 1 }).requests);
  });

  test('under a budget, an index that earns little per byte is swapped out for what its bytes buy', () => {
    // b (3 MB) serves q0 and part of q2, d (1 MB) the rest of q2, c (3 MB) q1. Both greedy runs
    // take b and d, and then c does not fit the 5 MB; taking b out for c saves more.
    const queries = [query('q0', 500, 1000, { b: 0 }), query('q1', 600, 1000, { c: 0 }), query('q2', 200, 1000, { d: 0, b: 300 })];
    const candidates = [candidate('b', ['x'], 3e6), candidate('c', ['y'], 3e6, 0, 'public.items'), candidate('d', ['z'], 1e6, 0, 'public.events')];
    const truth = (set: readonly string[], q: SelectionQuery) => Math.min(q.costBefore, ...set.map((id) => q.costWith.get(id) ?? Infinity));
    const options = { budgetBytes: 5e6, minImprovementPct: 1 };
    expect([...selectIndexes(queries, candidates, options).chosen].sort()).toEqual(['b', 'd']);
    const { selection } = run(queries, candidates, truth, options);
    expect([...selection.chosen].sort()).toEqual(['c', 'd']);
    expect(selection.gainMs).toBeCloseTo(800, 5);
    expect(selection.steps.some((step) => step.replaced === 'b' && step.candidate === 'c')).toBe(true);
    expect(selection.sizeBytes).toBeLessThanOrEqual(5e6);
  });
});
