import type { Queryable } from '../database/queryable.ts';

export interface AuditEntry {
  /** NULL for events outside a tenant, such as a failed sign-in for an unknown email. */
  tenantId: string | null;
  actorUserId?: string | null;
  actorApiKeyId?: string | null;
  /** The user's email or the API key's name, as known at the time. */
  actorLabel?: string;
  /** What was attempted: a mutation's name (`createTarget`) or `sign_in`, `refresh`, `sign_out`. */
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  result: 'ok' | 'denied' | 'error';
  clientAddress?: string | null;
  /** Never secrets: no passwords, tokens, keys or connection strings. */
  details?: Record<string, unknown>;
}

/**
 * Appends one entry to the audit log. Runs on the sidecar's own connection (not a request's), so
 * an entry survives the rollback of the action it records.
 */
export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query(
    `insert into optischema.audit_log
       (tenant_id, actor_user_id, actor_api_key_id, actor_label, action, object_type, object_id, result, client_address, details)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::inet, $10)`,
    [
      entry.tenantId,
      entry.actorUserId ?? null,
      entry.actorApiKeyId ?? null,
      entry.actorLabel ?? '',
      entry.action,
      entry.objectType ?? null,
      entry.objectId ?? null,
      entry.result,
      entry.clientAddress ?? null,
      JSON.stringify(entry.details ?? {}),
    ],
  );
}
