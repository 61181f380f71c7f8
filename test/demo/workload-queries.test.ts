import { describe, expect, it } from 'vitest';
import { seededDraw } from '../../sidecar/demo/random.ts';
import { queryChooser, validateWorkloadOptions } from '../../sidecar/demo/workload.ts';
import { WORKLOAD_QUERIES, workloadQuery } from '../../sidecar/demo/workload-queries.ts';
import type { WorkloadSample } from '../../sidecar/demo/workload-sample.ts';

const sample: WorkloadSample = {
  customers: [{ id: '7', email: 'anna.smith7@example.com', address: '1 Oak Street, Springfield' }],
  orderIds: ['11'],
  products: [{ id: '3', category: 'home', searchTerm: 'Classic Wool' }],
  countryCodes: ['DE'],
  dataEnd: new Date('2025-07-01T00:00:00Z'),
};

/** The highest $n in a statement: how many bind parameters the server expects. */
function parameterCount(text: string): number {
  return Math.max(0, ...[...text.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
}

describe('workload query definitions', () => {
  it('have unique kinds', () => {
    const kinds = WORKLOAD_QUERIES.map((query) => query.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
  });

  it.each(WORKLOAD_QUERIES.map((query) => [query.kind, query] as const))('%s draws one value per bind parameter', (_kind, query) => {
    const draw = seededDraw(1);
    for (let i = 0; i < 20; i++) expect(query.params(sample, draw)).toHaveLength(parameterCount(query.text));
  });

  it('cover the reads the demo needs, each naming the index it misses, and three writes', () => {
    const reads = WORKLOAD_QUERIES.filter((query) => query.access === 'read');
    expect(reads.map((query) => query.kind)).toEqual([
      'customer-by-email',
      'customer-by-email-ci',
      'orders-by-customer-status',
      'orders-of-new-customers',
      'recent-orders-by-status',
      'revenue-dashboard',
      'product-search',
      'order-items',
    ]);
    for (const read of reads) expect(read.missingIndex).toMatch(/^\w+ \(.+\)/);
    expect(WORKLOAD_QUERIES.filter((query) => query.access === 'write').map((query) => query.kind)).toEqual([
      'insert-event',
      'update-order-status',
      'insert-order',
    ]);
  });

  it('look up a case-insensitive email in varied cases', () => {
    const query = workloadQuery('customer-by-email-ci');
    const draw = seededDraw(3);
    const typed = new Set(Array.from({ length: 50 }, () => query.params(sample, draw)[0]));
    expect(typed.size).toBeGreaterThan(1);
    for (const email of typed) expect(String(email).toLowerCase()).toBe('anna.smith7@example.com');
  });

  it('throw for an unknown kind', () => {
    expect(() => workloadQuery('nope')).toThrow(/no demo workload query of kind "nope"/);
  });
});

describe('query chooser', () => {
  it('paces writes to one every 500 ms and rotates through the write kinds', () => {
    const choose = queryChooser(0);
    const draw = seededDraw(5);
    const writes: { at: number; kind: string }[] = [];
    // A statement every 10 ms for 3 s.
    for (let now = 0; now < 3000; now += 10) {
      const query = choose(now, draw);
      if (query.access === 'write') writes.push({ at: now, kind: query.kind });
    }
    expect(writes.map((write) => write.at)).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    expect(writes.map((write) => write.kind)).toEqual([
      'insert-event',
      'update-order-status',
      'insert-order',
      'insert-event',
      'update-order-status',
      'insert-order',
    ]);
  });

  it('does not burst writes after a long read', () => {
    const choose = queryChooser(0);
    const draw = seededDraw(6);
    expect(choose(0, draw).access).toBe('write');
    // The next statement starts 5 s later (a slow read): one write, then reads until 500 ms pass.
    expect(choose(5000, draw).access).toBe('write');
    expect(choose(5001, draw).access).toBe('read');
    expect(choose(5499, draw).access).toBe('read');
    expect(choose(5500, draw).access).toBe('write');
  });
});

describe('workload options', () => {
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s seconds', (seconds) => {
    expect(() => validateWorkloadOptions(seconds, 2)).toThrow(/^workload seconds must be a number greater than 0/);
  });

  it.each([0, 1.5, 65])('rejects a concurrency of %s', (concurrency) => {
    expect(() => validateWorkloadOptions(1, concurrency)).toThrow(/^workload concurrency must be a whole number from 1 to 64/);
  });
});
