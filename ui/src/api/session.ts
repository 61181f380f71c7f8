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
