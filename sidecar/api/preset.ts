import type pg from 'pg';
import { makePgService } from 'postgraphile/adaptors/pg';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import type { Authenticator } from '../auth/identity.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { SecretRefAllowlist } from '../secrets/secret-ref-allowlist.ts';
import { makeAuditPlugin } from './audit-plugin.ts';
import { makeApiContext } from './context.ts';
import { EventsPlugin } from './events-plugin.ts';
import { maskApiError } from './mask-error.ts';
import { ApiSmartTagsPlugin } from './smart-tags.ts';
import { makeTargetsPlugin } from './targets-plugin.ts';

export const GRAPHQL_PATH = '/graphql';
export const GRAPHIQL_PATH = '/graphiql';
export const API_SCHEMA = 'optischema_api';

export interface ApiPresetOptions {
  /** Connected as the API login role (optischema_api): neither superuser nor owner, so RLS applies. */
  apiPool: pg.Pool;
  /** The sidecar's own connection: audit entries, target secrets. Never used for a client's reads. */
  systemPool: pg.Pool;
  authenticator: Authenticator;
  secretBox: SecretBox;
  /** Which env:/file: references targets may use; default OPTISCHEMA_TARGET_SECRET_REFS, read per use. */
  secretRefs?: SecretRefAllowlist;
  /** Development: Ruru at /graphiql. */
  dev: boolean;
  /** OptiSchema's own database URL, where the local target's connection test runs. */
  localUrl?: string;
}

/**
 * The API's PostGraphile configuration: only the views and functions of `optischema_api`, mutations
 * only through those functions and the plugins here, errors masked except those written for clients.
 */
export function makeApiPreset(options: ApiPresetOptions): GraphileConfig.Preset {
  return {
    extends: [PostGraphileAmberPreset],
    plugins: [
      ApiSmartTagsPlugin,
      EventsPlugin,
      makeTargetsPlugin({ systemPool: options.systemPool, secretBox: options.secretBox, secretRefs: options.secretRefs, localUrl: options.localUrl }),
      makeAuditPlugin({ systemPool: options.systemPool }),
    ],
    pgServices: [makePgService({ pool: options.apiPool, schemas: [API_SCHEMA] })],
    schema: {
      // Views are auto-updatable in PostgreSQL; only the API functions may change data.
      defaultBehavior: '-resource:insert -resource:update -resource:delete',
    },
    grafserv: {
      graphqlPath: GRAPHQL_PATH,
      websockets: true,
      graphiql: options.dev,
      graphiqlPath: GRAPHIQL_PATH,
      graphiqlOnGraphQLGET: options.dev,
      maskError: maskApiError,
    },
    grafast: {
      context: makeApiContext(options.authenticator),
    },
  };
}
