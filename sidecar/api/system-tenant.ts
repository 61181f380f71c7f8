import type pg from 'pg';

/**
 * Runs `action` on the sidecar's own connection inside a transaction scoped to one tenant. The tenant
 * tables FORCE row-level security, so an owner that is not a superuser sees (and may write) a tenant's
 * rows only with optischema.tenant_id set; a superuser is unaffected. Either way every statement here
 * also names the tenant itself.
 */
export async function withSystemTenant<T>(systemPool: pg.Pool, tenantId: string | null, action: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await systemPool.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('optischema.tenant_id', $1, true)`, [tenantId ?? '']);
    const result = await action(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
