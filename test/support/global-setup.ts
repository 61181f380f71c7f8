import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { EmbeddedCluster } from '../../sidecar/embedded/cluster.ts';
import { runMigrations } from '../../sidecar/cli/commands/migrate.ts';
import { tempHome } from './cluster.ts';

export const TEMPLATE_DATABASE = 'optischema_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the throwaway cluster all test files share (database "optischema"). */
    clusterUrl: string;
  }
}

/**
 * Starts one throwaway PostgreSQL cluster for the whole run, with the same code as the embedded
 * cluster (pg_stat_statements and pg_qualstats preloaded), and a migrated template database that
 * test files clone.
 */
export default async function setup(project: TestProject) {
  const home = await tempHome();
  const cluster = await EmbeddedCluster.open({ dataDir: path.join(home.dir, 'pg') });
  const { url } = await cluster.start();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const templateUrl = new URL(url);
  templateUrl.pathname = `/${TEMPLATE_DATABASE}`;
  await runMigrations(templateUrl.toString());
  project.provide('clusterUrl', url);
  return async () => {
    await cluster.stop();
    await home.remove();
  };
}
