import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { capturePlans } from '../../sidecar/plans/capture.ts';
import { mapSamples, qualstatsValues, type QualstatsConstantRow } from '../../sidecar/plans/qualstats-values.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { seedItems } from './support.ts';

const row = (sample: string, position: number | null, value: string | null, occurences = 1): QualstatsConstantRow => ({
  sample,
  constant_position: position,
  constvalue: value,
  occurences,
});

describe('mapSamples', () => {
  test('maps constants by position onto $n in text order', async () => {
    const rows = [row('a', 40, "'name14'::text"), row('a', 26, '4::integer')];
    expect(await mapSamples(rows, [1, 2])).toEqual(['4', 'name14']);
    // A client's own `b = $2 and a = $1`: positions follow the text, not the numbers.
    expect(await mapSamples(rows, [2, 1])).toEqual(['name14', '4']);
  });

  test('prefers the most frequent sample that maps', async () => {
    const rows = [row('rare', 26, '1::integer', 1), row('often', 26, '2::integer', 9)];
    expect(await mapSamples(rows, [1])).toEqual(['2']);
  });

  test.each([
    ['fewer constants than $n (a $n outside the predicates)', [row('a', 26, '4::integer')], [1, 2]],
    ['an IN list kept as one array', [row('a', null, "'{1,2,3}'::integer[]")], [1, 2, 3]],
    ['a constant cut short', [row('a', 26, "'aaaaaaaaaaaaaaaaaaaa")], [1]],
    ['one position with two values', [row('a', 26, '1::integer'), row('a', 26, '2::integer')], [1]],
    ['one $n with two values', [row('a', 26, '1::integer'), row('a', 40, '2::integer')], [1, 1]],
    ['no sample at all', [], [1]],
  ])('null for %s', async (_name, rows, occurrences) => {
    expect(await mapSamples(rows, occurrences)).toBeNull();
  });
});

describe('qualstatsValues on a real pg_qualstats', () => {
  let db: TestDatabase;
  let client: pg.PoolClient;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    client = await db.pool.connect();
    await seedItems(client);
    await client.query('create extension if not exists pg_stat_statements');
    await client.query('create extension if not exists pg_qualstats');
  });

  afterAll(async () => {
    client?.release();
    await db?.close();
  });

  /** Runs `literal` with every execution sampled; returns the queryid of its normalized text. */
  async function sampled(literal: string, query: string): Promise<{ queryid: string; query: string }> {
    await client.query('set pg_qualstats.sample_rate = 1');
    await client.query(literal);
    await client.query('reset pg_qualstats.sample_rate');
    const { rows } = await client.query<{ queryid: string }>(
      `select queryid::text from pg_stat_statements
        where dbid = (select oid from pg_database where datname = current_database()) and query = $1`,
      [query],
    );
    expect(rows).toHaveLength(1);
    return { queryid: rows[0]!.queryid, query };
  }

  test('finds the values of an AND list of column = constant', async () => {
    const { queryid, query } = await sampled(
      `select * from items where n = 13 and name = 'name13' and id > 5`,
      'select * from items where n = $1 and name = $2 and id > $3',
    );
    expect(await qualstatsValues(client, queryid, query)).toEqual(['13', 'name13', '5']);
  });

  test('capturePlans uses them for EXPLAIN ANALYZE', async () => {
    const { queryid, query } = await sampled(
      `select id from items where n = 21 and name = 'name21'`,
      'select id from items where n = $1 and name = $2',
    );
    const store = db.pool;
    const tenant = await store.query<{ id: string }>(`insert into optischema.tenants (name, slug) values ('Q', 'q') returning id`);
    const targetRow = await store.query<{ id: string }>(
      `insert into optischema.targets (tenant_id, name, secret_ref) values ($1, 'q', 'env:Q_URL') returning id`,
      [tenant.rows[0]!.id],
    );
    const result = await capturePlans({ target: client, store, targetId: targetRow.rows[0]!.id, queryid, query });
    expect(result.errors).toEqual([]);
    const { rows } = await store.query(`select parameters from optischema.query_plans where id = $1`, [result.analyze?.id]);
    expect(rows[0]?.parameters).toEqual({ source: 'pg_qualstats', values: ['21', 'name21'] });
  });

  test('null for an IN list, which cannot be mapped', async () => {
    const { queryid, query } = await sampled('select * from items where id in (1, 2, 3)', 'select * from items where id in ($1, $2, $3)');
    expect(await qualstatsValues(client, queryid, query)).toBeNull();
  });

  test('null when pg_qualstats is not installed in the database', async () => {
    const other = await createTestDatabase({ migrated: false });
    try {
      expect(await qualstatsValues(other.pool, '1', 'select * from t where id = $1')).toBeNull();
    } finally {
      await other.close();
    }
  });
});
