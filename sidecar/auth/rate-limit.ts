import type { Queryable } from '../database/queryable.ts';
import { AuthError } from './identity.ts';

/**
 * Sign-in attempts, counted per email and per client address in a sliding window, in PostgreSQL
 * (optischema.sign_in_attempts, migration 0012) so every sidecar on the database shares one count.
 *
 * An attempt is reserved before the password is checked (reserve_sign_in_attempt locks and counts
 * in one call), so parallel attempts cannot all pass a check that only counts finished ones. A
 * failed attempt keeps its reservation; a successful one clears the email's attempts and gives the
 * address its slot back (policy: one good account must not unlock guessing at others, and one
 * person signing in often from an office address is no attack).
 */
export interface RateLimitOptions {
  /** Attempts allowed per email within the window (default 5). */
  perEmail?: number;
  /** Attempts allowed per client address within the window (default 20: offices share addresses). */
  perAddress?: number;
  windowMs?: number;
  /** The clock, for tests that move it; by default the database's, which all sidecars share. */
  now?: () => number;
}

/** Too many sign-in attempts: answer 429 with Retry-After. */
export class RateLimitedError extends AuthError {
  override name = 'RateLimitedError';
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(`too many failed sign-ins; try again in ${retryAfterSeconds} seconds`, 429);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** One reserved attempt: settle it with succeeded() when the password was right. */
export interface Reservation {
  emailKey: string;
  addressKey: string | null;
  /** The database's text form of the attempt's time: a JS Date would lose its microseconds. */
  reservedAt: string;
}

export class LoginRateLimiter {
  readonly #db: Queryable;
  readonly #perEmail: number;
  readonly #perAddress: number;
  readonly #windowMs: number;
  readonly #now: (() => number) | undefined;

  constructor(db: Queryable, options: RateLimitOptions = {}) {
    this.#db = db;
    this.#perEmail = options.perEmail ?? 5;
    this.#perAddress = options.perAddress ?? 20;
    this.#windowMs = options.windowMs ?? 15 * 60_000;
    this.#now = options.now;
  }

  /** Counts this attempt against the email and the address, or throws RateLimitedError when either is used up. */
  async reserve(attempt: { email: string; clientAddress: string | null }): Promise<Reservation> {
    const emailKey = `email:${attempt.email.toLowerCase()}`;
    const addressKey = attempt.clientAddress ? `address:${attempt.clientAddress}` : null;
    const keys = addressKey ? [emailKey, addressKey] : [emailKey];
    const limits = addressKey ? [this.#perEmail, this.#perAddress] : [this.#perEmail];
    const { rows } = await this.#db.query<{ reserved_at: string | null; retry_after_seconds: number }>(
      `select reserved_at::text, retry_after_seconds
       from optischema.reserve_sign_in_attempt($1::text[], $2::int[], $3 * interval '1 millisecond', $4::timestamptz)`,
      [keys, limits, this.#windowMs, this.#now ? new Date(this.#now()) : null],
    );
    const [row] = rows;
    if (!row?.reserved_at) throw new RateLimitedError(row?.retry_after_seconds ?? Math.ceil(this.#windowMs / 1000));
    return { emailKey, addressKey, reservedAt: row.reserved_at };
  }

  /** The password was right: the email starts afresh and the address gets this attempt back. */
  async succeeded(reservation: Reservation): Promise<void> {
    await this.#db.query(
      `with cleared as (delete from optischema.sign_in_attempts where key = $1)
       update optischema.sign_in_attempts set attempts = array_remove(attempts, $3::timestamptz) where key = $2`,
      [reservation.emailKey, reservation.addressKey, reservation.reservedAt],
    );
  }
}
