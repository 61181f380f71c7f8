import { useEffect, useState, type FormEvent } from 'react';
import { signIn, signInMethods } from '../api/session.ts';

/** Password sign-in, and single sign-on when the server has an OIDC provider. */
export function SignIn({ onSignedIn, refusal = null }: { onSignedIn: () => void; refusal?: string | null }) {
  const [error, setError] = useState<string | null>(refusal);
  const [busy, setBusy] = useState(false);
  const [oidc, setOidc] = useState(false);
  const [tenant, setTenant] = useState('');
  useEffect(() => {
    void signInMethods().then((m) => setOidc(m.oidc), () => setOidc(false));
  }, []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get('email')), String(form.get('password')), String(form.get('tenant') ?? ''));
      onSignedIn();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">Sign in</h2>
      <form onSubmit={submit} className="sign-in">
        <label>
          Email <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <label>
          Team (only if you belong to several) <input name="tenant" type="text" value={tenant} onChange={(e) => setTenant(e.target.value)} />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {oidc && (
          <a className="button" href={`/auth/oidc/login${tenant ? `?tenant=${encodeURIComponent(tenant)}` : ''}`}>
            Sign in with single sign-on
          </a>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
