import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { planScans } from '../../plv8/plan/plan-scans.ts';

const fixture = async (name: string): Promise<unknown> => JSON.parse(await readFile(new URL(`./fixtures/${name}.plan.json`, import.meta.url), 'utf8'));

test('a scan with its filter, estimate and alias', async () => {
  const { scans, sortsUnderLimit, joins } = planScans(await fixture('07-any-array'));
  expect(scans).toEqual([
    expect.objectContaining({ schema: 'public', relation: 'orders', alias: 't', nodeType: 'Seq Scan', filter: "((t.deleted_at IS NULL) AND (t.customer_id = ANY ('{1,2,3}'::integer[])))" }),
  ]);
  expect(scans[0]!.planRows).toBeGreaterThan(0);
  expect(scans[0]!.totalCost).toBeGreaterThan(0);
  expect(scans[0]).not.toHaveProperty('indexCond');
  expect(sortsUnderLimit).toEqual([]);
  expect(joins).toEqual([]);
});

test('sort keys under a Limit, with their directions', async () => {
  const { sortsUnderLimit } = planScans(await fixture('08-mixed-sort-directions'));
  expect(sortsUnderLimit).toEqual([
    {
      limitRows: 5,
      overAggregate: false,
      keys: [
        { text: 'orders.status', alias: 'orders', column: 'status', descending: false, nullsFirst: false },
        { text: 'orders.created_at DESC', alias: 'orders', column: 'created_at', descending: true, nullsFirst: true },
      ],
    },
  ]);
});

test('a Hash Cond mapped to the relations it references', async () => {
  const { joins, scans } = planScans(await fixture('05-hash-join'));
  expect(scans.map((s) => `${s.relation} as ${s.alias}`)).toEqual(['orders as o', 'customers as c']);
  expect(joins).toEqual([
    {
      nodeType: 'Hash Join',
      key: 'Hash Cond',
      condition: '(o.customer_id = c.id)',
      relations: [
        { schema: 'public', relation: 'orders', alias: 'o' },
        { schema: 'public', relation: 'customers', alias: 'c' },
      ],
    },
  ]);
});

test('index and bitmap scans: Index Cond, and a Bitmap Heap Scan takes its children’s', () => {
  const plan = [
    {
      Plan: {
        'Node Type': 'Nested Loop', 'Join Filter': '(a.x < b.y)', 'Plan Rows': 1, 'Total Cost': 9,
        Plans: [
          { 'Node Type': 'Index Scan', 'Relation Name': 'a', Schema: 's', Alias: 'a', 'Index Name': 'a_pkey', 'Index Cond': '(a.id = 1)', 'Plan Rows': 1, 'Total Cost': 1 },
          {
            'Node Type': 'Bitmap Heap Scan', 'Relation Name': 'b', Schema: 's', Alias: 'b', 'Recheck Cond': '((b.k = 2) AND (b.j = 3))', 'Plan Rows': 1, 'Total Cost': 8,
            'Rows Removed by Filter': 90, 'Actual Rows': 10,
            Plans: [{ 'Node Type': 'BitmapAnd', Plans: [
              { 'Node Type': 'Bitmap Index Scan', 'Index Name': 'b_k', 'Index Cond': '(b.k = 2)' },
              { 'Node Type': 'Bitmap Index Scan', 'Index Name': 'b_j', 'Index Cond': '(b.j = 3)' },
            ] }],
          },
          { 'Node Type': 'Seq Scan', 'Relation Name': 'pg_class', Schema: 'pg_catalog', Alias: 'pg_class', 'Plan Rows': 1, 'Total Cost': 1 },
        ],
      },
    },
  ];
  const { scans, joins } = planScans(plan);
  expect(scans.map((s) => [s.nodeType, s.relation, s.indexCond, s.rowsRemovedByFilter])).toEqual([
    ['Index Scan', 'a', '(a.id = 1)', undefined],
    ['Bitmap Heap Scan', 'b', '((b.k = 2) AND (b.j = 3))', 90],
  ]);
  expect(joins[0]).toMatchObject({ key: 'Join Filter', relations: [{ alias: 'a' }, { alias: 'b' }] });
});

test('input that is not a plan gives empty facts', () => {
  for (const input of [null, 'x', [], [{ Plan: null }], { 'Node Type': 'Seq Scan' }]) {
    expect(planScans(input)).toEqual({ scans: [], sortsUnderLimit: [], joins: [] });
  }
});
