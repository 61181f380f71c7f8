import { createHash, randomBytes } from 'node:crypto';

/**
 * Binds an OIDC login to the browser that started it. /auth/oidc/login sets a cookie holding 32
 * random bytes; the callback only completes with that cookie, so a callback URL (code and state)
 * that leaks through a log, a Referer or a shared screen signs nobody in elsewhere.
 *
 * The cookie is HttpOnly (no script reads it), SameSite=Lax (the provider sends the browser back
 * with a cross-site top-level GET, which Lax allows and Strict would not), Secure when the public
 * callback URL is https, and scoped to the callback's path, so no other route ever receives it.
 *
 * The database keeps only its sha256; the PKCE verifier and the ID token nonce are derived from it
 * too, so a copy of optischema.oidc_pending_logins cannot finish anyone's login.
 */
export const OIDC_COOKIE = 'optischema_oidc';

export interface BrowserBinding {
  /** The cookie's value (base64url). */
  value: string;
  /** What the database stores to recognise the browser. */
  hash: string;
  codeVerifier: string;
  nonce: string;
}

export function newBrowserBinding(): BrowserBinding {
  return bindingOf(randomBytes(32).toString('base64url'));
}

/** The binding a cookie value stands for. Each derived value has its own label, so none reveals another. */
export function bindingOf(value: string): BrowserBinding {
  const derive = (label: string) => createHash('sha256').update(`${label}:${value}`, 'utf8').digest('base64url');
  return { value, hash: sha256Hex(value), codeVerifier: derive('pkce-verifier'), nonce: derive('nonce') };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The Set-Cookie value that gives the browser its binding (or, with maxAgeSeconds 0, takes it away). */
export function bindingCookie(redirectUri: string, value: string, maxAgeSeconds: number): string {
  const callback = new URL(redirectUri);
  const attributes = [`${OIDC_COOKIE}=${value}`, `Path=${callback.pathname}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax'];
  if (callback.protocol === 'https:') attributes.push('Secure');
  return attributes.join('; ');
}

/** The binding cookie's value in a request's Cookie header, or null. */
export function bindingFromCookieHeader(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    const value = rest.join('=');
    // Only values this module could have set: anything else is no binding at all.
    if (name === OIDC_COOKIE && /^[A-Za-z0-9_-]{43}$/.test(value)) return value;
  }
  return null;
}
