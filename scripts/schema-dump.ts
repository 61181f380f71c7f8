// `npm run schema:dump`: rewrites sql/schema.sql from a throwaway cluster with every migration applied.
import { writeFile } from 'node:fs/promises';
import { runMigrations } from '../sidecar/cli/commands/migrate.ts';
import { dumpSchema } from '../sidecar/database/schema-snapshot.ts';
import { privateCluster } from '../test/support/cluster.ts';

const server = await privateCluster();
try {
  await runMigrations(server.url);
  const target = new URL('../sql/schema.sql', import.meta.url);
  await writeFile(target, await dumpSchema(server.url));
  console.log(`wrote ${target.pathname}`);
} finally {
  await server.close();
}
