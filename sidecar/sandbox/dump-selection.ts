/**
 * Which schemas a copy takes. OptiSchema's own database holds the demo (schema `demo`) beside
 * OptiSchema's schemas (`optischema`, `optischema_api`, `graphile_worker`): a copy of it names the
 * ones to take or leave out. Names are exact (pg_dump's -n/-N read patterns; each name is passed
 * double-quoted, so case and characters such as `*` or `.` are taken literally).
 */
import type pg from 'pg';

export interface SchemaSelection {
  /** Only these schemas (pg_dump -n); all but the system ones when absent. */
  schemas?: string[];
  /** Not these schemas (pg_dump -N). */
  excludeSchemas?: string[];
}

/**
 * pg_dump's arguments for the selection, resolved against the source's catalog. A selection is
 * passed as the full list of schemas to take (-n) and of the extensions installed in them (-e,
 * PostgreSQL 14+), never as -N: with -N pg_dump still dumps every extension, among them those
 * installed *in* an excluded schema (OptiSchema's hypopg lives in `optischema`), whose CREATE
 * EXTENSION … WITH SCHEMA then fails on the copy, where that schema is absent.
 *
 * @example await selectionArgs(source, { excludeSchemas: ['optischema'] }) // ['--schema="demo"', '--schema="public"', '--extension="plpgsql"'…]
 */
export async function selectionArgs(client: pg.ClientBase, selection: SchemaSelection): Promise<string[]> {
  if (!selection.schemas?.length && !selection.excludeSchemas?.length) return [];
  const result = await client.query<{ kind: 'schema' | 'extension'; name: string }>(
    `select 'schema' as kind, n.nspname as name from pg_namespace n where ${SELECTED_SCHEMA_SQL}
     union all
     select 'extension', e.extname from pg_extension e join pg_namespace n on n.oid = e.extnamespace where ${SELECTED_SCHEMA_SQL}
     order by 1 desc, 2`,
    selectionParams(selection),
  );
  const args = result.rows.map((row) => `--${row.kind}=${patternOf(row.name)}`);
  // A requested schema that does not exist must fail as pg_dump fails ("no matching schemas").
  const missing = (selection.schemas ?? []).filter((name) => !result.rows.some((row) => row.kind === 'schema' && row.name === name));
  return [...args, ...missing.map((name) => `--schema=${patternOf(name)}`)];
}

/** `nspname` filter for catalog queries that must agree with selectionArgs: `$1` schemas, `$2` excluded. */
export const SELECTED_SCHEMA_SQL = `(cardinality($1::text[]) = 0 or n.nspname = any($1::text[])) and n.nspname <> all($2::text[])
  and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp)'`;

export function selectionParams(selection: SchemaSelection): [string[], string[]] {
  return [selection.schemas ?? [], selection.excludeSchemas ?? []];
}

/**
 * The tables whose rows pg_dump will dump for this selection: ordinary tables (partitions
 * included, partitioned parents hold no rows), not those an extension owns.
 */
export async function countDumpedTables(client: pg.ClientBase, selection: SchemaSelection): Promise<number> {
  const result = await client.query<{ n: number }>(
    `select count(*)::int as n
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and ${SELECTED_SCHEMA_SQL}
        and not exists (select from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')`,
    selectionParams(selection),
  );
  return result.rows[0]?.n ?? 0;
}

/** A name as a pg_dump pattern that matches only itself. */
function patternOf(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Whether the dump will CREATE SCHEMA public: pg_dump treats `public` as already there only in a
 * whole-database dump; one named by -n is created like any schema, so the sandbox's own (empty)
 * `public`, which every new database has, must go first.
 */
export function dumpCreatesPublic(args: string[]): boolean {
  return args.includes(`--schema=${patternOf('public')}`);
}
