import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { validateDropIndex } from '../../sidecar/validation/validate-drop-index.ts';
import { createTestDatabase, withClient, type TestDatabase } from '../support/database.ts';

/** Dropping an index, judged on a database standing in for the sandbox: the index must survive every judgement. */
describe('validateDropIndex', () => {
  let db: TestDatabase;
  let sandbox: pg.Client;
  // The sandbox session is the tables' owner, not a superuser: a superuser's writing statements
  // are planned as the read-only analysis role, which may not plan them (docs/security.md).
  const owner = `drop_owner_${Math.random().toString(36).slice(2, 8)}`;
  const exists = async (name: string) => (await sandbox.query<{ found: string | null }>(`select to_regclass($1)::text as found`, [name])).rows[0]!.found !== null;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(`
      create table public.items (id int primary key, code int not null, flag boolean not null, label text not null);
      insert into public.items select g, g, g % 2 = 0, 'item ' || g from generate_series(1, 50000) g;
      create index items_code_idx on public.items (code);
      create index items_label_idx on public.items (label);
      analyze public.items;
      create role ${owner} login password 'owner';
      alter table public.items owner to ${owner};`);
    sandbox = new pg.Client({ connectionString: Object.assign(new URL(db.url), { username: owner, password: 'owner' }).toString() });
    await sandbox.connect();
  });
  afterAll(async () => {
    await sandbox?.end();
    await db?.close();
    await withClient(inject('clusterUrl'), (admin) => admin.query(`drop role if exists ${owner}`));
  });

  it('rejects dropping an index a statement uses: it gets slower without it', async () => {
    const v = await validateDropIndex({
      sandbox,
      schema: 'public',
      index: 'items_code_idx',
      statements: [
        { query: 'select * from items where code = $1', values: ['4242'] },
        // No values: compared on the generic plan's cost.
        { query: 'select label from items where code = $1' },
        // A write is planned, never run.
        { query: 'update items set flag = not flag where code = $1', values: ['7'] },
      ],
      runs: 3,
    });
    expect(v.verdict, v.reason).toBe('rejected');
    expect(v.statements.map((s) => s.error)).toEqual([undefined, undefined, undefined]);
    expect(v.reason).toMatch(/^3 statement\(s\) that used public\.items_code_idx slower without it: cost /);
    expect(v.statements.map((s) => [s.method, s.usedIndex])).toEqual([['analyze', true], ['generic', true], ['explain', true]]);
    const [timed, generic, write] = v.statements;
    expect(timed!.after!.cost).toBeGreaterThan(timed!.before!.cost * 10);
    expect(timed!.after!.medianMs).toBeGreaterThan(timed!.before!.maxMs!);
    expect(generic!.before!.medianMs).toBeUndefined();
    expect(write!.after!.cost).toBeGreaterThan(write!.before!.cost);
    expect(await exists('public.items_code_idx')).toBe(true);
    // Nothing was written: the update was only planned.
    expect((await sandbox.query(`select count(*)::int as n from items where flag`)).rows[0].n).toBe(25000);
  });

  it('validates dropping an index no statement uses', async () => {
    const v = await validateDropIndex({
      sandbox,
      schema: 'public',
      index: 'items_label_idx',
      statements: [{ query: 'select * from items where code = $1', values: ['4242'] }, { query: 'select count(*) from items where id < 100' }],
      runs: 3,
    });
    expect(v.verdict, v.reason).toBe('validated');
    expect(v.reason).toBe('none of 2 measured statement(s) got slower without public.items_label_idx (0 of them used it)');
    expect(v.statements.every((s) => !s.usedIndex && s.before && s.after)).toBe(true);
    expect(await exists('public.items_label_idx')).toBe(true);
  });

  it('is inconclusive when no statement can be measured, or the index cannot be dropped', async () => {
    const none = await validateDropIndex({ sandbox, schema: 'public', index: 'items_label_idx', statements: [{ query: 'select * from items; delete from items' }] });
    expect(none.verdict).toBe('inconclusive');
    expect(none.reason).toMatch(/^no statement could be measured: /);
    // A primary key's index cannot be dropped on its own.
    const key = await validateDropIndex({ sandbox, schema: 'public', index: 'items_pkey', statements: [{ query: 'select * from items where id = 5' }], runs: 1 });
    expect(key.verdict).toBe('inconclusive');
    expect(key.reason).toMatch(/cannot be dropped in the sandbox: .*constraint/);
    expect(await exists('public.items_pkey')).toBe(true);
    expect(await exists('public.items_label_idx')).toBe(true);
  });
});
