import { defaultProvider } from '../ai/ai-settings.ts';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { Logger } from 'graphile-worker';
import { createApiMount } from '../api/mount.ts';
import { slimAuthenticator } from '../auth/authenticator.ts';
import { createAuth } from '../auth/create-auth.ts';
import type { Authenticator } from '../auth/identity.ts';
import { oidcConfigFromEnv } from '../auth/oidc.ts';
import { apiDatabaseUrl } from '../database/api-role.ts';
import { loadKey, SECRET_KEY, TOKEN_KEY } from '../secrets/key-files.ts';
import { SecretBox } from '../secrets/secret-box.ts';
import { SecretRefAllowlist } from '../secrets/secret-ref-allowlist.ts';
import { ensureLocalAdmin } from '../tenancy/local-admin.ts';
import { openPool } from '../database/connection.ts';
import { makeTargetResolver } from '../worker/resolve-target.ts';
import { startWorker } from '../worker/start-worker.ts';
import { startHttpServer, type Mount, type RunningServer } from './http-server.ts';
import { startStatus } from './start-status.ts';

const UI_DIR = fileURLToPath(new URL('../../ui/dist/', import.meta.url));

export interface AppServerOptions {
  /** The sidecar's own pool on OptiSchema's database (bypasses RLS). */
  pool: pg.Pool;
  url: string;
  embedded: boolean;
  host: string;
  port: number;
  /** Accounts, tokens and API keys; without it, slim mode answers every request as the local admin. */
  signIn: boolean;
  /** Ruru (GraphiQL) at /graphiql. */
  dev: boolean;
  /** Run the collection schedule (graphile-worker) in this process. */
  worker: boolean;
  /** The jobs' log (sidecar/logging/logger.ts); default graphile-worker's console logger. */
  logger?: Logger;
}

const WORKER_CONCURRENCY = 4;

/** OPTISCHEMA_ALLOWED_ORIGINS: comma-separated origins (a separate front end) that may open the API's socket. */
function allowedOriginsFromEnv(): string[] {
  return (process.env.OPTISCHEMA_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean)
    .map((origin) => new URL(origin).origin);
}

/**
 * Everything the sidecar runs: on one port the web app, /api/status, the GraphQL API at /graphql
 * (HTTP and WebSocket) and, with sign-in, the /auth routes; beside them the collection schedule.
 */
export async function startAppServer(options: AppServerOptions): Promise<RunningServer> {
  const { pool } = options;
  const secretBox = new SecretBox(await loadKey(SECRET_KEY));
  // Parsed once at start: a malformed setting stops the server with a message naming it.
  const secretRefs = SecretRefAllowlist.fromEnv();
  let authenticator: Authenticator;
  const mounts: Mount[] = [];
  if (options.signIn) {
    const auth = createAuth({ db: pool, accessKey: await loadKey(TOKEN_KEY), oidc: oidcConfigFromEnv() });
    authenticator = auth.authenticator;
    mounts.push(auth.mount);
  } else {
    authenticator = slimAuthenticator(await ensureLocalAdmin(pool));
    // One developer's database is a target of its own: it is collected from the first minute.
    await pool.query('select optischema.local_target()');
  }
  const api = await createApiMount({
    apiDatabaseUrl: await apiDatabaseUrl(pool, options.url),
    authenticator,
    systemPool: pool,
    secretBox,
    secretRefs,
    dev: options.dev,
    localUrl: options.url,
  });
  mounts.push(api.mount);
  // graphile-worker holds a LISTEN session and a cron session beside its job connections.
  const workerPool = options.worker ? await openPool(options.url, { max: WORKER_CONCURRENCY + 2, applicationName: 'optischema-worker' }) : null;
  const worker = workerPool
    ? await startWorker({ pool: workerPool, resolveTarget: makeTargetResolver(workerPool, secretBox, secretRefs), concurrency: WORKER_CONCURRENCY, systemUrl: options.url, secretBox, defaultAiProvider: await defaultProvider(), ...(options.logger ? { logger: options.logger } : {}) })
    : null;
  const stopWorker = async () => {
    await worker?.stop();
    await workerPool?.end();
  };
  try {
    const server = await startHttpServer({
      host: options.host,
      port: options.port,
      uiDir: UI_DIR,
      mounts,
      // Slim mode answers as the local admin: only this machine's own app may ask.
      loopbackOnly: !options.signIn,
      allowedOrigins: allowedOriginsFromEnv(),
      api: {
        status: async (request) => {
          // The status names the database and its set-up: only for someone who may see the tenant.
          await authenticator.authenticate({ headers: request.headers, clientAddress: request.socket.remoteAddress ?? null });
          return startStatus(pool, options.url, options.embedded);
        },
      },
    });
    return {
      url: server.url,
      close: async () => {
        await server.close();
        await api.release();
        await stopWorker();
      },
    };
  } catch (error) {
    await api.release();
    await stopWorker();
    throw error;
  }
}
