import type pg from 'pg';
import { resolveTargetUrl } from '../api/target-secret.ts';
import type { SecretBox } from '../secrets/secret-box.ts';

/** Where a target's connection string comes from: a URL, 'local' (OptiSchema's own database), or null (no such target). */
export type ResolveTarget = (targetId: string) => Promise<string | 'local' | null>;

/**
 * The resolver `optischema start` gives the worker: reads the target's stored secret and opens it
 * with the API's own resolveTargetUrl (sealed ciphertext, env:NAME or file:/path).
 */
export function makeTargetResolver(system: pg.Pool, secretBox: SecretBox): ResolveTarget {
  return async (targetId) => {
    const { rows } = await system.query<{ secret_ciphertext: Buffer | null; secret_ref: string | null }>(
      'select secret_ciphertext, secret_ref from optischema.targets where id = $1',
      [targetId],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.secret_ref === 'local') return 'local';
    return resolveTargetUrl({ secretCiphertext: row.secret_ciphertext, secretRef: row.secret_ref }, secretBox);
  };
}
