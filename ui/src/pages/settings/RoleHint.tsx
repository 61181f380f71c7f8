import { ROLES } from './roles.ts';

/** What each role may do, beside a role choice (the options themselves stay short). */
export function RoleHint() {
  return (
    <ul className="muted role-hint">
      {ROLES.map((r) => (
        <li key={r.role}>
          <strong>{r.label}</strong>: {r.can}
        </li>
      ))}
    </ul>
  );
}
