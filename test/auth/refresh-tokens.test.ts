import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueRefreshToken, pruneRefreshTokens, rotateRefreshToken } from '../../sidecar/auth/refresh-tokens.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { seedMember } from './support.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
});
afterAll(() => db.close());

describe('refresh tokens', () => {
  it('stores only the sha256 of a token', async () => {
    const { tenant, user } = await seedMember(db.pool);
    const { token } = await issueRefreshToken(db.pool, { userId: user.id, tenantId: tenant.id });
    const { rows } = await db.pool.query(`select token_hash from optischema.refresh_tokens where user_id = $1`, [user.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
  });

  it('lets exactly one of two concurrent refreshes with the same token win', async () => {
    const { tenant, user } = await seedMember(db.pool);
    const { token } = await issueRefreshToken(db.pool, { userId: user.id, tenantId: tenant.id });
    const results = await Promise.all([rotateRefreshToken(db.pool, token), rotateRefreshToken(db.pool, token)]);
    expect(results.map((r) => r.kind).sort()).toEqual(['reused', 'rotated']);
  });

  it('reports expired tokens, and pruning deletes them but keeps revoked ones that have not expired', async () => {
    const { tenant, user } = await seedMember(db.pool);
    const owner = { userId: user.id, tenantId: tenant.id };
    const expired = await issueRefreshToken(db.pool, owner, -1);
    expect(await rotateRefreshToken(db.pool, expired.token)).toEqual({ kind: 'expired', ...owner });
    const live = await issueRefreshToken(db.pool, owner);
    const rotated = await rotateRefreshToken(db.pool, live.token);
    expect(rotated.kind).toBe('rotated');
    expect(await pruneRefreshTokens(db.pool)).toBeGreaterThanOrEqual(1);
    expect(await rotateRefreshToken(db.pool, expired.token)).toEqual({ kind: 'unknown' });
    // The rotated-away token is still known, so presenting it again is still caught as reuse.
    expect((await rotateRefreshToken(db.pool, live.token)).kind).toBe('reused');
  });
});
