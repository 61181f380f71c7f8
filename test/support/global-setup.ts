import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { EmbeddedCluster } from '../../sidecar/embedded/cluster.ts';
import { runMigrations } from '../../sidecar/cli/commands/migrate.ts';
import { tempHome } from './cluster.ts';
import { API_ROLE_TEST_PASSWORD } from './database.ts';

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
  // optischema_api is cluster-wide: its password is set once here, so test files running in
  // parallel never change it under each other (see apiUrl in database.ts).
  const roles = new pg.Client({ connectionString: url });
  await roles.connect();
  try {
    await roles.query(`alter role optischema_api password '${API_ROLE_TEST_PASSWORD}'`);
  } finally {
    await roles.end();
  }
  project.provide('clusterUrl', url);
  return async () => {
    await cluster.stop();
    await home.remove();
  };
}
