import { Link, Outlet } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { signOut, accessToken, takeSingleSignOnResult } from '../api/session.ts';
import { useStatus } from '../api/status.ts';
import { SignIn } from '../components/SignIn.tsx';
import { graphql } from '../graphql/graphql.ts';
import { SessionContext, type AppRole, type Session } from './session-context.tsx';
import { ThemeToggle } from './ThemeToggle.tsx';

const WhoAmI = graphql(`
  query WhoAmI {
    whoami {
      email
      role
      tenantName
    }
  }
`);

const PAGES = [
  { to: '/', label: 'Overview' },
  { to: '/recommendations', label: 'Recommendations' },
  { to: '/changes', label: 'Applied changes' },
  { to: '/audit', label: 'Audit log' },
  { to: '/settings', label: 'Settings' },
  { to: '/setup', label: 'Set-up' },
] as const;

/**
 * Every page's frame: the navigation, the theme, and the session. With sign-in on and no
 * session, only the sign-in form is shown; the pages read the role from the context.
 */
// Read once, before the first request: a token arriving from single sign-on is the session.
const singleSignOnRefusal = takeSingleSignOnResult();

export function Layout() {
  const [status, reload] = useStatus();
  const [who, reexecute] = useQuery({ query: WhoAmI, pause: status.state !== 'ready' });
  const session = useMemo<Session | null>(() => {
    if (status.state !== 'ready' || !who.data?.whoami) return null;
    const w = who.data.whoami;
    return { role: (w.role ?? 'viewer') as AppRole, email: w.email ?? null, tenantName: w.tenantName ?? null, status: status.data };
  }, [status, who.data]);
  return (
    <>
      <a className="skip-link" href="#content">Skip to content</a>
      <header className="app-header">
        <Link to="/" className="brand">OptiSchema</Link>
        {session && (
          <nav aria-label="Pages">
            <ul>
              {PAGES.map((p) => (
                <li key={p.to}>
                  <Link to={p.to} activeOptions={{ exact: p.to === '/' }} activeProps={{ 'aria-current': 'page' }}>
                    {p.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div className="tools">
          {session && (
            <span data-testid="session">
              {session.email ?? 'local'} · {session.role}
            </span>
          )}
          {accessToken() && (
            <button type="button" onClick={() => { signOut(); reload(); }}>Sign out</button>
          )}
          <ThemeToggle />
        </div>
      </header>
      <main id="content">
        {status.state === 'loading' && <p role="status">Connecting…</p>}
        {status.state === 'sign-in' && <SignIn refusal={singleSignOnRefusal} onSignedIn={() => { reload(); reexecute({ requestPolicy: 'network-only' }); }} />}
        {status.state === 'failed' && (
          <p role="alert" className="error">
            Could not reach the OptiSchema server: {status.error}
          </p>
        )}
        {status.state === 'ready' && who.error && !who.data && (
          <p role="alert" className="error">Could not read your session: {who.error.message}</p>
        )}
        {session && (
          <SessionContext.Provider value={session}>
            <Outlet />
          </SessionContext.Provider>
        )}
      </main>
    </>
  );
}
