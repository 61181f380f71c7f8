import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { planHash, planShape, rootNode } from '../../sidecar/plans/plan-hash.ts';

/**
 * Recorded plans (`fixtures/NN-name.plan.json`, EXPLAIN FORMAT JSON as the server returned it) and
 * what their shape must be (`NN-name.expect.json`: `shape`, and `sameHashAs` naming a fixture of
 * the same shape). A new case is two files; the test finds them by itself.
 */
const FIXTURES = new URL('./fixtures/', import.meta.url);
const names = (await readdir(FIXTURES)).filter((f) => f.endsWith('.plan.json')).map((f) => f.replace('.plan.json', '')).sort();

interface Expectation {
  shape: unknown;
  sameHashAs?: string;
}

async function load(name: string): Promise<{ plan: unknown; expect: Expectation }> {
  const read = async (suffix: string) => JSON.parse(await readFile(new URL(`${name}${suffix}`, FIXTURES), 'utf8')) as unknown;
  return { plan: await read('.plan.json'), expect: (await read('.expect.json')) as Expectation };
}

/** The same plan as another run would print it: every number changed. */
function withOtherNumbers(value: unknown): unknown {
  if (typeof value === 'number') return value * 3 + 1;
  if (Array.isArray(value)) return value.map(withOtherNumbers);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withOtherNumbers(v)]));
  }
  return value;
}

describe.each(names)('%s', (name) => {
  test('has the expected shape', async () => {
    const { plan, expect: expected } = await load(name);
    expect(planShape(rootNode(plan))).toEqual(expected.shape);
  });

  test('hashes alike whatever the costs, rows and timings', async () => {
    const { plan } = await load(name);
    expect(planHash(withOtherNumbers(plan))).toBe(planHash(plan));
  });

  test('hashes differently from every plan of another shape', async () => {
    const { plan, expect: expected } = await load(name);
    for (const other of names.filter((n) => n !== name)) {
      const { plan: otherPlan, expect: otherExpected } = await load(other);
      const same = expected.sameHashAs === other || otherExpected.sameHashAs === name;
      expect(planHash(otherPlan) === planHash(plan), `${name} vs ${other}`).toBe(same);
    }
  });
});

describe('planHash', () => {
  test('accepts the EXPLAIN array, its root object or a plan node, and gives an md5', async () => {
    const { plan } = await load('01-seq-scan');
    const root = (plan as Record<string, unknown>[])[0]!;
    expect(planHash(plan)).toMatch(/^[0-9a-f]{32}$/);
    expect(planHash(root)).toBe(planHash(plan));
    expect(planHash(root.Plan)).toBe(planHash(plan));
  });

  test('an index name is part of the shape', async () => {
    const { plan } = await load('03-index-on-n');
    const renamed = JSON.parse(JSON.stringify(plan).replace('"items_n_idx"', '"items_n_idx2"')) as unknown;
    expect(planHash(renamed)).not.toBe(planHash(plan));
  });

  test('rejects what is not a plan', () => {
    expect(() => planHash({ nothing: true })).toThrow(/Node Type/);
    expect(() => planHash([])).toThrow(/EXPLAIN/);
  });
});
