import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../sidecar/auth/authenticator.ts';
import { addMembership, createTenant } from '../../sidecar/auth/users.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { PASSWORD, auditRows, seedMember, startAuthServer } from './support.ts';

let db: TestDatabase;
let server: Awaited<ReturnType<typeof startAuthServer>> | null = null;
beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
});
afterEach(async () => {
  await server?.close();
  server = null;
  // Attempts are counted in the database now, per address too: every test starts with none from 127.0.0.1.
  await db.pool.query('delete from optischema.sign_in_attempts');
});
afterAll(() => db.close());

async function start(options: Partial<Parameters<typeof startAuthServer>[0]> = {}) {
  server = await startAuthServer({ db: db.pool, ...options });
  return server;
}

const auditOf = async (label: string) => (await auditRows(db.pool)).filter((r) => r.actor_label === label);

describe('POST /auth/login', () => {
  it('signs a member in, and the access token authenticates API requests', async () => {
    const { tenant, user } = await seedMember(db.pool, { role: 'analyst' });
    const { post, accessKey } = await start();
    const response = await post('/auth/login', { email: user.email.toUpperCase(), password: PASSWORD });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json();
    expect(body).toMatchObject({ expiresIn: 900, tenant: { id: tenant.id, slug: tenant.slug }, role: 'analyst' });
    expect(body.refreshToken).toMatch(/^osr_/);
    const identity = await createAuthenticator({ db: db.pool, accessKey }).authenticate({
      headers: { authorization: `Bearer ${body.accessToken}` },
      clientAddress: null,
    });
    expect(identity).toMatchObject({ userId: user.id, tenantId: tenant.id, role: 'analyst' });

    const [row, ...more] = await auditOf(user.email);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      tenant_id: tenant.id, actor_user_id: user.id, action: 'sign_in', result: 'ok', client_address: '127.0.0.1',
      details: { method: 'password' },
    });
  });

  it('refuses a wrong password and an unknown email with the same answer, and audits each with its reason', async () => {
    const { user } = await seedMember(db.pool);
    const { post } = await start();
    const wrong = await post('/auth/login', { email: user.email, password: 'not the password' });
    const unknownEmail = `nobody-${randomBytes(3).toString('hex')}@example.com`;
    const unknown = await post('/auth/login', { email: unknownEmail, password: PASSWORD });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());

    expect(await auditOf(user.email)).toMatchObject([
      { action: 'sign_in', result: 'denied', actor_user_id: user.id, details: { method: 'password', reason: 'wrong password' } },
    ]);
    const [unknownRow] = await auditOf(unknownEmail);
    expect(unknownRow).toMatchObject({ tenant_id: null, actor_user_id: null, result: 'denied', details: { reason: 'unknown email' } });
    // Never a password in the audit log.
    const all = JSON.stringify(await auditRows(db.pool));
    expect(all).not.toContain('not the password');
    expect(all).not.toContain(PASSWORD);
  });

  it('refuses a disabled user even with the right password', async () => {
    const { user } = await seedMember(db.pool);
    await db.pool.query(`update optischema.users set disabled_at = now() where id = $1`, [user.id]);
    const { post } = await start();
    const response = await post('/auth/login', { email: user.email, password: PASSWORD });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'this account is disabled' });
    expect(await auditOf(user.email)).toMatchObject([{ result: 'denied', actor_user_id: user.id, details: { reason: 'account disabled' } }]);
  });

  it('asks for a tenant when the user has several, and signs into the one named', async () => {
    const { tenant, user } = await seedMember(db.pool, { role: 'viewer' });
    const second = await createTenant(db.pool, { name: 'second', slug: `s-${randomBytes(3).toString('hex')}` });
    await addMembership(db.pool, { userId: user.id, tenantId: second.id, role: 'admin' });
    const { post } = await start();
    const ambiguous = await post('/auth/login', { email: user.email, password: PASSWORD });
    expect(ambiguous.status).toBe(400);
    expect((await ambiguous.json()).error).toContain(tenant.slug);
    const chosen = await post('/auth/login', { email: user.email, password: PASSWORD, tenant: second.slug });
    expect(await chosen.json()).toMatchObject({ tenant: { id: second.id }, role: 'admin' });
    const notMine = await post('/auth/login', { email: user.email, password: PASSWORD, tenant: 'not-a-tenant-of-mine' });
    expect(notMine.status).toBe(403);
  });

  it('spends about as long on an unknown email as on a wrong password', async () => {
    const { user } = await seedMember(db.pool);
    const { post } = await start({ rateLimit: { perEmail: 100, perAddress: 100 } });
    const time = async (email: string) => {
      const started = performance.now();
      expect((await post('/auth/login', { email, password: 'wrong password' })).status).toBe(401);
      return performance.now() - started;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await time(user.email));
      unknown.push(await time(`ghost-${i}@example.com`));
    }
    // argon2 dominates both; without the dummy verification the unknown path would be ~100x faster.
    expect(median(unknown)).toBeGreaterThan(median(known) / 3);
  });
});

describe('rate limiting', () => {
  it('answers 429 with Retry-After after 5 failures, and a success resets the email', async () => {
    const { user } = await seedMember(db.pool);
    let now = Date.now();
    const { post } = await start({ rateLimit: { now: () => now } });
    const attempt = (password: string) => post('/auth/login', { email: user.email, password });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong')).status).toBe(401);
    const limited = await attempt(PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(900);
    expect((await auditOf(user.email)).at(-1)).toMatchObject({ result: 'denied', details: { reason: 'rate limited' } });

    now += 15 * 60_000 + 1000;
    expect((await attempt(PASSWORD)).status).toBe(200);
    // The success cleared the email's failures: it gets five fresh tries before the next 429.
    for (let i = 0; i < 4; i++) expect((await attempt('wrong')).status).toBe(401);
    expect((await attempt(PASSWORD)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await attempt('wrong')).status).toBe(401);
    expect((await attempt('wrong')).status).toBe(429);
  });

  it('limits one client address across many emails', async () => {
    const { post } = await start({ rateLimit: { perAddress: 3 } });
    for (let i = 0; i < 3; i++) expect((await post('/auth/login', { email: `a${i}@example.com`, password: 'x' })).status).toBe(401);
    expect((await post('/auth/login', { email: 'fresh@example.com', password: 'x' })).status).toBe(429);
  });
});

describe('rate limiting under concurrency and across sidecars', () => {
  it('lets at most the limit of 20 parallel attempts reach the password check', async () => {
    const { user } = await seedMember(db.pool);
    // Its own pool, wide enough that the 20 attempts really are in flight at once.
    const pool = new pg.Pool({ connectionString: db.url, max: 20 });
    try {
      server = await startAuthServer({ db: pool, rateLimit: { perEmail: 5, perAddress: 100 } });
      const post = server.post;
      const answers = await Promise.all(Array.from({ length: 20 }, () => post('/auth/login', { email: user.email, password: 'wrong' })));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(15);
      // The audit log says which attempts had their password checked.
      const reasons = (await auditOf(user.email)).map((r) => r.details.reason);
      expect(reasons.filter((r) => r === 'wrong password')).toHaveLength(5);
      expect(reasons.filter((r) => r === 'rate limited')).toHaveLength(15);
    } finally {
      await server?.close();
      server = null;
      await pool.end();
    }
  });

  it('shares one count between two sidecars on one database, in sequence and in parallel', async () => {
    const { user } = await seedMember(db.pool);
    const pools = [new pg.Pool({ connectionString: db.url, max: 10 }), new pg.Pool({ connectionString: db.url, max: 10 })];
    const sidecars = await Promise.all(pools.map((pool) => startAuthServer({ db: pool, rateLimit: { perEmail: 5, perAddress: 100 } })));
    try {
      const [a, b] = sidecars as [(typeof sidecars)[0], (typeof sidecars)[0]];
      const wrong = (at: typeof a) => at.post('/auth/login', { email: user.email, password: 'wrong' });
      for (let i = 0; i < 3; i++) expect((await wrong(a)).status).toBe(401);
      for (let i = 0; i < 2; i++) expect((await wrong(b)).status).toBe(401);
      expect((await wrong(a)).status).toBe(429);
      expect((await b.post('/auth/login', { email: user.email, password: PASSWORD })).status).toBe(429);

      const { user: other } = await seedMember(db.pool);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).post('/auth/login', { email: other.email, password: 'wrong' })),
      );
      expect(answers.filter((r) => r.status === 401)).toHaveLength(5);
      expect(answers.filter((r) => r.status === 429)).toHaveLength(15);
    } finally {
      await Promise.all(sidecars.map((s) => s.close()));
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('a right password gives the address its slot back, and expired rows are swept', async () => {
    const { post } = await start({ rateLimit: { perAddress: 2 } });
    const { user } = await seedMember(db.pool);
    for (let i = 0; i < 3; i++) expect((await post('/auth/login', { email: user.email, password: PASSWORD })).status).toBe(200);
    const { rows } = await db.pool.query(`select cardinality(attempts) as n from optischema.sign_in_attempts where key = 'address:127.0.0.1'`);
    expect(rows).toEqual([{ n: 0 }]);

    await db.pool.query(`insert into optischema.sign_in_attempts (key, attempts, expires_at) values ('email:old@example.com', array[now() - interval '1 day'], now() - interval '1 hour')`);
    expect((await post('/auth/login', { email: 'someone@example.com', password: 'wrong' })).status).toBe(401);
    const left = await db.pool.query(`select key from optischema.sign_in_attempts where key = 'email:old@example.com'`);
    expect(left.rows).toEqual([]);
  });
});

describe('sign-in state privileges', () => {
  it('are the sidecar\'s alone: neither PUBLIC nor the API roles may touch them', async () => {
    // pg_database_owner holds no grant of its own here: what it may do, PUBLIC may.
    const { rows } = await db.pool.query(
      `select r.rolname,
              has_function_privilege(r.oid, 'optischema.reserve_sign_in_attempt(text[], int[], interval, timestamptz)', 'execute') as reserve,
              has_table_privilege(r.oid, 'optischema.sign_in_attempts', 'select, insert, update, delete') as attempts,
              has_table_privilege(r.oid, 'optischema.oidc_pending_logins', 'select, insert, update, delete') as pending
       from pg_roles r where r.rolname in ('optischema_api', 'optischema_viewer', 'optischema_admin', 'pg_database_owner')
       order by r.rolname`,
    );
    expect(rows.map((r) => [r.rolname, r.reserve, r.attempts, r.pending])).toEqual([
      ['optischema_admin', false, false, false],
      ['optischema_api', false, false, false],
      ['optischema_viewer', false, false, false],
      ['pg_database_owner', false, false, false],
    ]);
    const acl = await db.pool.query(`select proconfig from pg_proc where oid = 'optischema.reserve_sign_in_attempt'::regproc`);
    expect(acl.rows[0].proconfig).toEqual(['search_path=pg_catalog, pg_temp']);
  });
});

describe('refresh and logout', () => {
  it('rotates the refresh token on every refresh', async () => {
    const { user } = await seedMember(db.pool);
    const { post } = await start();
    const first = await (await post('/auth/login', { email: user.email, password: PASSWORD })).json();
    const refreshed = await post('/auth/refresh', { refreshToken: first.refreshToken });
    expect(refreshed.status).toBe(200);
    const second = await refreshed.json();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).toEqual(expect.any(String));
    const third = await post('/auth/refresh', { refreshToken: second.refreshToken });
    expect(third.status).toBe(200);
    expect(await auditOf(user.email)).toMatchObject([
      { action: 'sign_in', result: 'ok' },
      { action: 'refresh', result: 'ok' },
      { action: 'refresh', result: 'ok' },
    ]);
  });

  it('revokes every token of the user when a rotated token is presented again', async () => {
    const { user } = await seedMember(db.pool);
    const { post } = await start();
    const login = await (await post('/auth/login', { email: user.email, password: PASSWORD })).json();
    const otherDevice = await (await post('/auth/login', { email: user.email, password: PASSWORD })).json();
    const rotated = await (await post('/auth/refresh', { refreshToken: login.refreshToken })).json();

    const reuse = await post('/auth/refresh', { refreshToken: login.refreshToken });
    expect(reuse.status).toBe(401);
    expect((await reuse.json()).error).toMatch(/already used/);
    // Both the thief's and the owner's current tokens are dead now.
    expect((await post('/auth/refresh', { refreshToken: rotated.refreshToken })).status).toBe(401);
    expect((await post('/auth/refresh', { refreshToken: otherDevice.refreshToken })).status).toBe(401);
    const { rows } = await db.pool.query(
      `select count(*)::int as live from optischema.refresh_tokens where user_id = $1 and revoked_at is null`,
      [user.id],
    );
    expect(rows[0].live).toBe(0);
    expect((await auditRows(db.pool)).filter((r) => r.actor_user_id === user.id && r.action === 'refresh' && r.result === 'denied')[0])
      .toMatchObject({ details: { reason: expect.stringMatching(/reused/) } });
  });

  it('refuses to refresh for a member who was removed', async () => {
    const { user } = await seedMember(db.pool);
    const { post } = await start();
    const login = await (await post('/auth/login', { email: user.email, password: PASSWORD })).json();
    await db.pool.query(`delete from optischema.memberships where user_id = $1`, [user.id]);
    expect((await post('/auth/refresh', { refreshToken: login.refreshToken })).status).toBe(403);
  });

  it('logout revokes the refresh token', async () => {
    const { user } = await seedMember(db.pool);
    const { post } = await start();
    const login = await (await post('/auth/login', { email: user.email, password: PASSWORD })).json();
    expect((await post('/auth/logout', { refreshToken: login.refreshToken })).status).toBe(204);
    expect((await post('/auth/refresh', { refreshToken: login.refreshToken })).status).toBe(401);
    expect((await auditRows(db.pool)).filter((r) => r.actor_user_id === user.id).map((r) => [r.action, r.result])).toContainEqual([
      'sign_out',
      'ok',
    ]);
  });

  it('refuses an unknown refresh token', async () => {
    const { post } = await start();
    const response = await post('/auth/refresh', { refreshToken: 'osr_made-up' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'the refresh token is not valid; sign in again' });
  });
});

describe('request handling', () => {
  it('answers 400 with one message for bad JSON and for invalid fields', async () => {
    const { url, post } = await start();
    const bad = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'the body is not valid JSON' });
    const invalid = await post('/auth/login', { email: 'not-an-email', password: 'x' });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({ error: 'email: email must be an email address' });
    const missing = await post('/auth/login', { email: 'a@example.com' });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toMatch(/^password: /);
  });

  it('answers 413 for an oversized body', async () => {
    const { post } = await start();
    const response = await post('/auth/login', { email: 'a@example.com', password: 'x'.repeat(20_000) });
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatch(/larger than/);
  });

  it('answers 413 for an oversized chunked body without Content-Length', async () => {
    const { url } = await start();
    const big = new TextEncoder().encode(JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(20_000) }));
    const body = new ReadableStream({ start: (c) => (c.enqueue(big), c.close()) });
    const response = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
  });

  it('answers 404 for OIDC when it is not configured, 404 for unknown routes, 405 for wrong methods', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/auth/oidc/login`, { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${url}/auth/nothing`)).status).toBe(404);
    expect((await fetch(`${url}/auth/login`)).status).toBe(405);
  });

  it('trusts X-Forwarded-For only when told to', async () => {
    const { user } = await seedMember(db.pool);
    const send = (post: string) =>
      fetch(`${post}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9, 198.51.100.7' },
        body: JSON.stringify({ email: user.email, password: 'wrong' }),
      });
    await send((await start()).url);
    await server!.close();
    await send((await start({ trustProxy: true })).url);
    expect((await auditOf(user.email)).map((r) => r.client_address)).toEqual(['127.0.0.1', '198.51.100.7']);
  });
});
