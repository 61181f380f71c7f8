import { describe, expect, test } from 'vitest';
import { parseInterval } from '../../sidecar/cli/parse-interval.ts';
import { parseSize } from '../../sidecar/cli/parse-size.ts';
import { updatedColumns, writeCostMs, writeRates } from '../../plv8/advisor/workload/writes.ts';
import type { TableFacts } from '../../plv8/catalog/table-facts.ts';

describe('parseSize', () => {
  test.each([
    ['4096', 4096],
    ['1b', 1],
    ['500MB', 500 * 1024 ** 2],
    ['500 mb', 500 * 1024 ** 2],
    ['2GB', 2 * 1024 ** 3],
    ['2G', 2 * 1024 ** 3],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['64kB', 65536],
    ['1TB', 1024 ** 4],
  ])('%s → %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  test.each(['', 'lots', '-1MB', '0', '0MB', '5 XB', '1e3', 'MB', '1ib', '2 GB extra'])('%j is not a size', (text) => {
    expect(parseSize(text)).toBeNull();
  });
});

describe('parseInterval', () => {
  test.each([
    ['1h', '1 hours'],
    ['30m', '30 minutes'],
    ['45s', '45 seconds'],
    ['2d', '2 days'],
    ['1w', '1 weeks'],
    ['90 minutes', '90 minutes'],
    ['1 hour', '1 hours'],
    ['1.5h', '1.5 hours'],
  ])('%s → %s', (text, interval) => {
    expect(parseInterval(text)).toBe(interval);
  });

  test.each(['', 'soon', '1', 'h', '-1h', '0h', '1 month', "1h'; drop table t; --"])('%j is not a window', (text) => {
    expect(parseInterval(text)).toBeNull();
  });
});

describe('write cost', () => {
  const table = (over: Partial<TableFacts>): TableFacts => ({
    schema: 'public',
    table: 'orders',
    kind: 'r',
    rows: 1e6,
    bytes: 1e8,
    insertsPerSecond: 0,
    updatesPerSecond: 0,
    deletesPerSecond: 0,
    hotUpdatesPerSecond: 0,
    statsSeconds: 3600,
    ...over,
  });

  test('inserts and non-HOT updates, per second × window × ms per entry', () => {
    const rates = writeRates(table({ insertsPerSecond: 10, updatesPerSecond: 8, hotUpdatesPerSecond: 6 }), []);
    expect(rates).toEqual({ indexWritesPerSecond: 12, hotUpdatesPerSecond: 6 });
    expect(writeCostMs(rates, 3600, false)).toBeCloseTo(12 * 3600 * 0.05, 6);
    // An index on a column the workload updates also ends the HOT updates.
    expect(writeCostMs(rates, 3600, true)).toBeCloseTo(18 * 3600 * 0.05, 6);
  });

  test('rates measured over the window win over the cumulative ones', () => {
    const measured = [{ schema: 'public', table: 'orders', insertsPerSecond: 1, updatesPerSecond: 0, deletesPerSecond: 0, hotUpdatesPerSecond: 0 }];
    expect(writeRates(table({ insertsPerSecond: 100 }), measured).indexWritesPerSecond).toBe(1);
    expect(writeRates(table({ table: 'other', insertsPerSecond: 100 }), measured).indexWritesPerSecond).toBe(100);
  });

  test("a table the collector's window has no row for had no writes in it, whatever its cumulative counters say", () => {
    const measured = [{ schema: 'public', table: 'orders', insertsPerSecond: 1, updatesPerSecond: 0, deletesPerSecond: 0, hotUpdatesPerSecond: 0 }];
    expect(writeRates(table({ table: 'other', insertsPerSecond: 100 }), measured, true)).toEqual({ indexWritesPerSecond: 0, hotUpdatesPerSecond: 0 });
    expect(writeRates(table({ insertsPerSecond: 100 }), measured, true).indexWritesPerSecond).toBe(1);
  });

  test('updatedColumns reads the SET lists of the workload UPDATEs', () => {
    const s = (query: string) => ({ queryid: null, query, calls: 1, meanMs: 1 });
    const columns = updatedColumns([
      s('update public.orders set status = $1, updated_at = now() where id = $2'),
      s('UPDATE "Orders" SET "Total" = $1 WHERE id = $2'),
      s('update only items as i set (price, stock) = ($1, $2) from x where i.id = x.id'),
      s('select * from orders where status = $1'),
    ]);
    expect(columns.get('orders')).toEqual(new Set(['status', 'updated_at']));
    expect(columns.get('Orders')).toEqual(new Set(['Total']));
    expect(columns.get('items')).toEqual(new Set(['price', 'stock']));
    expect(columns.size).toBe(3);
  });
});
