import type pg from 'pg';
import { inTransaction } from '../database/transaction.ts';

/**
 * Runs `action` on the sidecar's own connection inside a transaction scoped to one tenant. The tenant
 * tables FORCE row-level security, so an owner that is not a superuser sees (and may write) a tenant's
 * rows only with optischema.tenant_id set; a superuser is unaffected. Either way every statement here
 * also names the tenant itself.
 */
export function withSystemTenant<T>(systemPool: pg.Pool, tenantId: string | null, action: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(systemPool, { 'optischema.tenant_id': tenantId ?? '' }, action);
}
