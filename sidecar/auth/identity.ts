/**
 * Who is asking, as the sidecar verified it. Glossary:
 * - tenant: a team sharing OptiSchema; every tenant-owned row carries its tenant_id.
 * - role: what the identity may do in that tenant (viewer < analyst < admin), enforced by PostgreSQL
 *   through the matching database role (optischema_viewer, …) and row-level security.
 * - actor: a signed-in user (userId) or an API key (apiKeyId); exactly one is set.
 */
export type AppRole = 'viewer' | 'analyst' | 'admin';

export const APP_ROLES: readonly AppRole[] = ['viewer', 'analyst', 'admin'];

export interface Identity {
  tenantId: string;
  role: AppRole;
  userId: string | null;
  apiKeyId: string | null;
  /** For the audit log and messages: the user's email or the API key's name. */
  label: string;
}

/** A request could not be authenticated. `status` is the HTTP status to answer with (401, 403 or 429). */
export class AuthError extends Error {
  override name = 'AuthError';
  readonly status: number;
  constructor(message: string, status = 401) {
    super(message);
    this.status = status;
  }
}

/**
 * Turns a request's credentials into an Identity, or throws AuthError. The API (HTTP and WebSocket)
 * calls it for every operation; in slim mode it answers the one local admin without credentials.
 */
export interface Authenticator {
  authenticate(request: { headers: Record<string, string | string[] | undefined>; clientAddress: string | null }): Promise<Identity>;
}

/** The database settings PostGraphile applies (transaction-local) for an identity. */
export function pgSettingsFor(identity: Identity): Record<string, string> {
  return {
    role: `optischema_${identity.role}`,
    'optischema.tenant_id': identity.tenantId,
    'optischema.user_id': identity.userId ?? '',
    'optischema.api_key_id': identity.apiKeyId ?? '',
  };
}
