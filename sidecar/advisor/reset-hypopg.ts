import pg from 'pg';

/**
 * Drops this session's hypothetical indexes, calling hypopg by its own schema: OptiSchema never
 * resolves a function of its own requests through a search_path others may create objects in.
 * hypopg's indexes live in the backend, not in a transaction, so every analysis ends with this
 * after its ROLLBACK (the engine's own reset does not run when a step is cut short).
 */
export async function resetHypopg(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ schema: string | null }>(
    `select n.nspname as schema from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace where e.extname = 'hypopg'`,
  );
  const schema = rows[0]?.schema;
  if (!schema) return;
  await client.query(`select ${pg.escapeIdentifier(schema)}.hypopg_reset()`);
}
