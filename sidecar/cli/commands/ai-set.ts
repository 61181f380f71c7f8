import { openPool } from '../../database/connection.ts';
import { UserError } from '../../errors.ts';
import { loadKey, SECRET_KEY } from '../../secrets/key-files.ts';
import { SecretBox } from '../../secrets/secret-box.ts';

export interface TenantAi {
  tenant: string;
  enabled: boolean;
  provider: string | null;
  model: string | null;
  baseUrl: string | null;
  /** Sealed before it is stored. */
  key: string | null;
  keyRef: string | null;
  sendLiterals: boolean;
  monthlyTokens: number | null;
  perHour: number | null;
}

/** Upserts optischema.ai_settings for the tenant; returns the line the CLI prints (never the key). */
export async function setTenantAi(url: string, settings: TenantAi): Promise<string> {
  const sealed = settings.key === null ? null : new SecretBox(await loadKey(SECRET_KEY)).seal(settings.key);
  const pool = await openPool(url, { max: 1 });
  try {
    const { rows: tenants } = await pool.query<{ id: string }>('select id from optischema.tenants where slug = $1', [settings.tenant]);
    const tenantId = tenants[0]?.id;
    if (!tenantId) throw new UserError(`no tenant "${settings.tenant}"`);
    await pool.query(
      `insert into optischema.ai_settings as s (tenant_id, enabled, provider, model, base_url, api_key_ciphertext, api_key_ref, send_literals,
                                               monthly_token_budget, reviews_per_hour, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9, 2000000), coalesce($10, 20), now())
       on conflict (tenant_id) do update set
         enabled = excluded.enabled, provider = excluded.provider, model = excluded.model, base_url = excluded.base_url,
         -- A new key replaces the old one; none given keeps it (the table's trigger drops it when
         -- the provider or address changes).
         api_key_ciphertext = case when $6 is not null or $7 is not null then $6 else s.api_key_ciphertext end,
         api_key_ref = case when $6 is not null or $7 is not null then $7 else s.api_key_ref end,
         send_literals = excluded.send_literals,
         monthly_token_budget = coalesce($9, s.monthly_token_budget), reviews_per_hour = coalesce($10, s.reviews_per_hour), updated_at = now()`,
      [tenantId, settings.enabled, settings.provider, settings.model, settings.baseUrl, sealed, settings.keyRef, settings.sendLiterals, settings.monthlyTokens, settings.perHour],
    );
    const what = settings.provider ? `${settings.provider} ${settings.model}` : "the sidecar's default model";
    const key = sealed ? ', key sealed' : settings.keyRef ? `, key from ${settings.keyRef.split(':')[0]}` : '';
    return `${settings.tenant}: AI ${settings.enabled ? 'on' : 'off'} with ${what}${key}; literals ${settings.sendLiterals ? 'sent' : 'never sent'}`;
  } finally {
    await pool.end();
  }
}
