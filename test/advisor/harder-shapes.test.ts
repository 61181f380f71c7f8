import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseQueries } from '../../sidecar/advisor/advise.ts';
import { adviseWorkload } from '../../sidecar/advisor/workload.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * The shapes beyond column = value, end to end on real PostgreSQL + hypopg: partial indexes on a
 * null test and a boolean column, one index per OR arm, a sort with NULLS LAST that no existing
 * index can give, equality literals of a non-status column, and the candidates hypopg cannot judge
 * (GIN; a join on an expression), which come with their uncertainty.
 */
describe('index advice for harder shapes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
    await db.pool.query(`
      create table public.tasks (id bigint primary key, title text not null, team_id int not null,
                                 assignee_id int, reporter_id int not null, archived boolean not null,
                                 created_at timestamptz not null, updated_at timestamptz not null,
                                 due_date date, payload jsonb not null);
      insert into public.tasks
        select g, 'task ' || g, g % 10,
               case when g % 25 = 0 then null else 1 + g % 5000 end, 1 + (g * 7) % 5000,
               g % 67 = 0,
               timestamptz '2025-01-01' + g * interval '1 minute', timestamptz '2025-01-01' + ((g * 13) % 200000) * interval '1 minute',
               case when g % 5 < 2 then null else date '2025-01-01' + g % 365 end,
               jsonb_build_object('k', g % 1000, 'tag', 't' || g % 50)
          from generate_series(1, 200000) g;
      create index tasks_due_date_assignee_idx on public.tasks (due_date, assignee_id);
      create table public.users (id int primary key, email text not null, full_name text not null);
      insert into public.users select g, 'User' || g || '@example.org', 'name ' || g from generate_series(1, 100000) g;
      create table public.accounts (id int primary key, billing_email text not null);
      insert into public.accounts select g, 'user' || (g * 37) || '@example.org' from generate_series(1, 2000) g;
      -- Never analyzed (autovacuum kept off it): reltuples stays -1.
      create table public.fresh (id int, k int not null, note text not null) with (autovacuum_enabled = false);
      insert into public.fresh select g, g % 20000, repeat('n', 30) from generate_series(1, 100000) g;`);
    await db.pool.query('vacuum analyze public.tasks, public.users, public.accounts');
  });
  afterAll(async () => {
    await db?.close();
  });

  const advise = async (query: string) => {
    const [result] = (await adviseQueries(db.pool, [query])).results;
    expect(result!.errors).toEqual([]);
    return result!.recommendations;
  };

  it('a table never analyzed is sized as the planner sizes it, and the advice says its statistics are missing', async () => {
    const { rows } = await db.pool.query(`select reltuples from pg_class where oid = 'public.fresh'::regclass`);
    expect(Number(rows[0].reltuples)).toBe(-1);
    const [first] = await advise(`select id, note from public.fresh where k = 4242`);
    expect(first?.sql).toBe('CREATE INDEX CONCURRENTLY fresh_k_idx ON public.fresh (k)');
    expect(first?.rationale).toContain('never analyzed');
  });

  it('IS NULL on a 4 % share, ordered by another column: a partial index in that order', async () => {
    const [first] = await advise(`select id, title, created_at from tasks where assignee_id is null order by created_at desc limit 50`);
    expect(first?.sql).toMatch(/ON public\.tasks \(created_at\)( INCLUDE \([^)]*\))? WHERE assignee_id IS NULL$/);
  });

  it('a bare boolean column on a 1.5 % share: a partial index WHERE that column', async () => {
    const [first] = await advise(`select id, title, updated_at from tasks where archived order by updated_at desc limit 20`);
    expect(first?.sql).toMatch(/ON public\.tasks \(updated_at\)( INCLUDE \([^)]*\))? WHERE archived$/);
  });

  it('a = x OR b = x: one index per arm, costed and reported together', async () => {
    const recommendations = await advise(`select id, title from tasks where assignee_id = 77 or reporter_id = 77`);
    const sqls = recommendations.map((r) => r.sql).sort();
    expect(sqls).toEqual([
      'CREATE INDEX CONCURRENTLY tasks_assignee_id_idx ON public.tasks (assignee_id)',
      'CREATE INDEX CONCURRENTLY tasks_reporter_id_idx ON public.tasks (reporter_id)',
    ]);
    for (const r of recommendations) expect(r.together).toEqual(sqls.filter((s) => s !== r.sql));
    expect(recommendations[0]!.rationale).toContain('BitmapOr');
  });

  it('workload mode chooses both arms of an OR, as one move, for a normalized statement', async () => {
    const statement = 'select id, title from tasks where assignee_id = $1 or reporter_id = $1';
    const advice = await adviseWorkload(db.pool, { statements: [statement] });
    expect(advice.errors).toEqual([]);
    expect(advice.recommendations.map((r) => r.sql).sort()).toEqual([
      'CREATE INDEX CONCURRENTLY tasks_assignee_id_idx ON public.tasks (assignee_id)',
      'CREATE INDEX CONCURRENTLY tasks_reporter_id_idx ON public.tasks (reporter_id)',
    ]);
  });

  it('ORDER BY … DESC NULLS LAST LIMIT: the index in that NULLs order, beside an existing one that reads them first', async () => {
    const [first] = await advise(`select id, title, due_date from tasks order by due_date desc nulls last limit 20`);
    expect(first?.sql).toMatch(/ON public\.tasks \(due_date (NULLS FIRST|DESC NULLS LAST)\)/);
  });

  it('an equality literal on a number column is one value of many: the general index, not a partial one', async () => {
    const recommendations = await advise(`select id, title from tasks where team_id = 3 and reporter_id = 12`);
    expect(recommendations.length).toBeGreaterThan(0);
    for (const r of recommendations) expect(r.sql).not.toContain('WHERE team_id');
  });

  it('jsonb containment: a GIN index, proposed with its uncertainty (hypopg cannot cost it)', async () => {
    const [first] = await advise(`select id from tasks where payload @> '{"k": 17}'`);
    expect(first?.sql).toBe('CREATE INDEX CONCURRENTLY tasks_gin_payload_jsonb_path_ops_idx ON public.tasks USING gin (payload jsonb_path_ops)');
    expect(first?.uncertainty?.kind).toBe('access-method');
    expect(first?.rationale).toContain('hypopg cannot cost GIN');
  });

  it('a join on an expression: the expression index on the inner side, marked as an unreliable estimate', async () => {
    const recommendations = await advise(
      `select a.id, u.full_name from public.users u join public.accounts a on lower(u.email) = lower(a.billing_email) where a.id = 5`,
    );
    const onUsers = recommendations.find((r) => r.table === 'public.users');
    expect(onUsers?.sql).toBe('CREATE INDEX CONCURRENTLY users_lower_email_idx ON public.users ((lower(email)))');
    expect(onUsers?.uncertainty?.kind).toBe('expression');
  });
});
