import { UserError } from '../errors.ts';

/** The operator's setting: which env:/file: references targets may use, per tenant or for all. */
export const SECRET_REFS_SETTING = 'OPTISCHEMA_TARGET_SECRET_REFS';

/** `env:NAME` or `file:/absolute/path`; the same rule as the CHECK on optischema.targets.secret_ref. */
export const SECRET_REF = /^(env:[A-Za-z_][A-Za-z0-9_]*|file:\/.+)$/;

/**
 * An optional `<tenant slug or id>=` before a reference scopes it to that tenant (a slug and a
 * uuid both fit this; `env:` and `file:` cannot, as `:` comes before any `=`).
 */
const SCOPED = /^([a-z0-9][a-z0-9-]{0,62})=(.*)$/i;

/** The tenant a reference is used for: its id, and its slug when the caller knows it. */
export interface SecretRefTenant {
  id: string;
  slug?: string | null;
}

/**
 * env: and file: references are read in the sidecar's own process, so a tenant admin who could pick
 * any of them could read the sidecar's environment (its DATABASE_URL) or any file it can read. Only
 * the operator lists the ones targets may use, in OPTISCHEMA_TARGET_SECRET_REFS (never through the
 * API): comma-separated exact references, each for every tenant or, with `slug=` or `<tenant id>=`
 * in front, for one tenant.
 *
 *   OPTISCHEMA_TARGET_SECRET_REFS='env:SHOP_DB_URL,acme=file:/run/secrets/acme-db'
 */
export class SecretRefAllowlist {
  /** reference → the tenants (lower-case slug or id) it is for; null: every tenant. */
  private readonly entries = new Map<string, Set<string> | null>();

  constructor(setting: string | undefined) {
    for (const raw of (setting ?? '').split(',')) {
      const item = raw.trim();
      if (item === '') continue;
      const scoped = SCOPED.exec(item);
      const ref = (scoped ? scoped[2]! : item).trim();
      if (!SECRET_REF.test(ref)) {
        throw new UserError(`${SECRET_REFS_SETTING} lists "${item}", which is not env:NAME or file:/absolute/path (optionally after tenant-slug=)`);
      }
      const tenants = this.entries.get(ref);
      if (!scoped || tenants === null) this.entries.set(ref, null);
      else this.entries.set(ref, new Set([...(tenants ?? []), scoped[1]!.toLowerCase()]));
    }
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): SecretRefAllowlist {
    return new SecretRefAllowlist(env[SECRET_REFS_SETTING]);
  }

  allows(ref: string, tenant: SecretRefTenant): boolean {
    if (!this.entries.has(ref)) return false;
    const tenants = this.entries.get(ref);
    if (tenants === null) return true;
    return tenants!.has(tenant.id.toLowerCase()) || (tenant.slug != null && tenants!.has(tenant.slug.toLowerCase()));
  }

  /** Throws the one UserError that names the setting, unless `ref` is listed for `tenant`. */
  check(ref: string, tenant: SecretRefTenant): void {
    if (this.allows(ref, tenant)) return;
    throw new UserError(
      `secretRef ${ref} is not allowed for this tenant: env: and file: references must be listed by the operator in ${SECRET_REFS_SETTING}; ` +
        'otherwise give connectionString, which the server stores encrypted',
    );
  }
}
