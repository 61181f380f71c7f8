import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.ts';

export interface OsUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** The OS user that runs the embedded server when OptiSchema itself runs as root. */
export function serverOsUserName(env: NodeJS.ProcessEnv = process.env): string {
  return env.OPTISCHEMA_PG_OS_USER || 'postgres';
}

export function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * Who the PostgreSQL server runs as: `null` means "the current user". PostgreSQL refuses to run as
 * root, so as root the server runs as the `postgres` OS user (the one Debian's packages create).
 */
export async function serverOsUser(env: NodeJS.ProcessEnv = process.env): Promise<OsUser | null> {
  if (!runningAsRoot()) return null;
  const name = serverOsUserName(env);
  const user = await lookupOsUser(name);
  if (!user) {
    throw new UserError(
      `OptiSchema runs as root, and PostgreSQL refuses root, so it runs the embedded server as the OS user ` +
        `"${name}", which does not exist; create it (adduser --system --group ${name}) or run OptiSchema as a regular user`,
    );
  }
  return user;
}

export async function lookupOsUser(name: string): Promise<OsUser | null> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid, , home] = line.split(':');
    if (user === name && uid && gid) return { name, uid: Number(uid), gid: Number(gid), home: home || '/' };
  }
  return null;
}
