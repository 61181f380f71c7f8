import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessKeyFromText, issueAccessToken, verifyAccessToken } from '../../sidecar/auth/access-tokens.ts';
import { createAuthenticator } from '../../sidecar/auth/authenticator.ts';
import { AuthError } from '../../sidecar/auth/identity.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { seedMember } from './support.ts';

const key = new Uint8Array(randomBytes(32));
const claims = { userId: randomUUID(), tenantId: randomUUID(), role: 'viewer' as const };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function refusal(token: string): Promise<AuthError> {
  const error = await verifyAccessToken(key, token).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe('access tokens', () => {
  it('round-trips the claims of a token it issued', async () => {
    expect(await verifyAccessToken(key, await issueAccessToken(key, claims))).toEqual(claims);
  });

  it('refuses an expired token', async () => {
    const token = await issueAccessToken(key, claims, { now: new Date(Date.now() - 16 * 60_000) });
    expect((await refusal(token)).message).toMatch(/expired/);
  });

  it('refuses a token signed with another key', async () => {
    const token = await issueAccessToken(new Uint8Array(randomBytes(32)), claims);
    expect((await refusal(token)).status).toBe(401);
  });

  it('refuses alg: none, with or without a signature part', async () => {
    const valid = await issueAccessToken(key, claims);
    const [, payload, signature] = valid.split('.');
    await refusal(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`);
    await refusal(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.${signature}`);
  });

  it('refuses another algorithm even with the right key', async () => {
    // Signed by hand with the very same key, so only the algorithm differs from a valid token.
    const [, payload] = (await issueAccessToken(key, claims)).split('.');
    const header = b64({ alg: 'HS384', typ: 'JWT' });
    const signature = createHmac('sha384', key).update(`${header}.${payload}`).digest('base64url');
    await refusal(`${header}.${payload}.${signature}`);
    const sameAlg = b64({ alg: 'HS256', typ: 'JWT' });
    const valid = createHmac('sha256', key).update(`${sameAlg}.${payload}`).digest('base64url');
    expect(await verifyAccessToken(key, `${sameAlg}.${payload}.${valid}`)).toEqual(claims);
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const [header, payload, signature] = (await issueAccessToken(key, claims)).split('.');
    const changed = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'admin' };
    await refusal(`${header}.${b64(changed)}.${signature}`);
  });

  it('refuses the wrong audience or issuer', async () => {
    const sign = (aud: string, iss: string) =>
      new SignJWT({ tid: claims.tenantId, role: claims.role })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.userId).setIssuer(iss).setAudience(aud).setIssuedAt().setExpirationTime('5m')
        .sign(key);
    await refusal(await sign('someone-else', 'optischema'));
    await refusal(await sign('optischema', 'someone-else'));
    // The same construction with the right values is accepted, so the two refusals above are about aud and iss.
    expect(await verifyAccessToken(key, await sign('optischema', 'optischema'))).toEqual(claims);
  });

  it('reads keys from base64 or hex and refuses short ones', () => {
    const bytes = randomBytes(32);
    expect(Buffer.from(accessKeyFromText(bytes.toString('base64')))).toEqual(bytes);
    expect(Buffer.from(accessKeyFromText(bytes.toString('hex')))).toEqual(bytes);
    expect(() => accessKeyFromText(randomBytes(16).toString('base64'))).toThrow(/32/);
  });
});

describe('authenticator with user tokens', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: true });
  });
  afterAll(() => db.close());

  const request = (token: string) => ({ headers: { authorization: `Bearer ${token}` }, clientAddress: '127.0.0.1' });

  it('reads the role from memberships on every request: a change takes effect at once', async () => {
    const { tenant, user } = await seedMember(db.pool, { role: 'viewer' });
    const auth = createAuthenticator({ db: db.pool, accessKey: key });
    const token = await issueAccessToken(key, { userId: user.id, tenantId: tenant.id, role: 'viewer' });
    expect(await auth.authenticate(request(token))).toEqual({
      tenantId: tenant.id, role: 'viewer', userId: user.id, apiKeyId: null, label: user.email,
    });
    await db.pool.query(`update optischema.memberships set role = 'admin' where user_id = $1`, [user.id]);
    expect((await auth.authenticate(request(token))).role).toBe('admin');
    await db.pool.query(`delete from optischema.memberships where user_id = $1`, [user.id]);
    await expect(auth.authenticate(request(token))).rejects.toMatchObject({ status: 403, message: /no longer a member/ });
  });

  it('refuses a disabled user', async () => {
    const { tenant, user } = await seedMember(db.pool);
    const auth = createAuthenticator({ db: db.pool, accessKey: key });
    const token = await issueAccessToken(key, { userId: user.id, tenantId: tenant.id, role: 'analyst' });
    await expect(auth.authenticate(request(token))).resolves.toMatchObject({ userId: user.id });
    await db.pool.query(`update optischema.users set disabled_at = now() where id = $1`, [user.id]);
    await expect(auth.authenticate(request(token))).rejects.toMatchObject({ status: 403, message: /disabled/ });
  });

  it('refuses requests without credentials or with a malformed header', async () => {
    const auth = createAuthenticator({ db: db.pool, accessKey: key });
    await expect(auth.authenticate({ headers: {}, clientAddress: null })).rejects.toMatchObject({ status: 401 });
    await expect(auth.authenticate({ headers: { authorization: 'Basic abc' }, clientAddress: null })).rejects.toMatchObject({ status: 401 });
  });
});

describe('slim mode and the factory', () => {
  it('slimAuthenticator answers its one identity for any request, credentials or not', async () => {
    const { slimAuthenticator } = await import('../../sidecar/auth/authenticator.ts');
    const identity = { tenantId: randomUUID(), role: 'admin' as const, userId: randomUUID(), apiKeyId: null, label: 'local' };
    const auth = slimAuthenticator(identity);
    expect(await auth.authenticate({ headers: {}, clientAddress: null })).toBe(identity);
    expect(await auth.authenticate({ headers: { authorization: 'Bearer junk' }, clientAddress: '10.0.0.1' })).toBe(identity);
  });

  it('createAuth refuses a key shorter than 32 bytes', async () => {
    const { createAuth } = await import('../../sidecar/auth/create-auth.ts');
    const db = { query: async () => ({ rows: [] }) };
    expect(() => createAuth({ db, accessKey: new Uint8Array(16) })).toThrow(/32/);
    expect(createAuth({ db, accessKey: new Uint8Array(randomBytes(32)) }).mount.matches('/auth/login')).toBe(true);
  });
});
