// `npm run schema:graphql`: rewrites ui/src/graphql/{schema.graphql,graphql-env.d.ts} from a
process.env.GRAPHILE_ENV ??= 'production';
// throwaway cluster with every migration applied (run it after changing optischema_api).
import { writeFile } from 'node:fs/promises';
import { printApiSchema } from '../sidecar/api/print-schema.ts';
import { runMigrations } from '../sidecar/cli/commands/migrate.ts';
import { apiDatabaseUrl } from '../sidecar/database/api-role.ts';
import { openPool } from '../sidecar/database/connection.ts';
import { privateCluster } from '../test/support/cluster.ts';

const server = await privateCluster();
try {
  await runMigrations(server.url);
  const systemPool = await openPool(server.url, { applicationName: 'optischema-schema-print', max: 2 });
  const apiPool = await openPool(await apiDatabaseUrl(systemPool, server.url), { applicationName: 'optischema-schema-print', max: 2 });
  try {
    const printed = await printApiSchema(systemPool, apiPool);
    for (const [name, text] of [['schema.graphql', printed.sdl], ['graphql-env.d.ts', printed.introspectionTypes]] as const) {
      const target = new URL(`../ui/src/graphql/${name}`, import.meta.url);
      await writeFile(target, text);
      console.log(`wrote ${target.pathname}`);
    }
  } finally {
    await apiPool.end();
    await systemPool.end();
  }
} finally {
  await server.close();
}
