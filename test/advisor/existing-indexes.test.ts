import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexCandidate } from '../../plv8/advisor/candidates/index-candidate.ts';
import { existingIndexes, servedByExisting, type ExistingIndex } from '../../plv8/catalog/existing-indexes.ts';
import { runStep } from '../../sidecar/advisor/run-step.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const candidate = (...keys: IndexCandidate['keys']): IndexCandidate => ({ schema: 'public', table: 't', keys, reason: '' });
const ordered1 = (...keys: IndexCandidate['keys']): IndexCandidate => ({ ...candidate(...keys), ordered: true });
const btree = (keys: ExistingIndex['keys'], more: Partial<ExistingIndex> = {}): ExistingIndex => ({ name: 'i', method: 'btree', keys, include: [], predicate: null, unique: false, ...more });

describe('servedByExisting (leading-prefix rule)', () => {
  const ab = btree([{ column: 'a' }, { column: 'b' }]);
  it('is served by an index whose leading keys are the candidate keys in order', () => {
    expect(servedByExisting(candidate({ column: 'a' }), [ab])).toBe(true);
    expect(servedByExisting(candidate({ column: 'a' }, { column: 'b' }), [ab])).toBe(true);
  });
  it('is not served by a later column, another order, or a longer candidate', () => {
    expect(servedByExisting(candidate({ column: 'b' }), [ab])).toBe(false);
    expect(servedByExisting(candidate({ column: 'b' }, { column: 'a' }), [ab])).toBe(false);
    expect(servedByExisting(candidate({ column: 'a' }, { column: 'b' }, { column: 'c' }), [ab])).toBe(false);
  });
  it('ignores partial and non-btree indexes', () => {
    expect(servedByExisting(candidate({ column: 'a' }), [btree([{ column: 'a' }], { predicate: '(a > 0)' })])).toBe(false);
    expect(servedByExisting(candidate({ column: 'a' }), [btree([{ column: 'a' }], { method: 'hash' })])).toBe(false);
  });
  it('matches expressions by text and directions when equal or all reversed', () => {
    expect(servedByExisting(candidate({ expression: 'lower(email)' }), [btree([{ expression: 'lower(email)' }])])).toBe(true);
    expect(servedByExisting(candidate({ expression: 'lower(email)' }), [btree([{ column: 'email' }])])).toBe(false);
    const mixed = btree([{ column: 'a' }, { column: 'b', descending: true }]);
    const ordered = (...keys: IndexCandidate['keys']): IndexCandidate => ({ ...candidate(...keys), ordered: true });
    expect(servedByExisting(ordered({ column: 'a', descending: true }, { column: 'b' }), [mixed])).toBe(true);
    expect(servedByExisting(ordered({ column: 'a' }, { column: 'b' }), [mixed])).toBe(false);
    // Directions matter only to a candidate that returns rows in a sort's order.
    expect(servedByExisting(candidate({ column: 'a' }, { column: 'b' }), [mixed])).toBe(true);
  });
  it('reads NULLs placement: backwards flips it with the direction', () => {
    const plain = btree([{ column: 'd' }]);
    expect(servedByExisting(ordered1({ column: 'd', descending: true }), [plain])).toBe(true); // DESC NULLS FIRST
    expect(servedByExisting(ordered1({ column: 'd', descending: true, nullsFirst: false }), [plain])).toBe(false); // DESC NULLS LAST
    expect(servedByExisting(ordered1({ column: 'd', nullsFirst: true }), [btree([{ column: 'd', descending: true, nullsFirst: false }])])).toBe(true);
  });
});

describe('existingIndexes on a real database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.pool.query(`
      create table public."Odd T" (id int primary key, email text, a int, b int, c int);
      create index odd_lower on public."Odd T" (lower(email));
      create index odd_ab_desc on public."Odd T" (a, b desc) include (c);
      create index odd_partial on public."Odd T" (a) where c > 0;
      create index odd_hash on public."Odd T" using hash (b);`);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('lists method, key columns in order (expressions as text), INCLUDE columns apart, predicate and uniqueness', async () => {
    const indexes = await runStep(existingIndexes('public', 'Odd T'), db.pool);
    expect(indexes).toEqual([
      { name: '"Odd T_pkey"', method: 'btree', keys: [{ column: 'id' }], include: [], predicate: null, unique: true },
      { name: 'odd_ab_desc', method: 'btree', keys: [{ column: 'a' }, { column: 'b', descending: true }], include: ['c'], predicate: null, unique: false },
      { name: 'odd_hash', method: 'hash', keys: [{ column: 'b' }], include: [], predicate: null, unique: false },
      { name: 'odd_lower', method: 'btree', keys: [{ expression: 'lower(email)' }], include: [], predicate: null, unique: false },
      { name: 'odd_partial', method: 'btree', keys: [{ column: 'a' }], include: [], predicate: '(c > 0)', unique: false },
    ]);
  });
});
