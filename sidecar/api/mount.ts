import type pg from 'pg';
import { postgraphile } from 'postgraphile';
import { grafserv } from 'postgraphile/grafserv/node';
import type { Authenticator } from '../auth/identity.ts';
import { openPool } from '../database/connection.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { SecretRefAllowlist } from '../secrets/secret-ref-allowlist.ts';
import type { Mount } from '../server/http-server.ts';
import { GRAPHIQL_PATH, GRAPHQL_PATH, makeApiPreset } from './preset.ts';

export interface ApiMountOptions {
  /** A pool connected as the API login role (optischema_api); the caller ends it. */
  apiPool?: pg.Pool;
  /** Or the URL to connect as optischema_api; the mount then owns (and ends) the pool. */
  apiDatabaseUrl?: string;
  authenticator: Authenticator;
  /** The sidecar's own connection (audit log, target secrets). The caller ends it. */
  systemPool: pg.Pool;
  secretBox: SecretBox;
  /** Which env:/file: references targets may use (default: OPTISCHEMA_TARGET_SECRET_REFS). */
  secretRefs?: SecretRefAllowlist;
  /** Development: Ruru (GraphiQL) at /graphiql. */
  dev: boolean;
  /** OptiSchema's own database URL (the local target's connection test). */
  localUrl?: string;
  /** More schema plugins (features that extend the API; tests that look inside a request). */
  plugins?: GraphileConfig.Plugin[];
}

export interface ApiMount {
  mount: Mount;
  /** Stops serving, closes subscriptions and the LISTEN connection, ends the pool it opened. */
  release(): Promise<void>;
}

const RURU_STATIC = '/ruru-static/';

/**
 * The GraphQL API (POST /graphql, WebSocket subscriptions on /graphql, Ruru in dev) as a mount of
 * the shared HTTP server. The schema is built here, so a role or grant problem fails at start-up.
 *
 * @example
 * const api = await createApiMount({ apiDatabaseUrl, authenticator, systemPool, secretBox, dev: false });
 * const server = await startHttpServer({ host, port, uiDir, api: {}, mounts: [api.mount] });
 * // on shutdown: await server.close(); await api.release();
 */
export async function createApiMount(options: ApiMountOptions): Promise<ApiMount> {
  let ownedPool: pg.Pool | null = null;
  if (!options.apiPool) {
    if (!options.apiDatabaseUrl) throw new Error('createApiMount needs apiPool or apiDatabaseUrl');
    ownedPool = await openPool(options.apiDatabaseUrl, { applicationName: 'optischema-api', max: 10 });
  }
  const apiPool = options.apiPool ?? ownedPool!;
  const preset: GraphileConfig.Preset = { extends: [makeApiPreset({ ...options, apiPool })], plugins: options.plugins ?? [] };
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  try {
    await pgl.getSchemaResult();
  } catch (error) {
    await releaseAll();
    throw new Error('the GraphQL API schema could not be built', { cause: error });
  }
  // createHandler (not addTo): other mounts and the web app share this server's listeners.
  const handler = serv.createHandler();
  const upgradeHandler = await serv.getUpgradeHandler();

  async function releaseAll() {
    // Order matters: PostGraphile (and its grafserv: WebSockets) first, then the service
    // (PgSubscriber's LISTEN connection), then the pool. Otherwise idle clients keep the process alive.
    await pgl.release();
    for (const service of pgl.getResolvedPreset().pgServices ?? []) await service.release?.();
    await ownedPool?.end();
  }

  let released: Promise<void> | null = null;
  return {
    mount: {
      matches: (pathname) =>
        pathname === GRAPHQL_PATH || (options.dev && (pathname === GRAPHIQL_PATH || pathname.startsWith(RURU_STATIC))),
      handle: (request, response) =>
        handler(request, response, (error?: Error) => {
          if (error) console.error(error);
          if (!response.headersSent) {
            response.writeHead(error ? 500 : 404, { 'content-type': 'application/json' });
            response.end(JSON.stringify({ errors: [{ message: error ? 'internal error' : 'not found' }] }));
          }
        }),
      upgrade: (request, socket, head) => {
        if (!upgradeHandler || !serv.shouldHandleUpgrade(request, socket, head)) return false;
        upgradeHandler(request, socket, head);
        return true;
      },
    },
    release: () => (released ??= releaseAll()),
  };
}
