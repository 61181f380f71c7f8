import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedCluster } from '../../sidecar/embedded/cluster.ts';

/** A folder for one test's embedded cluster, traversable by the server's OS user. */
export async function tempHome(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'optischema-home-'));
  await chmod(dir, 0o711);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A throwaway cluster of this test's own, for settings the shared one must not change. */
export async function privateCluster(): Promise<{ cluster: EmbeddedCluster; url: string; close(): Promise<void> }> {
  const home = await tempHome();
  const cluster = await EmbeddedCluster.open({ dataDir: path.join(home.dir, 'pg') });
  const { url } = await cluster.start();
  return {
    cluster,
    url,
    close: async () => {
      await cluster.stop().catch(() => undefined);
      await home.remove();
    },
  };
}
