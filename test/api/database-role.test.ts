import { sideEffectWithPgClient, type PgExecutor } from 'postgraphile/@dataplan/pg';
import { constant } from 'postgraphile/grafast';
import { extendSchema } from 'postgraphile/utils';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApiDatabase, gql, seedTenant, startApi, type ApiDatabase, type RunningApi, type SeededTenant } from './support.ts';

/** Test-only field: who the database thinks is asking, from inside a real API request. */
const WhoAmIPlugin = extendSchema((build) => {
  const executor = build.input.pgRegistry.pgExecutors.main as PgExecutor;
  return {
    typeDefs: `extend type Query { whoAmI: JSON }`,
    objects: {
      Query: {
        plans: {
          whoAmI() {
            return sideEffectWithPgClient(executor, constant(null), async (client) => {
              const { rows } = await client.query<Record<string, unknown>>({
                text: `select current_user, session_user,
                         (select rolsuper from pg_roles where rolname = session_user) as session_super,
                         (select rolsuper from pg_roles where rolname = current_user) as current_super,
                         (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
                           where n.nspname in ('optischema', 'optischema_api')
                             and (pg_has_role(session_user, c.relowner, 'member') or pg_has_role(current_user, c.relowner, 'member'))) as owned,
                         current_setting('optischema.tenant_id', true) as tenant`,
              });
              return rows[0];
            });
          },
        },
      },
    },
  };
});

let db: ApiDatabase;
let api: RunningApi;
let a: SeededTenant;
let b: SeededTenant;
beforeAll(async () => {
  db = await createApiDatabase();
  a = await seedTenant(db.pool, 'Alphaleak');
  b = await seedTenant(db.pool, 'Bravo');
  api = await startApi(db, { plugins: [WhoAmIPlugin] });
});
afterAll(async () => {
  await api?.close();
  await db?.close();
});

test('requests run as a non-superuser that owns no optischema table', async () => {
  for (const role of ['viewer', 'analyst', 'admin'] as const) {
    const response = await gql(api.url, b.identity(role), '{ whoAmI }');
    expect(response.errors).toBeUndefined();
    expect(response.data?.whoAmI).toEqual({
      current_user: `optischema_${role}`,
      session_user: 'optischema_api',
      session_super: false,
      current_super: false,
      owned: 0,
      tenant: b.tenantId,
    });
  }
});

test('forged tenant headers and extra variables do not reach the database', async () => {
  const forged = {
    'optischema.tenant_id': a.tenantId,
    'x-optischema-tenant-id': a.tenantId,
    'x-tenant-id': a.tenantId,
    'x-forwarded-for': '10.9.9.9',
  };
  const response = await gql(
    api.url,
    b.identity('admin'),
    `query { whoAmI allRecommendations { nodes { rowId title } } allTargets { nodes { rowId name } } }`,
    { tenantId: a.tenantId, 'optischema.tenant_id': a.tenantId },
    forged,
  );
  expect(response.errors).toBeUndefined();
  expect(response.data?.whoAmI.tenant).toBe(b.tenantId);
  expect(JSON.stringify(response.data)).not.toMatch(/alphaleak/i);
  expect(response.data?.allRecommendations.nodes).toHaveLength(b.recommendationIds.length + Object.values(b.recommendationsFor).length * 3);
});

test('without credentials the API answers 401 and runs nothing', async () => {
  const response = await gql(api.url, null, '{ allRecommendations { nodes { title } } }');
  expect(response.status).toBe(401);
  expect(response.data ?? null).toBeNull();
  expect(response.errors?.[0]?.message).toBe('no credentials');
});
