import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparePlans, planTree } from '../../../ui/src/plan/plan-model.ts';

const read = (file: string) => planTree(JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', file), 'utf8')));
const before = read('pairs/orders-by-customer.before.json');
const after = read('pairs/orders-by-customer.after.json');

describe('comparePlans', () => {
  it('summarises a recorded before/after pair: the time, the cost and the new way to read the table', () => {
    const summary = comparePlans(before, after);
    if (!summary.ok) throw new Error(summary.error);
    expect(summary.accessChanges).toEqual(['Seq Scan on orders → Index Scan using orders_customer_idx on orders']);
    expect(summary.appeared).toEqual(['Index Scan']);
    expect(summary.disappeared).toEqual(['Seq Scan']);
    expect(summary.time).toEqual({ before: 62.634, after: 1.589, ratio: 62.634 / 1.589 });
    expect(summary.cost).toEqual({ before: 7750, after: 64.68, ratio: 7750 / 64.68 });
    expect(summary.lines).toEqual([
      'Execution time 62.6 ms → 1.59 ms (39× faster)',
      'Estimated cost 7,750 → 64.68 (120× lower)',
      'Seq Scan on orders → Index Scan using orders_customer_idx on orders',
      'New operators: Index Scan',
      'Gone: Seq Scan',
    ]);
  });

  it('calls the other direction slower, and a plan against itself the same', () => {
    const back = comparePlans(after, before);
    expect(back.ok && back.lines[0]).toBe('Execution time 1.59 ms → 62.6 ms (39× slower)');
    const same = comparePlans(before, before);
    expect(same.ok && same.lines).toEqual(['Execution time 62.6 ms → 62.6 ms (about the same)', 'Estimated cost 7,750 → 7,750 (about the same)', 'Same plan shape']);
  });

  it('names bitmap scans with their indexes and leaves time out when a plan has no actuals', () => {
    const summary = comparePlans(read('10-update-estimates.plan.json'), before);
    if (!summary.ok) throw new Error(summary.error);
    expect(summary.time).toBeNull();
    expect(summary.lines[0]).toBe('Execution time: not measured in both plans (EXPLAIN without ANALYZE)');
    expect(summary.accessChanges).toEqual(['Bitmap Heap Scan on items using items_n_idx → no read of items', 'no read of orders → Seq Scan on orders']);
  });

  it('reports which side cannot be read', () => {
    expect(comparePlans(before, planTree('garbage'))).toEqual({ ok: false, error: expect.stringMatching(/^the plan after cannot be read: not JSON/) });
    expect(comparePlans(planTree(null), after)).toEqual({ ok: false, error: 'the plan before cannot be read: expected EXPLAIN (FORMAT JSON) output, got null' });
  });
});
