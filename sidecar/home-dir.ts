import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The install root: the folder that holds OptiSchema's package.json, found from this file's place. */
export const INSTALL_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Where OptiSchema keeps its local state: the generated secret and token keys, and the embedded
 * cluster (`pg/`, `pg.password`). `OPTISCHEMA_HOME` when set (resolved against the working
 * directory), else `.optischema/` in the install root. Never the working directory alone: starting
 * from another folder would silently make new keys, and the stored secrets sealed with the old key
 * could no longer be opened.
 *
 * @example
 * optischemaHome({}) // '/home/me/optischema/.optischema', from whichever folder it runs
 * optischemaHome({ OPTISCHEMA_HOME: '/var/lib/optischema' }) // '/var/lib/optischema'
 */
export function optischemaHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.OPTISCHEMA_HOME ? path.resolve(env.OPTISCHEMA_HOME) : path.join(INSTALL_ROOT, '.optischema');
}

/** The embedded cluster's default data directory (`--data-dir` and OPTISCHEMA_DATA_DIR override). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(optischemaHome(env), 'pg');
}
