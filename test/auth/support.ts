import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { createAuth, type AuthOptions } from '../../sidecar/auth/create-auth.ts';
import type { AppRole } from '../../sidecar/auth/identity.ts';
import { addMembership, createTenant, createUser } from '../../sidecar/auth/users.ts';
import { startHttpServer } from '../../sidecar/server/http-server.ts';

export const PASSWORD = 'correct horse battery staple';

/** A tenant and a user with a password who belongs to it. */
export async function seedMember(db: pg.Pool, options: { slug?: string; email?: string; role?: AppRole; password?: string | null } = {}) {
  const slug = options.slug ?? `t-${randomBytes(3).toString('hex')}`;
  const tenant = await createTenant(db, { name: slug, slug });
  const user = await createUser(db, {
    email: options.email ?? `${randomBytes(4).toString('hex')}@example.com`,
    password: options.password === undefined ? PASSWORD : options.password,
  });
  await addMembership(db, { userId: user.id, tenantId: tenant.id, role: options.role ?? 'analyst' });
  return { tenant, user };
}

/** The auth routes on a real HTTP server on 127.0.0.1, as the sidecar will serve them. */
export async function startAuthServer(options: Omit<AuthOptions, 'accessKey'> & { accessKey?: Uint8Array; port?: number }) {
  const accessKey = options.accessKey ?? new Uint8Array(randomBytes(32));
  const auth = createAuth({ ...options, accessKey });
  const server = await startHttpServer({ host: '127.0.0.1', port: options.port ?? 0, uiDir: '/nonexistent', api: {}, mounts: [auth.mount] });
  const url = server.url.replace('localhost', '127.0.0.1');
  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { ...auth, accessKey, url, post, close: () => server.close() };
}

export interface AuditRow {
  tenant_id: string | null;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  result: string;
  client_address: string | null;
  details: Record<string, unknown>;
}

export async function auditRows(db: pg.Pool): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>(
    `select tenant_id, actor_user_id, actor_label, action, result, host(client_address) as client_address, details
     from optischema.audit_log order by id`,
  );
  return rows;
}

/** Runs SQL as an API role would: `role` and `optischema.tenant_id` set locally in a transaction. */
export async function asRole<T>(db: pg.Pool, identity: { role: AppRole; tenantId: string; userId?: string }, sql: string, params: unknown[]): Promise<T[]> {
  const client = await db.connect();
  try {
    await client.query('begin');
    await client.query(
      `select set_config('role', $1, true), set_config('optischema.tenant_id', $2, true), set_config('optischema.user_id', $3, true)`,
      [`optischema_${identity.role}`, identity.tenantId, identity.userId ?? ''],
    );
    const { rows } = await client.query(sql, params);
    await client.query('commit');
    return rows as T[];
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}
