import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiDatabase, gql, seedTenant, startApi, type ApiDatabase, type RunningApi, type SeededTenant } from './support.ts';

let db: ApiDatabase;
let api: RunningApi;
let a: SeededTenant;
let b: SeededTenant;
beforeAll(async () => {
  db = await createApiDatabase();
  a = await seedTenant(db.pool, 'MemberAlpha');
  b = await seedTenant(db.pool, 'MemberBeta');
  api = await startApi(db);
});
afterAll(async () => {
  await api?.close();
  await db?.close();
});

const ADD = `mutation($email: String!, $role: String!) { addMember(input: { email: $email, role: $role }) { result { email role } } }`;

it('adds a new person by email, without a password (they sign in through single sign-on)', async () => {
  const response = await gql(api.url, a.identity('admin'), ADD, { email: 'New.Person@Example.com', role: 'analyst' });
  expect(response.errors).toBeUndefined();
  expect(response.data).toEqual({ addMember: { result: { email: 'New.Person@Example.com', role: 'analyst' } } });
  const { rows } = await db.pool.query(
    `select u.password_hash, m.tenant_id from optischema.users u join optischema.memberships m on m.user_id = u.id
      where lower(u.email) = 'new.person@example.com'`,
  );
  expect(rows).toEqual([{ password_hash: null, tenant_id: a.tenantId }]);
});

it('adds an existing account of another tenant to this one only, and refuses a second time', async () => {
  const again = await gql(api.url, b.identity('admin'), ADD, { email: 'new.person@example.com', role: 'viewer' });
  expect(again.errors).toBeUndefined();
  const { rows } = await db.pool.query(
    `select m.tenant_id, m.role from optischema.memberships m join optischema.users u on u.id = m.user_id
      where lower(u.email) = 'new.person@example.com' order by m.role`,
  );
  expect(rows).toEqual([
    { tenant_id: a.tenantId, role: 'analyst' },
    { tenant_id: b.tenantId, role: 'viewer' },
  ]);
  const duplicate = await gql(api.url, b.identity('admin'), ADD, { email: 'new.person@example.com', role: 'admin' });
  expect(duplicate.errors?.[0]?.message).toMatch(/already a member/);
});

it('refuses analysts and bad input', async () => {
  const analyst = await gql(api.url, a.identity('analyst'), ADD, { email: 'x@example.com', role: 'viewer' });
  expect(analyst.errors?.[0]?.extensions?.code).toBe('42501');
  const badEmail = await gql(api.url, a.identity('admin'), ADD, { email: "x'; drop table optischema.users; --", role: 'viewer' });
  expect(badEmail.errors?.[0]?.extensions?.code).toBe('22023');
  const badRole = await gql(api.url, a.identity('admin'), ADD, { email: 'y@example.com', role: 'owner' });
  expect(badRole.errors?.[0]?.extensions?.code).toBe('22023');
});
