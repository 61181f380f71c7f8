import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { redactExpression, redactPlan, redactQuery } from '../../sidecar/ai/context/index.ts';

const PLANS = new URL('./fixtures/redact-plan/', import.meta.url);
const read = (name: string): unknown => JSON.parse(readFileSync(new URL(name, PLANS), 'utf8'));

/** Every string under a key redactPlan treats as an expression, with its key. */
function expressions(node: unknown, key = ''): { key: string; text: string }[] {
  if (typeof node === 'string') return [{ key, text: node }];
  if (Array.isArray(node)) return node.flatMap((n) => expressions(n, key));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => (['Node Type', 'Relation Name', 'Schema', 'Alias', 'Index Name', 'Parent Relationship', 'Strategy', 'Partial Mode', 'Join Type', 'Scan Direction', 'Sort Method', 'Sort Space Type', 'Subplan Name'].includes(k) ? [] : expressions(v, k)));
}

/** Plans recorded on PostgreSQL (test/ai/fixtures/redact-plan/NN-name.plan.json) and their redacted form (NN-name.expect.json). */
describe('redactPlan on recorded plans', () => {
  const cases = readdirSync(PLANS).filter((f) => f.endsWith('.plan.json')).sort();

  it('finds its recorded plans', () => {
    expect(cases.length).toBeGreaterThanOrEqual(4);
  });

  for (const file of cases) {
    it(file, () => {
      const plan = read(file);
      const before = JSON.stringify(plan);
      const redacted = redactPlan(plan);
      expect(redacted).toEqual(read(file.replace('.plan.json', '.expect.json')));
      // A copy: the plan as given is untouched.
      expect(JSON.stringify(plan)).toBe(before);
      // No string literal and no free-standing number is left in any expression; every quoted
      // identifier of the original (digits and all) is still there.
      for (const { key, text } of expressions(redacted)) {
        const outsideIdentifiers = text.replace(/"(?:[^"]|"")*"/g, '""');
        expect(outsideIdentifiers, `${key}: ${text}`).not.toContain("'");
        expect(outsideIdentifiers.replace(/::\s*[a-z ]+\(\d+(?:,\d+)*\)/g, ''), `${key}: ${text}`).not.toMatch(/(?<![A-Za-z0-9_$.])\d/);
      }
      const originals = expressions(plan);
      expressions(redacted).forEach(({ text }, i) => {
        const identifiers = originals[i]!.text.replace(/'(?:[^']|'')*'/g, '').match(/"(?:[^"]|"")*"/g) ?? [];
        for (const identifier of identifiers) expect(text).toContain(identifier);
      });
    });
  }

  it('keeps quoted identifiers with digits, names with digits, $n parameters and type modifiers', () => {
    expect(redactExpression(`(("Col 2" > 42) AND ("3rd ""odd"" 7" = 'x 7'::text) AND (t2.c3 = 1.5) AND (x = $1) AND (idx_2024.v >= -3))`))
      .toBe(`(("Col 2" > $?) AND ("3rd ""odd"" 7" = $?) AND (t2.c3 = $?) AND (x = $1) AND (idx_2024.v >= $?))`);
    expect(redactExpression(`((price)::numeric(10,2) > '1000'::numeric) AND (code)::character varying(20)`)).toBe(`((price)::numeric(10,2) > $?) AND (code)::character varying(20)`);
    expect(redactExpression(`(ts > '2024-01-01 00:00:00+00'::timestamp with time zone)`)).toBe('(ts > $?)');
    expect(redactExpression(`(a = ANY ('{1,2}'::integer[])) AND (b = ARRAY[3, 4]) AND (c = 5::bigint) AND (d = 1e-3)`)).toBe('(a = ANY ($?)) AND (b = ARRAY[$?, $?]) AND (c = $?) AND (d = $?)');
  });

  it("replaces escape strings, '' escapes and other literal forms whole", () => {
    expect(redactExpression(String.raw`(note = E'it\'s a \\ back''slash'::text) AND (b = B'0101') AND (x = X'1F') AND (u = U&'d\0061t')`)).toBe('(note = $?) AND (b = $?) AND (x = $?) AND (u = $?)');
    expect(redactExpression(`(note = 'it''s ''quoted'' -- 42'::text)`)).toBe('(note = $?)');
    expect(redactExpression(`(body = $$zebra 42$$) AND (t = $tag$it's$tag$)`)).toBe('(body = $?) AND (t = $?)');
  });

  it('drops parameter values and the statement text, and redacts keys it does not know', () => {
    const redacted = redactPlan([{
      'Query Text': "select 1 where x = 'zebra'",
      Plan: { 'Node Type': 'Result', 'Subplan Name': 'InitPlan 1 (returns $0)', Alias: 't 2', 'Some Future Cond': "(x = 'zebra'::text)", Output: ["'x'::text", 'id'], Parameters: ['zebra'] },
      Settings: { random_page_cost: '1.1' },
    }]);
    expect(redacted).toEqual([{
      Plan: { 'Node Type': 'Result', 'Subplan Name': 'InitPlan 1 (returns $0)', Alias: 't 2', 'Some Future Cond': '(x = $?)', Output: ['$?', 'id'] },
      Settings: { random_page_cost: '1.1' },
    }]);
  });
});

describe('redactQuery', () => {
  it('replaces constants with $n after the statement\'s own parameters and drops comments', async () => {
    const sql = `select * from "Sales 2024"."Order Items" where "SKU" = 'zebra-secret-42' and qty > 4817 and note = $1 /* user='otter' */ -- 77`;
    const redacted = await redactQuery(sql);
    expect(redacted).toContain('"SKU" = $2');
    expect(redacted).toContain('qty > $3');
    expect(redacted).toContain('note = $1');
    for (const value of ['zebra-secret-42', '4817', 'otter', '77']) expect(redacted).not.toContain(value);
  });

  it('keeps what is shape, not data: NULL, type modifiers, ORDER BY / GROUP BY positions, EXTRACT fields', async () => {
    const redacted = await redactQuery(`select extract(year from ts), a::varchar(10), null from t where b = 5 group by 1, rollup (2) order by 1 desc limit 10`);
    expect(redacted).toMatch(/EXTRACT\(year FROM ts\)/i);
    expect(redacted).toContain('varchar(10)');
    expect(redacted).toContain('NULL');
    expect(redacted).toMatch(/GROUP BY\s+1,\s+ROLLUP \(\s*2\s*\)/);
    expect(redacted).toMatch(/ORDER BY\s+1 DESC/);
    expect(redacted).toContain('b = $1');
    expect(redacted).toContain('LIMIT $2');
  });

  it('refuses a statement it cannot parse, rather than pass it through', async () => {
    await expect(redactQuery(`select 'zebra' from`)).rejects.toThrow();
  });
});
