import { describe, expect, it } from 'vitest';
import { DEMO_TABLES, MAX_SCALE, ROWS_AT_SCALE_1, demoRowCounts, validateScale } from '../../sidecar/demo/dataset.ts';
import { readSqlSteps, splitSqlSteps } from '../../sidecar/demo/sql-steps.ts';

describe('demo row counts', () => {
  it('are the scale-1 sizes at scale 1', () => {
    expect(demoRowCounts(1)).toEqual(ROWS_AT_SCALE_1);
  });

  it('grow linearly with the scale', () => {
    const half = demoRowCounts(0.5);
    const double = demoRowCounts(2);
    expect(double.customers).toBe(4 * half.customers);
    expect(double.orders).toBe(4 * half.orders);
    expect(double.events).toBe(4 * half.events);
  });

  it('never drop below a few rows per table at tiny scales', () => {
    const tiny = demoRowCounts(1e-9);
    expect(tiny.customers).toBeGreaterThanOrEqual(20);
    expect(tiny.products).toBeGreaterThanOrEqual(20);
    expect(tiny.orders).toBeGreaterThanOrEqual(50);
    expect(tiny.events).toBeGreaterThanOrEqual(50);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, MAX_SCALE + 1, '1' as unknown as number])(
    'rejects scale %s with a one-line message',
    (scale) => {
      expect(() => validateScale(scale)).toThrow(/^demo scale must be a number greater than 0 and at most 100 \(got .*\)$/);
    },
  );

  it('accepts fractional scales up to the maximum', () => {
    expect(() => validateScale(0.001)).not.toThrow();
    expect(() => validateScale(MAX_SCALE)).not.toThrow();
  });
});

describe('SQL steps', () => {
  it('splits a file at "-- step:" markers and drops comment-only text', () => {
    const steps = splitSqlSteps('-- header only\n\n-- step: one\nselect 1;\n-- step: two\n-- why\nselect 2;\nselect 3;\n', 'file.sql');
    expect(steps).toEqual([
      { name: 'one', sql: 'select 1;' },
      { name: 'two', sql: '-- why\nselect 2;\nselect 3;' },
    ]);
  });

  it('names statements before the first marker after the file', () => {
    expect(splitSqlSteps('create table t (x int);\n', 'schema.sql')).toEqual([{ name: 'schema.sql', sql: 'create table t (x int);' }]);
  });

  it('finds one data step per demo table in data.sql, in load order', async () => {
    const steps = await readSqlSteps(new URL('../../sidecar/demo/data.sql', import.meta.url));
    const tableSteps = steps.map((step) => step.name).filter((name) => (DEMO_TABLES as readonly string[]).includes(name));
    expect(tableSteps).toEqual([...DEMO_TABLES]);
  });
});
