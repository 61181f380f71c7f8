import { AuthError } from './identity.ts';

/**
 * Failed sign-ins, counted per client address and per email in a sliding window. The counts live in
 * this sidecar process's memory: they reset on restart and are not shared between sidecars, which
 * is enough to make online password guessing slow for one OptiSchema server.
 */
export interface RateLimitOptions {
  /** Failures allowed per email within the window (default 5). */
  perEmail?: number;
  /** Failures allowed per client address within the window (default 20: offices share addresses). */
  perAddress?: number;
  windowMs?: number;
  now?: () => number;
}

/** Too many failed sign-ins: answer 429 with Retry-After. */
export class RateLimitedError extends AuthError {
  override name = 'RateLimitedError';
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(`too many failed sign-ins; try again in ${retryAfterSeconds} seconds`, 429);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

// Beyond this many keys, expired entries are swept so a flood of distinct emails cannot grow memory without bound.
const SWEEP_ABOVE = 10_000;

export class LoginRateLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #perEmail: number;
  readonly #perAddress: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(options: RateLimitOptions = {}) {
    this.#perEmail = options.perEmail ?? 5;
    this.#perAddress = options.perAddress ?? 20;
    this.#windowMs = options.windowMs ?? 15 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** Throws RateLimitedError when either the address or the email has used up its failures. */
  check(attempt: { email: string; clientAddress: string | null }): void {
    const waits = [
      this.#wait(emailKey(attempt.email), this.#perEmail),
      attempt.clientAddress ? this.#wait(addressKey(attempt.clientAddress), this.#perAddress) : 0,
    ];
    const wait = Math.max(...waits);
    if (wait > 0) throw new RateLimitedError(Math.ceil(wait / 1000));
  }

  recordFailure(attempt: { email: string; clientAddress: string | null }): void {
    this.#record(emailKey(attempt.email));
    if (attempt.clientAddress) this.#record(addressKey(attempt.clientAddress));
  }

  /** A successful sign-in clears the email's failures (not the address's: one good account must not unlock guessing at others). */
  recordSuccess(attempt: { email: string }): void {
    this.#failures.delete(emailKey(attempt.email));
  }

  #recent(key: string): number[] {
    const since = this.#now() - this.#windowMs;
    const recent = (this.#failures.get(key) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, recent);
    return recent;
  }

  /** Milliseconds until the key may try again; 0 when it may now. */
  #wait(key: string, limit: number): number {
    const recent = this.#recent(key);
    if (recent.length < limit) return 0;
    return recent[recent.length - limit]! + this.#windowMs - this.#now();
  }

  #record(key: string): void {
    if (this.#failures.size > SWEEP_ABOVE) for (const k of [...this.#failures.keys()]) this.#recent(k);
    this.#failures.set(key, [...this.#recent(key), this.#now()]);
  }
}

const emailKey = (email: string) => `email:${email.toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;
