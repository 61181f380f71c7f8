import type { ReactNode } from 'react';
import { can, type AppRole } from '../../app/session-context.tsx';

/** Its children for admins; for other roles, a line saying what needs the admin role. */
export function AdminOnly({ role, what, children }: { role: AppRole; what: string; children: ReactNode }) {
  if (can(role, 'admin')) return <>{children}</>;
  return (
    <p data-testid="needs-admin">
      {what} needs the admin role; you are signed in as {role}.
    </p>
  );
}
