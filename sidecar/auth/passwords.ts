import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/**
 * Local account passwords, hashed with argon2id (the @node-rs/argon2 default: 19 MiB, 2 passes,
 * 1 lane, OWASP's recommended minimum). Hashes are PHC strings, so the parameters travel with each
 * hash and can be raised later without invalidating old ones.
 */
export const MIN_PASSWORD_LENGTH = 8;

/** Hashes a new password for optischema.users.password_hash. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verifying against this when there is no real hash costs the same time as a real verification, so
// the answer time does not tell an attacker which emails have accounts. Created once, lazily.
let dummyHash: Promise<string> | null = null;

/**
 * True when `password` matches `storedHash`. With no stored hash (unknown email, OIDC-only user)
 * it still runs one full argon2 verification and answers false.
 *
 * @example await verifyPassword(user?.passwordHash ?? null, body.password)
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    dummyHash ??= hash(randomBytes(16).toString('hex'));
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  // A malformed stored hash is a failed verification, not a crash of the sign-in route.
  return verify(storedHash, password).catch(() => false);
}
