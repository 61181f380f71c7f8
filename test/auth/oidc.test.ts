import { randomBytes } from 'node:crypto';
import { generateKeyPair } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../sidecar/auth/authenticator.ts';
import { oidcConfigFromEnv } from '../../sidecar/auth/oidc.ts';
import { bindingCookie, sha256Hex } from '../../sidecar/auth/oidc-browser.ts';
import { addMembership, createTenant, createUser } from '../../sidecar/auth/users.ts';
import { freePort } from '../../sidecar/net/ports.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startFakeProvider } from './fake-oidc-provider.ts';
import { auditRows, seedMember, startAuthServer } from './support.ts';

let db: TestDatabase;
let provider: Awaited<ReturnType<typeof startFakeProvider>>;
let server: AuthServer;
const client = { clientId: 'optischema-test', clientSecret: randomBytes(16).toString('hex') };

beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
  provider = await startFakeProvider(client);
  const port = await freePort();
  server = await startAuthServer({
    db: db.pool,
    port,
    oidc: { issuer: provider.issuer, ...client, redirectUri: `http://127.0.0.1:${port}/auth/oidc/callback`, allowInsecureHttp: true },
  });
});
afterAll(async () => {
  await server?.close();
  await provider?.close();
  await db?.close();
});

type AuthServer = Awaited<ReturnType<typeof startAuthServer>>;

/**
 * Drives the browser's part by hand as far as the provider's redirect back: our login → provider.
 * Returns the callback URL and the cookie the browser would send with it.
 */
async function startLogin(query = '', at: AuthServer = server) {
  const start = await fetch(`${at.url}/auth/oidc/login${query}`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const setCookie = start.headers.get('set-cookie')!;
  expect(setCookie).toMatch(/^optischema_oidc=[A-Za-z0-9_-]{43}; /);
  const authorize = new URL(start.headers.get('location')!);
  expect(authorize.origin).toBe(provider.issuer);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('nonce')).toBeTruthy();
  const atProvider = await fetch(authorize, { redirect: 'manual' });
  expect(atProvider.status).toBe(302);
  const callback = new URL(atProvider.headers.get('location')!);
  return { callback, setCookie, cookie: setCookie.split(';')[0]! };
}

const redeem = (callback: URL, cookie: string | null) => fetch(callback, { redirect: 'manual', headers: cookie ? { cookie } : {} });

/** A whole sign-in from one browser. */
async function signIn(query = '') {
  const login = await startLogin(query);
  expect(login.callback.toString().startsWith(`${server.url}/auth/oidc/callback?`)).toBe(true);
  return { ...login, response: await redeem(login.callback, login.cookie) };
}

describe('OIDC sign-in', () => {
  it('links an invited user by verified email, then finds them by (issuer, subject)', async () => {
    const { tenant, user } = await seedMember(db.pool, { role: 'viewer', password: null });
    provider.state.user = { sub: `sub-${user.id}`, email: user.email.toUpperCase(), email_verified: true };
    const { response } = await signIn();
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ tenant: { id: tenant.id, slug: tenant.slug }, role: 'viewer', refreshToken: expect.stringMatching(/^osr_/) });
    const identity = await createAuthenticator({ db: db.pool, accessKey: server.accessKey }).authenticate({
      headers: { authorization: `Bearer ${body.accessToken}` },
      clientAddress: null,
    });
    expect(identity.userId).toBe(user.id);
    const { rows } = await db.pool.query(`select oidc_issuer, oidc_subject from optischema.users where id = $1`, [user.id]);
    expect(rows[0]).toEqual({ oidc_issuer: provider.issuer, oidc_subject: `sub-${user.id}` });

    // Second sign-in: the email changed at the provider, the subject did not.
    provider.state.user = { sub: `sub-${user.id}`, email: 'renamed@example.com', email_verified: true };
    expect((await signIn()).response.status).toBe(200);
    const audit = (await auditRows(db.pool)).filter((r) => r.actor_user_id === user.id);
    expect(audit).toMatchObject([
      { action: 'sign_in', result: 'ok', tenant_id: tenant.id, details: { method: 'oidc', linked: true } },
      { action: 'sign_in', result: 'ok', details: { method: 'oidc' } },
    ]);
    expect(audit[1]!.details).not.toHaveProperty('linked');
  });

  it('refuses a person with no account, and one whose email is not verified', async () => {
    provider.state.user = { sub: 'stranger', email: 'stranger@example.com', email_verified: true };
    const stranger = (await signIn()).response;
    expect(stranger.status).toBe(403);
    expect((await stranger.json()).error).toMatch(/no OptiSchema account for stranger@example.com/);

    const { user } = await seedMember(db.pool, { password: null });
    provider.state.user = { sub: 'unverified', email: user.email, email_verified: false };
    expect((await signIn()).response.status).toBe(403);
    const { rows } = await db.pool.query(`select oidc_subject from optischema.users where id = $1`, [user.id]);
    expect(rows[0].oidc_subject).toBeNull();
    expect((await auditRows(db.pool)).filter((r) => r.actor_label === 'stranger@example.com')).toMatchObject([
      { action: 'sign_in', result: 'denied', details: { method: 'oidc', reason: 'no matching user' } },
    ]);
  });

  it('sends a browser back to the web app with its token, or the refusal, in the fragment', async () => {
    const methods = await (await fetch(`${server.url}/auth/methods`)).json();
    expect(methods).toEqual({ password: true, oidc: true });
    const { user } = await seedMember(db.pool, { role: 'analyst', password: null });
    provider.state.user = { sub: `sub-${user.id}`, email: user.email, email_verified: true };
    const login = await startLogin();
    const page = await fetch(login.callback, { redirect: 'manual', headers: { cookie: login.cookie, accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(302);
    const location = page.headers.get('location')!;
    expect(location).toMatch(/^\/#sso=[^&]+$/);
    const identity = await createAuthenticator({ db: db.pool, accessKey: server.accessKey }).authenticate({
      headers: { authorization: `Bearer ${decodeURIComponent(location.slice('/#sso='.length))}` },
      clientAddress: null,
    });
    expect(identity.userId).toBe(user.id);
    // Replayed, the same browser is sent back with the reason instead.
    const replay = await fetch(login.callback, { redirect: 'manual', headers: { cookie: login.cookie, accept: 'text/html' } });
    expect(replay.status).toBe(302);
    expect(decodeURIComponent(replay.headers.get('location')!)).toMatch(/^\/#sso-error=.*unknown, has expired/);
  });

  it('refuses a bad or replayed state', async () => {
    const { user } = await seedMember(db.pool, { password: null });
    provider.state.user = { sub: `sub-${user.id}`, email: user.email, email_verified: true };
    const { callback, cookie, response } = await signIn();
    expect(response.status).toBe(200);
    // The same callback again, from the same browser: the login was used up.
    const replay = await redeem(callback, cookie);
    expect(replay.status).toBe(400);
    expect((await replay.json()).error).toMatch(/unknown, has expired/);
    const forged = new URL(callback);
    forged.searchParams.set('state', 'made-up');
    expect((await redeem(forged, cookie)).status).toBe(400);
    const denied = (await auditRows(db.pool)).filter((r) => r.details.method === 'oidc' && r.details.reason?.toString().match(/unknown, has expired/));
    expect(denied.length).toBeGreaterThanOrEqual(2);
  });

  it('sets the binding cookie HttpOnly, SameSite=Lax and scoped to the callback, and clears it on the callback', async () => {
    const { setCookie, response } = await signIn();
    expect(setCookie.split('; ').slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=600', 'Path=/auth/oidc/callback', 'SameSite=Lax']);
    expect(response.headers.get('set-cookie')).toBe('optischema_oidc=; Path=/auth/oidc/callback; Max-Age=0; HttpOnly; SameSite=Lax');
    expect(bindingCookie('https://optischema.example.com/sso/callback', 'v', 600)).toBe(
      'optischema_oidc=v; Path=/sso/callback; Max-Age=600; HttpOnly; SameSite=Lax; Secure',
    );
  });

  it('refuses a callback without the cookie or with another browser\'s, and the starting browser still finishes', async () => {
    const { user } = await seedMember(db.pool, { password: null });
    provider.state.user = { sub: `sub-${user.id}`, email: user.email, email_verified: true };
    const victim = await startLogin();
    const attacker = await startLogin();
    const tokenRequests = provider.state.tokenRequests;

    const without = await redeem(victim.callback, null);
    expect(without.status).toBe(400);
    expect((await without.json()).error).toMatch(/not started in this browser/);
    expect(without.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const wrongCookie = await redeem(victim.callback, attacker.cookie);
    expect(wrongCookie.status).toBe(400);
    expect((await wrongCookie.json()).error).toMatch(/started in another browser/);
    const garbage = await redeem(victim.callback, 'optischema_oidc=not-a-binding');
    expect(garbage.status).toBe(400);

    // None of that spent the victim's login, and none of it reached the provider's token endpoint.
    expect(provider.state.tokenRequests).toBe(tokenRequests);
    const own = await redeem(victim.callback, victim.cookie);
    expect(own.status).toBe(200);
    expect((await own.json()).role).toBe('analyst');
  });

  it('gives a login to exactly one of two callbacks that race with it', async () => {
    const { user } = await seedMember(db.pool, { password: null });
    provider.state.user = { sub: `sub-${user.id}`, email: user.email, email_verified: true };
    const { callback, cookie } = await startLogin();
    const answers = await Promise.all([redeem(callback, cookie), redeem(callback, cookie)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    const { rows } = await db.pool.query(`select count(*)::int as n from optischema.oidc_pending_logins where state_hash = $1`, [
      sha256Hex(callback.searchParams.get('state')!),
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('refuses an expired login, and sweeps expired rows when the next login starts', async () => {
    const { user } = await seedMember(db.pool, { password: null });
    provider.state.user = { sub: `sub-${user.id}`, email: user.email, email_verified: true };
    const { callback, cookie } = await startLogin();
    const stateHash = sha256Hex(callback.searchParams.get('state')!);
    await db.pool.query(`update optischema.oidc_pending_logins set expires_at = now() - interval '1 second' where state_hash = $1`, [stateHash]);
    expect((await redeem(callback, cookie)).status).toBe(400);
    await startLogin();
    const { rows } = await db.pool.query(`select count(*)::int as n from optischema.oidc_pending_logins where state_hash = $1`, [stateHash]);
    expect(rows[0].n).toBe(0);
  });

  it('finishes on a second sidecar a login the first one started', async () => {
    const { tenant, user } = await seedMember(db.pool, { password: null, role: 'viewer' });
    provider.state.user = { sub: `sub-${user.id}`, email: user.email, email_verified: true };
    // Two sidecars behind one public address share its callback URL; here the provider sends the browser to the second.
    const port = await freePort();
    const shared = { issuer: provider.issuer, ...client, redirectUri: `http://127.0.0.1:${port}/auth/oidc/callback`, allowInsecureHttp: true };
    const poolA = new pg.Pool({ connectionString: db.url, max: 2 });
    const poolB = new pg.Pool({ connectionString: db.url, max: 2 });
    const a = await startAuthServer({ db: poolA, oidc: shared });
    const b = await startAuthServer({ db: poolB, port, oidc: shared });
    try {
      const { callback, cookie } = await startLogin(`?tenant=${tenant.slug}`, a);
      expect(callback.origin).toBe(new URL(b.url).origin);
      const response = await redeem(callback, cookie);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ tenant: { slug: tenant.slug }, role: 'viewer' });
    } finally {
      await a.close();
      await b.close();
      await poolA.end();
      await poolB.end();
    }
  });

  it('refuses an ID token signed with a key the provider did not publish', async () => {
    const { user } = await seedMember(db.pool, { password: null });
    provider.state.user = { sub: `sub-${user.id}`, email: user.email, email_verified: true };
    provider.state.signWith = (await generateKeyPair('ES256')).privateKey;
    try {
      const { response } = await signIn();
      expect(response.status).toBe(401);
      expect((await response.json()).error).toMatch(/could not be verified/);
    } finally {
      provider.state.signWith = null;
    }
  });

  it('signs into the tenant named at the start', async () => {
    const { user } = await seedMember(db.pool, { password: null, role: 'viewer' });
    const other = await createTenant(db.pool, { name: 'other', slug: `o-${randomBytes(3).toString('hex')}` });
    await addMembership(db.pool, { userId: user.id, tenantId: other.id, role: 'admin' });
    provider.state.user = { sub: `sub-${user.id}`, email: user.email, email_verified: true };
    expect((await signIn()).response.status).toBe(400);
    const { response } = await signIn(`?tenant=${other.slug}`);
    expect(await response.json()).toMatchObject({ tenant: { slug: other.slug }, role: 'admin' });
  });

  it('does not link a user who already has an OIDC identity', async () => {
    const user = await createUser(db.pool, { email: `linked-${randomBytes(3).toString('hex')}@example.com` });
    const tenant = await createTenant(db.pool, { name: 'x', slug: `x-${randomBytes(3).toString('hex')}` });
    await addMembership(db.pool, { userId: user.id, tenantId: tenant.id, role: 'viewer' });
    await db.pool.query(`update optischema.users set oidc_issuer = $1, oidc_subject = 'first' where id = $2`, [provider.issuer, user.id]);
    provider.state.user = { sub: 'second', email: user.email, email_verified: true };
    expect((await signIn()).response.status).toBe(403);
  });
});

describe('OIDC configuration from the environment', () => {
  it('is null when unset, complete when all four are set, and an error when half set', () => {
    expect(oidcConfigFromEnv({})).toBeNull();
    const env = {
      OPTISCHEMA_OIDC_ISSUER: 'https://id.example.com',
      OPTISCHEMA_OIDC_CLIENT_ID: 'id',
      OPTISCHEMA_OIDC_CLIENT_SECRET: 'secret',
      OPTISCHEMA_OIDC_REDIRECT_URI: 'https://optischema.example.com/auth/oidc/callback',
    };
    expect(oidcConfigFromEnv(env)).toEqual({
      issuer: 'https://id.example.com', clientId: 'id', clientSecret: 'secret', redirectUri: 'https://optischema.example.com/auth/oidc/callback',
    });
    expect(() => oidcConfigFromEnv({ ...env, OPTISCHEMA_OIDC_CLIENT_SECRET: '' })).toThrow(/OPTISCHEMA_OIDC_CLIENT_SECRET/);
  });
});
