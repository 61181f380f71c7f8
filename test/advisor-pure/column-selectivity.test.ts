import { describe, expect, it } from 'vitest';
import type { IndexCandidate } from '../../plv8/advisor/candidates/index-candidate.ts';
import { mostSelectiveFirst } from '../../plv8/catalog/column-selectivity.ts';

const candidate = (keys: IndexCandidate['keys'], equalityPrefix: number): IndexCandidate => ({ schema: 'public', table: 'orders', keys, equalityPrefix, reason: '' });

describe('mostSelectiveFirst', () => {
  const distinct = new Map([['status', 4], ['customer_id', 20_000], ['region', 20]]);

  it('orders the leading equality keys by distinct values, most first, and leaves range and sort keys in place', () => {
    const c = candidate([{ column: 'status' }, { column: 'region' }, { column: 'customer_id' }, { column: 'created_at' }], 3);
    expect(mostSelectiveFirst(c, distinct).keys.map((k) => k.column)).toEqual(['customer_id', 'region', 'status', 'created_at']);
  });

  it('puts keys without statistics (expressions) after those with, and keeps ties in their order', () => {
    const c = candidate([{ expression: 'lower(email)' }, { column: 'status' }, { column: 'kind' }, { column: 'other' }], 4);
    const ties = new Map([['status', 4], ['kind', 4], ['other', 4]]);
    expect(mostSelectiveFirst(c, ties).keys).toEqual([{ column: 'status' }, { column: 'kind' }, { column: 'other' }, { expression: 'lower(email)' }]);
  });

  it('leaves a candidate with fewer than two equality keys as it is', () => {
    const c = candidate([{ column: 'status' }, { column: 'customer_id' }], 1);
    expect(mostSelectiveFirst(c, distinct)).toBe(c);
  });
});
