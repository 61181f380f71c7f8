import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../sidecar/auth/authenticator.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { asRole, seedMember } from './support.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
});
afterAll(() => db.close());

const accessKey = new Uint8Array(randomBytes(32));

async function newKey(role: 'viewer' | 'analyst' | 'admin' = 'analyst') {
  const { tenant, user } = await seedMember(db.pool, { role: 'admin' });
  const admin = { role: 'admin' as const, tenantId: tenant.id, userId: user.id };
  const [created] = await asRole<{ id: string; key: string }>(db.pool, admin, `select id, key from optischema_api.create_api_key($1, $2)`, [
    'ci',
    role,
  ]);
  return { tenant, admin, id: created!.id, key: created!.key };
}

const lastUsed = async (id: string) =>
  (await db.pool.query<{ last_used_at: Date | null }>(`select last_used_at from optischema.api_keys where id = $1`, [id])).rows[0]!.last_used_at;

describe('API keys', () => {
  it('authenticate through Authorization: Bearer and X-API-Key, and record the last use', async () => {
    const { tenant, id, key } = await newKey('viewer');
    const auth = createAuthenticator({ db: db.pool, accessKey });
    expect(await lastUsed(id)).toBeNull();
    const expected = { tenantId: tenant.id, role: 'viewer', userId: null, apiKeyId: id, label: 'ci' };
    expect(await auth.authenticate({ headers: { authorization: `Bearer ${key}` }, clientAddress: null })).toEqual(expected);
    const firstUse = await lastUsed(id);
    expect(firstUse).toBeInstanceOf(Date);
    expect(await auth.authenticate({ headers: { 'x-api-key': key }, clientAddress: null })).toEqual(expected);
    // Written at most once a minute: the second use within the minute leaves the stamp alone.
    expect(await lastUsed(id)).toEqual(firstUse);
    await db.pool.query(`update optischema.api_keys set last_used_at = now() - interval '2 minutes' where id = $1`, [id]);
    const stale = await lastUsed(id);
    await auth.authenticate({ headers: { 'x-api-key': key }, clientAddress: null });
    expect((await lastUsed(id))!.getTime()).toBeGreaterThan(stale!.getTime());
  });

  it('stops working on the very next request after revoke_api_key', async () => {
    const { admin, id, key } = await newKey();
    const auth = createAuthenticator({ db: db.pool, accessKey });
    const request = { headers: { 'x-api-key': key }, clientAddress: null };
    await expect(auth.authenticate(request)).resolves.toMatchObject({ apiKeyId: id });
    await asRole(db.pool, admin, `select optischema_api.revoke_api_key($1)`, [id]);
    await expect(auth.authenticate(request)).rejects.toMatchObject({ status: 401, message: 'the API key has been revoked' });
  });

  it('refuses unknown and malformed keys', async () => {
    const { key } = await newKey();
    const auth = createAuthenticator({ db: db.pool, accessKey });
    const changed = key.slice(0, -1) + (key.endsWith('0') ? '1' : '0');
    await expect(auth.authenticate({ headers: { 'x-api-key': changed }, clientAddress: null })).rejects.toMatchObject({
      status: 401,
      message: 'the API key is not valid',
    });
    await expect(auth.authenticate({ headers: { authorization: 'Bearer osk_nonsense' }, clientAddress: null })).rejects.toMatchObject({
      status: 401,
      message: /malformed/,
    });
  });
});
