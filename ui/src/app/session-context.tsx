import { createContext, useContext } from 'react';
import type { StartStatus } from '../api/status.ts';

export type AppRole = 'viewer' | 'analyst' | 'admin';

export interface Session {
  role: AppRole;
  email: string | null;
  tenantName: string | null;
  /** The server's /api/status, read again every few seconds (the loop's progress). */
  status: StartStatus;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in app');
  return session;
}

const RANK: Record<AppRole, number> = { viewer: 0, analyst: 1, admin: 2 };

/**
 * What a role may ask for, as the database decides it (require_role in the API functions): the
 * page hides what the role cannot do, and the API refuses it anyway.
 */
export function can(role: AppRole, needed: AppRole): boolean {
  return RANK[role] >= RANK[needed];
}

/** The least role each action needs (migrations 0003, 0014, 0015). */
export const ACTION_ROLE = {
  validate: 'analyst',
  dismiss: 'analyst',
  apply: 'admin',
  schedule: 'admin',
  rollback: 'admin',
  forceApply: 'admin',
  editPolicy: 'admin',
  manageMembers: 'admin',
  manageTargets: 'admin',
} as const satisfies Record<string, AppRole>;
