import { recordAudit } from '../audit/record.ts';
import { AuthError } from './identity.ts';
import { verifyPassword } from './passwords.ts';
import { RateLimitedError, type LoginRateLimiter, type Reservation } from './rate-limit.ts';
import { revokeRefreshToken, rotateRefreshToken } from './refresh-tokens.ts';
import { sessionWith, startSession, type Session, type SessionSettings } from './sessions.ts';
import { currentMembership, findOidcUser, findUserByEmail, membershipsOf, type Membership, type OidcIdentity, type User } from './users.ts';

/**
 * The sign-in paths (password, refresh, OIDC) and sign-out. Each attempt, whatever its outcome,
 * leaves one audit row: action sign_in / refresh / sign_out, result ok or denied, and in details
 * the method and, for refusals, a reason for the admin that the client is not told (unknown email
 * versus wrong password). Never a password or token.
 */
export interface SignInSettings extends SessionSettings {
  limiter: LoginRateLimiter;
}

/** What is known about an attempt so far, filled in as it proceeds, for its audit row. */
interface Attempt {
  tenantId: string | null;
  userId: string | null;
  label: string;
  reason: string | null;
  details: Record<string, unknown>;
}

async function audited<T>(
  settings: SignInSettings,
  entry: { action: string; method: string; label: string; clientAddress: string | null },
  run: (attempt: Attempt) => Promise<T>,
): Promise<T> {
  const attempt: Attempt = { tenantId: null, userId: null, label: entry.label, reason: null, details: {} };
  const write = (result: 'ok' | 'denied' | 'error', reason: string | null) =>
    recordAudit(settings.db, {
      tenantId: attempt.tenantId,
      actorUserId: attempt.userId,
      actorLabel: attempt.label,
      action: entry.action,
      objectType: 'user',
      objectId: attempt.userId,
      result,
      clientAddress: entry.clientAddress,
      details: { method: entry.method, ...attempt.details, ...(reason ? { reason } : {}) },
    });
  let value: T;
  try {
    value = await run(attempt);
  } catch (error) {
    const denied = error instanceof AuthError;
    await write(denied ? 'denied' : 'error', attempt.reason ?? (denied ? error.message : 'internal error')).catch((auditError: unknown) => {
      throw new Error('could not record a failed sign-in in the audit log', { cause: auditError });
    });
    throw error;
  }
  await write('ok', null);
  return value;
}

/**
 * The membership a sign-in lands in: the one named by slug, or the only one. Several memberships
 * and no slug is a 400 that lists them (the password was right, so the list is no leak).
 */
export function chooseMembership(memberships: Membership[], slug: string | undefined): Membership {
  if (slug !== undefined) {
    const chosen = memberships.find((m) => m.tenantSlug === slug);
    if (!chosen) throw new AuthError(`you are not a member of the tenant "${slug}"`, 403);
    return chosen;
  }
  const [only, ...others] = memberships;
  if (!only) throw new AuthError('you are not a member of any tenant; ask an admin to add you', 403);
  if (others.length > 0) {
    throw new AuthError(`you belong to several tenants; choose one with "tenant": ${memberships.map((m) => m.tenantSlug).join(', ')}`, 400);
  }
  return only;
}

async function sessionFor(settings: SignInSettings, attempt: Attempt, user: User, tenantSlug: string | undefined): Promise<Session> {
  attempt.userId = user.id;
  attempt.label = user.email;
  if (user.disabled) {
    attempt.reason = 'account disabled';
    throw new AuthError('this account is disabled', 403);
  }
  const membership = chooseMembership(await membershipsOf(settings.db, user.id), tenantSlug);
  attempt.tenantId = membership.tenantId;
  return startSession(settings, { userId: user.id, ...membership });
}

export async function signInWithPassword(
  settings: SignInSettings,
  request: { email: string; password: string; tenant?: string; clientAddress: string | null },
): Promise<Session> {
  return audited(settings, { action: 'sign_in', method: 'password', label: request.email, clientAddress: request.clientAddress }, async (attempt) => {
    // Reserved before the hash is checked: parallel guesses each take a slot, so at most the limit run.
    let reservation: Reservation;
    try {
      reservation = await settings.limiter.reserve(request);
    } catch (error) {
      if (error instanceof RateLimitedError) attempt.reason = 'rate limited';
      throw error;
    }
    const user = await findUserByEmail(settings.db, request.email);
    // Runs argon2 even for an unknown email, so timing does not reveal which emails have accounts.
    if (!(await verifyPassword(user?.passwordHash ?? null, request.password))) {
      attempt.reason = !user ? 'unknown email' : user.passwordHash ? 'wrong password' : 'no password (OIDC only)';
      if (user) attempt.userId = user.id;
      throw new AuthError('wrong email or password');
    }
    await settings.limiter.succeeded(reservation);
    return sessionFor(settings, attempt, user!, request.tenant);
  });
}

export async function signInWithOidc(
  settings: SignInSettings,
  request: { oidc: OidcIdentity; tenant?: string; clientAddress: string | null },
): Promise<Session> {
  const label = request.oidc.email ?? request.oidc.subject;
  return audited(settings, { action: 'sign_in', method: 'oidc', label, clientAddress: request.clientAddress }, async (attempt) => {
    attempt.details = { issuer: request.oidc.issuer, subject: request.oidc.subject };
    const found = await findOidcUser(settings.db, request.oidc);
    if (!found) {
      attempt.reason = 'no matching user';
      throw new AuthError(`there is no OptiSchema account for ${label}; ask an admin to invite that email`, 403);
    }
    if (found.linked) attempt.details.linked = true;
    return sessionFor(settings, attempt, found.user, request.tenant);
  });
}

/** Trades a refresh token for a new pair. The membership and account are checked again, as on every request. */
export async function refreshSession(settings: SignInSettings, request: { refreshToken: string; clientAddress: string | null }): Promise<Session> {
  return audited(settings, { action: 'refresh', method: 'refresh_token', label: '', clientAddress: request.clientAddress }, async (attempt) => {
    const rotation = await rotateRefreshToken(settings.db, request.refreshToken, settings.refreshTtlSeconds);
    if (rotation.kind === 'unknown') throw new AuthError('the refresh token is not valid; sign in again');
    attempt.userId = rotation.userId;
    attempt.tenantId = rotation.tenantId;
    if (rotation.kind === 'expired') throw new AuthError('the refresh token has expired; sign in again');
    if (rotation.kind === 'reused') {
      attempt.reason = 'refresh token reused: every session of the user revoked';
      throw new AuthError('this refresh token was already used, so every session of this account has been signed out; sign in again');
    }
    const member = await currentMembership(settings.db, rotation.userId, rotation.tenantId);
    if (member) attempt.label = member.email;
    if (!member || member.disabled) {
      await revokeRefreshToken(settings.db, rotation.token);
      throw new AuthError(member ? 'this account is disabled' : 'you are no longer a member of this tenant', 403);
    }
    const who = { userId: rotation.userId, tenantId: rotation.tenantId, tenantSlug: member.tenantSlug, role: member.role };
    return sessionWith(settings, who, rotation.token);
  });
}

/** Revokes the refresh token. Succeeds even for an unknown token, so sign-out is safe to repeat. */
export async function signOut(settings: SignInSettings, request: { refreshToken: string; clientAddress: string | null }): Promise<void> {
  await audited(settings, { action: 'sign_out', method: 'refresh_token', label: '', clientAddress: request.clientAddress }, async (attempt) => {
    const owner = await revokeRefreshToken(settings.db, request.refreshToken);
    attempt.userId = owner?.userId ?? null;
    attempt.tenantId = owner?.tenantId ?? null;
    attempt.details = { revoked: owner !== null };
  });
}

/** A provider redirect that failed verification (bad state, refused, forged): audited like any failed sign-in. */
export async function recordFailedOidcCallback(settings: SignInSettings, failure: { reason: string; clientAddress: string | null }): Promise<void> {
  await recordAudit(settings.db, {
    tenantId: null,
    action: 'sign_in',
    result: 'denied',
    clientAddress: failure.clientAddress,
    details: { method: 'oidc', reason: failure.reason },
  });
}
