import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparePlanShapes, planShape } from '../../sidecar/sandbox/plan-shape.ts';

/**
 * Recorded plan pairs (test/sandbox/fixtures/NN-name.{production,sandbox,expect}.json, recorded on
 * the test cluster with planner settings steering each side): a bug report becomes three files.
 */
const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const read = (file: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8'));
const cases = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.expect.json'))
  .map((file) => file.replace('.expect.json', ''))
  .sort();

describe('comparePlanShapes on recorded plans', () => {
  it('finds the recorded pairs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(6);
  });
  for (const name of cases) {
    it(name, () => {
      expect(comparePlanShapes(read(`${name}.sandbox.json`), read(`${name}.production.json`))).toEqual(read(`${name}.expect.json`));
    });
  }
});

describe('planShape', () => {
  it('keeps the choices and drops the numbers', () => {
    const production = read('03-hash-join-vs-nested-loop.production.json');
    expect(planShape(production)).toBe('Hash Join\n  Seq Scan on orders\n  Hash\n    Seq Scan on customers');
    // The root object and the array give the same shape; so do other costs and row counts.
    const root = (production as object[])[0] as { Plan: Record<string, unknown> };
    const changed = structuredClone(root);
    Object.assign(changed.Plan, { 'Total Cost': 1, 'Plan Rows': 99999, 'Plan Width': 3 });
    expect(planShape(changed)).toBe(planShape(production));
  });

  it('drops what parallelism adds: a parallel plan has the serial plan\'s shape', () => {
    const parallel = read('04-parallel-vs-serial.production.json');
    expect(JSON.stringify(parallel)).toContain('"Gather"');
    expect(planShape(parallel)).toBe(planShape(read('04-parallel-vs-serial.sandbox.json')));
    // A Finalize/Partial aggregate pair around Gather Merge reads as one aggregate over one sort.
    const finalize = [{ Plan: { 'Node Type': 'Aggregate', Strategy: 'Sorted', 'Partial Mode': 'Finalize', Plans: [
      { 'Node Type': 'Gather Merge', 'Workers Planned': 2, Plans: [
        { 'Node Type': 'Sort', Plans: [
          { 'Node Type': 'Aggregate', Strategy: 'Sorted', 'Partial Mode': 'Partial', Plans: [
            { 'Node Type': 'Sort', Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 'orders', 'Parallel Aware': true }] }] }] }] }] } }];
    const serial = { Plan: { 'Node Type': 'Aggregate', Strategy: 'Sorted', 'Partial Mode': 'Simple', Plans: [
      { 'Node Type': 'Sort', Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 'orders', 'Parallel Aware': false }] }] } };
    expect(planShape(finalize)).toBe('GroupAggregate\n  Sort\n    Seq Scan on orders');
    expect(comparePlanShapes(serial, finalize)).toEqual({ same: true });
  });

  it('names a node one plan has and the other lacks', () => {
    const withSort = { Plan: { 'Node Type': 'Limit', Plans: [{ 'Node Type': 'Sort', Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 't' }] }] } };
    const limitOnly = { Plan: { 'Node Type': 'Limit', Plans: [] } };
    expect(comparePlanShapes(limitOnly, withSort)).toEqual({ same: false, difference: 'production: Sort under Limit; sandbox: nothing more under Limit' });
  });

  it('refuses what is not EXPLAIN JSON', () => {
    expect(() => planShape([{ Plan: { Rows: 3 } }])).toThrow(/not EXPLAIN \(FORMAT JSON\) output/);
    expect(() => comparePlanShapes('Seq Scan on t', [])).toThrow(/not EXPLAIN/);
  });
});
