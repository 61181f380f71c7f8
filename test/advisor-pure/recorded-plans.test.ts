import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { candidatesFromPlan } from '../../plv8/advisor/candidates/from-plan.ts';
import { indexName } from '../../plv8/advisor/candidates/index-names.ts';

/**
 * Recorded plans (`fixtures/NN-name.plan.json`: `EXPLAIN (FORMAT JSON, VERBOSE)` as PostgreSQL 15
 * printed it) and the candidates they must yield (`NN-name.expect.json`: `candidates` in order, each
 * with its index name, and `reasonsMention`: fragments some candidate's reason must contain).
 * A new case is two files; the test finds them by itself.
 */
const FIXTURES = new URL('./fixtures/', import.meta.url);
const names = (await readdir(FIXTURES)).filter((f) => f.endsWith('.plan.json')).map((f) => f.replace('.plan.json', '')).sort();

interface Expectation {
  reasonsMention: string[];
  candidates: { schema: string; table: string; keys: unknown[]; name: string }[];
}

async function load(name: string): Promise<{ plan: unknown; expect: Expectation }> {
  const read = async (suffix: string) => JSON.parse(await readFile(new URL(`${name}${suffix}`, FIXTURES), 'utf8')) as unknown;
  return { plan: await read('.plan.json'), expect: (await read('.expect.json')) as Expectation };
}

describe('index candidates from recorded plans', () => {
  test('there are recorded plans', () => {
    expect(names.length).toBeGreaterThanOrEqual(9);
  });

  test.each(names)('%s', async (name) => {
    const { plan, expect: expected } = await load(name);
    const candidates = candidatesFromPlan(plan);
    expect(candidates.map((c) => ({ schema: c.schema, table: c.table, keys: c.keys, name: indexName(c) }))).toEqual(expected.candidates);
    const reasons = candidates.map((c) => c.reason).join('\n');
    for (const fragment of expected.reasonsMention) expect(reasons).toContain(fragment);
    // The root node alone, as a caller holding only `[0].Plan` would pass it, gives the same answer.
    expect(candidatesFromPlan((plan as { Plan: unknown }[])[0]!.Plan)).toEqual(candidates);
  });
});

describe('candidatesFromPlan on input that is not a plan', () => {
  test.each([null, undefined, 42, 'text', [], [{}], { Plan: 'x' }, [{ Plan: { 'Node Type': 'Seq Scan' } }]])('%j gives no candidates', (input) => {
    expect(candidatesFromPlan(input)).toEqual([]);
  });

  test('catalog tables are never candidates', () => {
    const plan = [{ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 'pg_class', Schema: 'pg_catalog', Alias: 'pg_class', Filter: '(pg_class.relname = $1)', 'Plan Rows': 1, 'Total Cost': 1 } }];
    expect(candidatesFromPlan(plan)).toEqual([]);
  });
});
