import type pg from 'pg';

/**
 * The role the bench's statements are "run by", as an application's are: OptiSchema plans a
 * statement with its author's rights and never with a superuser's, so a superuser's UPDATE or
 * DELETE cannot be planned (the analysis role may only read). Given every right on the bench's
 * schemas; returns its oid as pg_stat_statements would record it.
 */
export async function benchAppRole(client: pg.ClientBase, schemas: readonly string[]): Promise<string> {
  await client.query(`do $$ begin
    if not exists (select from pg_roles where rolname = 'optischema_bench_app') then create role optischema_bench_app nologin; end if;
  end $$`);
  for (const schema of schemas) {
    const s = `"${schema.replaceAll('"', '""')}"`;
    await client.query(`grant usage on schema ${s} to optischema_bench_app; grant all on all tables in schema ${s} to optischema_bench_app`);
  }
  const { rows } = await client.query<{ oid: string }>(`select oid::text as oid from pg_roles where rolname = 'optischema_bench_app'`);
  return rows[0]!.oid;
}
