import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import type { IndexCandidate } from '../../plv8/advisor/candidates/index-candidate.ts';
import { indexDdl, indexName, quoteIdent, rollbackDdl } from '../../plv8/advisor/candidates/index-names.ts';

const candidate = (table: string, keys: IndexCandidate['keys'], schema = 'public'): IndexCandidate => ({ schema, table, keys, reason: '' });
const bytes = (s: string) => new TextEncoder().encode(s).length;

describe('quoteIdent', () => {
  test.each([
    ['orders', 'orders'],
    ['customer_id', 'customer_id'],
    ['a$1', 'a$1'],
    ['Odd Table', '"Odd Table"'],
    ['MixedCase', '"MixedCase"'],
    ['a"b', '"a""b"'],
    ['1abc', '"1abc"'],
    ['user', '"user"'],
    ['order', '"order"'],
    ['', '""'],
    ['заказы', '"заказы"'],
  ])('%s → %s', (name, quoted) => {
    expect(quoteIdent(name)).toBe(quoted);
  });
});

describe('indexName', () => {
  test('table and key columns, readable', () => {
    expect(indexName(candidate('orders', [{ column: 'customer_id' }, { column: 'status' }]))).toBe('orders_customer_id_status_idx');
  });

  test('expressions, directions, mixed case and spaces', () => {
    expect(indexName(candidate('customers', [{ expression: 'lower(email)' }]))).toBe('customers_lower_email_idx');
    expect(indexName(candidate('orders', [{ column: 'status' }, { column: 'created_at', descending: true }]))).toBe('orders_status_created_at_desc_idx');
    expect(indexName(candidate('Odd Table', [{ column: 'Mixed Col' }]))).toBe('odd_table_mixed_col_idx');
  });

  test('a name with nothing ASCII still gets a stable, non-empty part', () => {
    const name = indexName(candidate('заказы', [{ column: 'статус' }]));
    expect(name).toMatch(/^x[0-9a-z]{6}_x[0-9a-z]{6}_idx$/);
    expect(indexName(candidate('заказы', [{ column: 'статус' }]))).toBe(name);
  });

  test('too long: truncated to 63 bytes with a stable hash that tells candidates apart', () => {
    const long = 'a_really_long_table_name_that_goes_on_and_on';
    const a = indexName(candidate(long, [{ column: 'first_long_column_name' }, { column: 'second_long_column_name' }]));
    const b = indexName(candidate(long, [{ column: 'first_long_column_name' }, { column: 'second_long_column_namf' }]));
    expect(bytes(a)).toBeLessThanOrEqual(63);
    expect(bytes(b)).toBeLessThanOrEqual(63);
    expect(a).toMatch(/^a_really_long_table_name.*_[0-9a-z]{6}_idx$/);
    expect(a).not.toBe(b);
    expect(indexName(candidate(long, [{ column: 'first_long_column_name' }, { column: 'second_long_column_name' }]))).toBe(a);
  });

  test('exactly at the limit stays readable; one past it is hashed', () => {
    const at = candidate('t'.repeat(63 - '_c_idx'.length), [{ column: 'c' }]);
    expect(indexName(at)).toBe(`${'t'.repeat(57)}_c_idx`);
    const past = candidate('t'.repeat(58), [{ column: 'c' }]);
    expect(indexName(past)).toHaveLength(63);
    expect(indexName(past)).toMatch(/_[0-9a-z]{6}_idx$/);
  });

  test('every recorded fixture name is within the limit', async () => {
    const dir = new URL('./fixtures/', import.meta.url);
    for (const f of (await readdir(dir)).filter((n) => n.endsWith('.expect.json'))) {
      const expected = JSON.parse(await readFile(new URL(f, dir), 'utf8')) as { candidates: { name: string }[] };
      for (const c of expected.candidates) expect(bytes(c.name)).toBeLessThanOrEqual(63);
    }
  });
});

describe('indexDdl and rollbackDdl', () => {
  test('plain identifiers stay bare', () => {
    const c = candidate('orders', [{ column: 'customer_id' }, { column: 'created_at', descending: true }]);
    expect(indexDdl(c, { concurrently: true })).toBe(
      'CREATE INDEX CONCURRENTLY orders_customer_id_created_at_desc_idx ON public.orders (customer_id, created_at DESC)',
    );
    expect(indexDdl(c, { concurrently: false })).toBe('CREATE INDEX orders_customer_id_created_at_desc_idx ON public.orders (customer_id, created_at DESC)');
    expect(rollbackDdl(c)).toBe('DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_created_at_desc_idx');
  });

  test('odd schema, table and column names are quoted, inner quotes doubled', () => {
    const c = candidate('Odd "Table"', [{ column: 'Mixed Col' }, { column: 'user' }], 'My Schema');
    expect(indexDdl(c, { concurrently: false })).toBe('CREATE INDEX odd_table_mixed_col_user_idx ON "My Schema"."Odd ""Table""" ("Mixed Col", "user")');
    expect(rollbackDdl(c)).toBe('DROP INDEX CONCURRENTLY IF EXISTS "My Schema".odd_table_mixed_col_user_idx');
  });

  test('expressions are parenthesised', () => {
    const c = candidate('customers', [{ expression: 'lower(email)' }]);
    expect(indexDdl(c, { concurrently: true })).toBe('CREATE INDEX CONCURRENTLY customers_lower_email_idx ON public.customers ((lower(email)))');
  });
});

test('plv8/advisor imports nothing from Node or npm', async () => {
  const dir = new URL('../../plv8/advisor/', import.meta.url);
  for (const f of (await readdir(dir)).filter((n) => n.endsWith('.ts'))) {
    const source = await readFile(new URL(f, dir), 'utf8');
    for (const m of source.matchAll(/^import .* from '([^']+)';$/gm)) expect(m[1], `${f} imports ${m[1]}`).toMatch(/^\.\.?\/.*\.ts$/);
    expect(source, f).not.toMatch(/\b(process|Buffer|require)\b[.(]/);
  }
});
