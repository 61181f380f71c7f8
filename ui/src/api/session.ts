/**
 * The signed-in session of a deployment with sign-in (`optischema start --auth`). The access token
 * lives in sessionStorage: gone when the tab closes, never in a cookie the API would trust blindly.
 */
const TOKEN = 'optischema.accessToken';

export function accessToken(): string | null {
  return sessionStorage.getItem(TOKEN);
}

export function authHeaders(): Record<string, string> {
  const token = accessToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

export async function signIn(email: string, password: string, tenant: string): Promise<void> {
  const response = await fetch('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, ...(tenant ? { tenant } : {}) }),
  });
  const body = (await response.json().catch(() => ({}))) as { accessToken?: string; error?: string };
  if (!response.ok || !body.accessToken) throw new Error(body.error ?? `sign-in failed (${response.status})`);
  sessionStorage.setItem(TOKEN, body.accessToken);
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN);
}

/**
 * The outcome of a single sign-on, which the server hands back in the URL's fragment
 * (`#sso=TOKEN` or `#sso-error=MESSAGE`): kept (the token) or returned (the refusal), and removed
 * from the address bar and the history at once.
 */
export function takeSingleSignOnResult(): string | null {
  const hash = window.location.hash;
  const match = /^#sso(-error)?=(.*)$/.exec(hash);
  if (!match) return null;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  const value = decodeURIComponent(match[2]!);
  if (match[1]) return value;
  sessionStorage.setItem(TOKEN, value);
  return null;
}

/** Which ways of signing in the server offers. */
export async function signInMethods(): Promise<{ password: boolean; oidc: boolean }> {
  const response = await fetch('/auth/methods');
  if (!response.ok) return { password: true, oidc: false };
  return (await response.json()) as { password: boolean; oidc: boolean };
}
