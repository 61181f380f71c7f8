import { describe, expect, test } from 'vitest';
import { checkStatement } from '../../sidecar/plans/statement-check.ts';

describe('checkStatement', () => {
  test.each([
    ['select * from t where id = $1', 1],
    ['values (1), (2)', 0],
    ['table t', 0],
    [`select count(*), lower(name), pg_catalog.upper(name), extract(year from now()) from t where n > $2 and n < $1`, 2],
    ['select * from (select * from t) s join lateral generate_series(1, 3) g on true', 0],
  ])('%s is read-only', async (query, parameterCount) => {
    const check = await checkStatement(query);
    expect(check).toMatchObject({ kind: 'select', readOnly: true, writeReasons: [], parameterCount });
  });

  test.each([
    ['insert into t values ($1)', 'insert', /INSERT writes/],
    ['update t set a = $1', 'update', /UPDATE writes/],
    ['delete from t', 'delete', /DELETE writes/],
    ['with d as (delete from t returning *) select * from d', 'select', /data-modifying DELETE/],
    ['select * from (with i as (insert into t values (1) returning *) select * from i) s', 'select', /data-modifying INSERT/],
    ['select * from t for share', 'select', /FOR UPDATE\/SHARE/],
    ['select * from t where id in (select id from u for update)', 'select', /FOR UPDATE\/SHARE/],
    [`select nextval('s')`, 'select', /nextval\(\)/],
    ['select my_schema.lower(x) from t', 'select', /my_schema\.lower\(\)/],
    ['select * from t, lateral my_function(t.id)', 'select', /my_function\(\)/],
    ['select pg_terminate_backend(123)', 'select', /pg_terminate_backend/],
  ])('%s is not provably read-only', async (query, kind, reason) => {
    const check = await checkStatement(query);
    expect(check.kind).toBe(kind);
    expect(check.readOnly).toBe(false);
    expect(check.writeReasons.join('; ')).toMatch(reason);
  });

  test.each([
    ['select 1; delete from t', /exactly one statement, found 2/],
    ['select 1; select 2', /exactly one statement/],
    ['', /does not parse/],
    ['-- only a comment', /exactly one statement, found 0/],
    ['select from from', /does not parse: syntax error at or near "from" at character 13/],
    ['select * into copy from t', /SELECT INTO creates a table/],
    ['drop table t', /not DropStmt/],
    ['explain analyze delete from t', /not ExplainStmt/],
  ])('%s is refused', async (query, message) => {
    await expect(checkStatement(query)).rejects.toThrow(message);
  });

  test('lists $n occurrences in text order, repeats included', async () => {
    const check = await checkStatement('select * from t where b = $2 and a = $1 or c = $2');
    expect(check.parameterOccurrences).toEqual([2, 1, 2]);
    expect(check.parameterCount).toBe(2);
  });

  test('a trailing semicolon is still one statement', async () => {
    expect((await checkStatement('select 1;')).readOnly).toBe(true);
  });
});
