import { describe, expect, test } from 'vitest';
import { analyzeCondition, parseCondition, parseOperand } from '../../plv8/plan/conditions.ts';

/** The atoms without their source text, which each case would otherwise repeat. */
const atoms = (text: string) => parseCondition(text).map(({ text: _text, ...atom }) => atom);

describe('conditions as EXPLAIN VERBOSE prints them', () => {
  test.each([
    [
      "((orders.customer_id = 42) AND ((orders.status)::text = 'pending'::text))",
      [
        { alias: 'orders', column: 'customer_id', kind: 'eq', operator: '=', constant: '42' },
        { alias: 'orders', column: 'status', kind: 'eq', operator: '=', constant: "'pending'::text" },
      ],
    ],
    ['(customers.email = $1)', [{ alias: 'customers', column: 'email', kind: 'eq', operator: '=', constant: '$1' }]],
    ['((customers.email)::text = ($1)::text)', [{ alias: 'customers', column: 'email', kind: 'eq', operator: '=', constant: '$1::text' }]],
    ["(o.total > '100'::numeric)", [{ alias: 'o', column: 'total', kind: 'range', operator: '>', constant: "'100'::numeric" }]],
    ["(t.id = ANY ('{1,2,3}'::integer[]))", [{ alias: 't', column: 'id', kind: 'in', operator: '= ANY', constant: "'{1,2,3}'::integer[]" }]],
    ['(t.deleted_at IS NULL)', [{ alias: 't', column: 'deleted_at', kind: 'is_null', operator: 'IS NULL' }]],
    ["((t.name)::text ~~ 'abc%'::text)", [{ alias: 't', column: 'name', kind: 'prefix', operator: '~~', constant: "'abc%'::text" }]],
    ["(lower(c.email) = 'x'::text)", [{ alias: 'c', column: null, expression: 'lower(email)', kind: 'eq', operator: '=', constant: "'x'::text" }]],
    ["(lower((c.email)::text) = 'x'::text)", [{ alias: 'c', column: null, expression: 'lower(email)', kind: 'eq', operator: '=', constant: "'x'::text" }]],
    ['("Odd Table"."Mixed Col" = 1)', [{ alias: 'Odd Table', column: 'Mixed Col', kind: 'eq', operator: '=', constant: '1' }]],
    ['("a""b"."c""d" = 1)', [{ alias: 'a"b', column: 'c"d', kind: 'eq', operator: '=', constant: '1' }]],
    [
      "(o.created_at >= (now() - '7 days'::interval))",
      [{ alias: 'o', column: 'created_at', kind: 'range', operator: '>=', constant: "(now() - '7 days'::interval)" }],
    ],
    // The constant on the left: the operator turns around.
    ['(10 < o.total)', [{ alias: 'o', column: 'total', kind: 'range', operator: '>', constant: '10' }]],
    // Unqualified columns (plans without VERBOSE).
    ['(customer_id = 42)', [{ alias: null, column: 'customer_id', kind: 'eq', operator: '=', constant: '42' }]],
    // Nested ANDs flatten; a timestamp type of several words.
    [
      "(((o.a = 1) AND (o.b = 2)) AND (o.c < '2024-01-01 00:00:00+00'::timestamp with time zone))",
      [
        { alias: 'o', column: 'a', kind: 'eq', operator: '=', constant: '1' },
        { alias: 'o', column: 'b', kind: 'eq', operator: '=', constant: '2' },
        { alias: 'o', column: 'c', kind: 'range', operator: '<', constant: "'2024-01-01 00:00:00+00'::timestamp with time zone" },
      ],
    ],
    ["(o.note = 'it''s AND (x)'::text)", [{ alias: 'o', column: 'note', kind: 'eq', operator: '=', constant: "'it''s AND (x)'::text" }]],
  ])('%s', (text, expected) => {
    expect(atoms(text)).toEqual(expected);
  });
});

describe('null tests, boolean columns, other operators and ORs', () => {
  test.each([
    ['(o.a IS NOT NULL)', { alias: 'o', column: 'a', kind: 'not_null', operator: 'IS NOT NULL' }],
    ['o.archived', { alias: 'o', column: 'archived', kind: 'bool', operator: '=', constant: 'true' }],
    ['(NOT o.archived)', { alias: 'o', column: 'archived', kind: 'bool', operator: '=', constant: 'false' }],
    ["((o.name)::text ~~ '%abc'::text)", { alias: 'o', column: 'name', kind: 'operator', operator: '~~', constant: "'%abc'::text" }],
    ["(o.payload @> '{\"a\": 1}'::jsonb)", { alias: 'o', column: 'payload', kind: 'operator', operator: '@>', constant: "'{\"a\": 1}'::jsonb" }],
  ])('%s', (text, expected) => {
    expect(atoms(text)).toEqual([expected]);
  });

  test('an OR whose every arm reads is an OR group of arms', () => {
    const result = analyzeCondition('((o.assignee_id = 5) OR ((o.reporter_id = 5) AND (o.done IS NULL)))');
    expect(result.ors.map((g) => g.arms.map((arm) => arm.map((a) => `${a.column} ${a.kind}`)))).toEqual([[['assignee_id eq'], ['reporter_id eq', 'done is_null']]]);
  });

  test('an OR with an unreadable arm is no group', () => {
    expect(analyzeCondition('((o.a = 1) OR (hashed SubPlan 1))').ors).toEqual([]);
  });

  test('a join on expressions gives each side as an index key', () => {
    const result = analyzeCondition('(lower((u.email)::text) = lower((a.billing_email)::text))');
    expect(result.joinSides.map((s) => [s.alias, s.expression])).toEqual([['u', 'lower(email)'], ['a', 'lower(billing_email)']]);
  });
});

describe('what is skipped, and why', () => {
  test('an OR group is skipped; the AND-ed atoms beside it stay', () => {
    const result = analyzeCondition('((o.a = 1) AND ((o.b = 2) OR (o.c = 3)))');
    expect(result.atoms.map((a) => a.column)).toEqual(['a']);
    expect(result.skipped).toEqual([{ text: '((o.b = 2) OR (o.c = 3))', why: 'or' }]);
  });

  test('a whole OR condition gives no atoms', () => {
    expect(analyzeCondition("((orders.customer_id = 1) OR ((orders.status)::text = 'x'::text))")).toMatchObject({ atoms: [], skipped: [{ why: 'or' }] });
  });

  test('columns on both sides are a join, reported as a pair', () => {
    const result = analyzeCondition('(o.customer_id = c.id)');
    expect(result.atoms).toEqual([]);
    expect(result.joins).toEqual([{ left: { alias: 'o', column: 'customer_id' }, right: { alias: 'c', column: 'id' }, text: '(o.customer_id = c.id)' }]);
  });

  test.each([
    ['(o.a <> 1)'],
    ["('{1}'::integer[] @> o.tags)"],
    ['(o.a = ALL ($1))'],
    ['(1 = 1)'],
  ])('%s is not an indexable atom', (text) => {
    const result = analyzeCondition(text);
    expect(result.atoms).toEqual([]);
    expect(result.skipped).toEqual([{ text, why: 'unsupported' }]);
  });

  test.each([
    [''],
    ['('],
    [')))'],
    ["(o.a = 'unterminated)"],
    ['(o.a = "unterminated)'],
    ['(hashed SubPlan 1)'],
    ['CASE WHEN (o.a = 1) THEN true ELSE false END'],
    ['(o.a = 1) garbage ;; {}'],
    ['a.b.c.d = 1'],
    ['\u0000\u0001'],
    ['NOT (o.a = 1)'],
  ])('garbage %j never throws and yields no atoms', (text) => {
    expect(() => analyzeCondition(text)).not.toThrow();
    expect(analyzeCondition(text).atoms).toEqual([]);
  });

  test('one unreadable AND arm does not lose the others', () => {
    const result = analyzeCondition('((o.a = 1) AND (hashed SubPlan 2) AND (o.b :: ??))');
    expect(result.atoms.map((a) => a.column)).toEqual(['a']);
    expect(result.skipped.map((s) => s.why)).toEqual(['unparsed', 'unparsed']);
  });
});

describe('parseOperand (sort keys)', () => {
  test.each([
    ['orders.created_at', { alias: 'orders', column: 'created_at' }],
    ['"Odd Table"."Mixed Col"', { alias: 'Odd Table', column: 'Mixed Col' }],
    ['(lower((c.email)::text))', { alias: 'c', column: null, expression: 'lower(email)' }],
    ['(c.a + c.b)', { alias: 'c', column: null, expression: '(a + b)' }],
    ['42', null],
    ['((', null],
  ])('%s', (text, expected) => {
    expect(parseOperand(text)).toEqual(expected);
  });
});

describe('casts on the column side', () => {
  test('a cast that changes the value stays in the indexed expression', () => {
    expect(atoms("((o.created_at)::date = '2024-01-01'::date)")).toEqual([
      { alias: 'o', column: null, expression: '(created_at)::date', kind: 'eq', operator: '=', constant: "'2024-01-01'::date" },
    ]);
  });

  test('varchar → text is dropped: an index on the column serves it', () => {
    expect(atoms("((o.status)::character varying = 'x'::character varying)")).toMatchObject([{ column: 'status', kind: 'eq' }]);
  });
});
