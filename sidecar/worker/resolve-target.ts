import type pg from 'pg';
import { resolveTargetUrl } from '../api/target-secret.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { SecretRefAllowlist } from '../secrets/secret-ref-allowlist.ts';

/** Where a target's connection string comes from: a URL, 'local' (OptiSchema's own database), or null (no such target). */
export type ResolveTarget = (targetId: string) => Promise<string | 'local' | null>;

/**
 * The resolver `optischema start` gives the worker: reads the target's stored secret and opens it
 * with the API's own resolveTargetUrl (sealed ciphertext, or an env:NAME or file:/path reference the
 * operator allows for the target's tenant; `allowlist` defaults to OPTISCHEMA_TARGET_SECRET_REFS).
 */
export function makeTargetResolver(system: pg.Pool, secretBox: SecretBox, allowlist?: SecretRefAllowlist): ResolveTarget {
  return async (targetId) => {
    const { rows } = await system.query<{ secret_ciphertext: Buffer | null; secret_ref: string | null; tenant_id: string; slug: string }>(
      `select t.secret_ciphertext, t.secret_ref, t.tenant_id, n.slug
         from optischema.targets t join optischema.tenants n on n.id = t.tenant_id
        where t.id = $1`,
      [targetId],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.secret_ref === 'local') return 'local';
    return resolveTargetUrl({ secretCiphertext: row.secret_ciphertext, secretRef: row.secret_ref }, secretBox, {
      tenant: { id: row.tenant_id, slug: row.slug },
      allowlist,
    });
  };
}
