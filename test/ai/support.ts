import type pg from 'pg';

/** A tenant and a target row to store analyses against (the target's secret is never opened here). */
export async function seedTarget(pool: pg.Pool, name = 'shop'): Promise<{ tenantId: string; targetId: string }> {
  const { rows } = await pool.query<{ tenant_id: string; target_id: string }>(
    `with t as (insert into optischema.tenants (name, slug) values ($1, $1) returning id)
     insert into optischema.targets (tenant_id, name, secret_ref) select id, $1, 'env:SHOP_URL' from t returning tenant_id, id as target_id`,
    [name],
  );
  return { tenantId: rows[0]!.tenant_id, targetId: rows[0]!.target_id };
}
