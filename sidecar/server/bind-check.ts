import net from 'node:net';
import { UserError } from '../errors.ts';

/** Whether an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}

/**
 * Slim mode answers every request as the local admin, so it may only listen where nobody else can
 * connect. Checked before anything starts, so a refused start leaves nothing running.
 */
export function checkBind(host: string, signIn: boolean): void {
  if (!signIn && !isLoopback(host)) {
    throw new UserError(
      `refusing to listen on ${host} without sign-in: slim mode lets anyone who can connect act as admin; ` +
        'listen on 127.0.0.1 (the default) or start with --auth',
    );
  }
}
