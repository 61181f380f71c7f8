import type { AppRole } from '../../app/session-context.tsx';

/** The roles a member or an API key can have, least first, with what each may do (migration 0003). */
export const ROLES: readonly { role: AppRole; label: string; can: string }[] = [
  { role: 'viewer', label: 'viewer', can: 'reads statistics, recommendations and changes' },
  { role: 'analyst', label: 'analyst', can: 'also validates and dismisses recommendations, tests connections' },
  { role: 'admin', label: 'admin', can: 'also applies and rolls back, manages databases, members and keys' },
];

export const ROLE_NAMES = ['viewer', 'analyst', 'admin'] as const;
