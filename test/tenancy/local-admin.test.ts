import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureLocalAdmin } from '../../sidecar/tenancy/local-admin.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
});
afterAll(async () => {
  await db.close();
});

it('creates the local tenant and admin once, and answers the same identity on every start', async () => {
  const first = await ensureLocalAdmin(db.pool);
  const second = await ensureLocalAdmin(db.pool);
  expect(second).toEqual(first);
  expect(first.role).toBe('admin');
  const { rows } = await db.pool.query(
    `select t.slug, u.email, m.role from optischema.memberships m
       join optischema.tenants t on t.id = m.tenant_id join optischema.users u on u.id = m.user_id`,
  );
  expect(rows).toEqual([{ slug: 'local', email: 'admin@localhost', role: 'admin' }]);
});
