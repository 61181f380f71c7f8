/**
 * Whether the apply role may index a table, checked before anything runs, so a missing right is
 * one clear message with the GRANT that fixes it rather than PostgreSQL's "must be owner of table"
 * halfway through a partitioned build. CREATE INDEX needs two things (DefineIndex):
 * - ownership of the table, which a role has through membership of the owner with INHERIT
 *   (pg_has_role … 'USAGE');
 * - CREATE on the table's schema, where the index is put.
 */
import type pg from 'pg';
import { quoteIdent } from '../../plv8/engine/quote-ident.ts';
import { ApplyError } from './apply-errors.ts';

interface MissingRightRow {
  schema: string;
  table: string;
  owner: string;
  role: string;
  owns: boolean;
  may_create: boolean;
  /** The owner has CREATE on the schema: membership of the owner would bring it. */
  owner_may_create: boolean;
}

/**
 * Throws ApplyError `rights` when the current role may not index `tableOid` or, when it is
 * partitioned, any of its partitions at any level (each partition has its own owner and schema).
 */
export async function checkIndexRights(target: pg.ClientBase, tableOid: string): Promise<void> {
  const { rows } = await target.query<MissingRightRow>(
    `with recursive tree(oid) as (
       select $1::oid
       union all
       -- Only a partitioned table's children: plain inheritance children are not indexed with it.
       select i.inhrelid from pg_inherits i join tree t on i.inhparent = t.oid join pg_class p on p.oid = t.oid and p.relkind = 'p'
     )
     select * from (
       select n.nspname as schema, c.relname as table, pg_get_userbyid(c.relowner) as owner, current_user::text as role,
              pg_has_role(current_user, c.relowner, 'USAGE') as owns, has_schema_privilege(current_user, c.relnamespace, 'CREATE') as may_create,
              has_schema_privilege(c.relowner, c.relnamespace, 'CREATE') as owner_may_create,
              c.oid = $1::oid as is_root
         from tree t join pg_class c on c.oid = t.oid join pg_namespace n on n.oid = c.relnamespace
     ) r
      where not owns or not (may_create or owner_may_create)
      order by not is_root, schema, "table"
      limit 1`,
    [tableOid],
  );
  const missing = rows[0];
  if (missing) throw new ApplyError('rights', rightsMessage(missing));
}

/**
 * @example rightsMessage({ schema: 'public', table: 'orders', owner: 'shop_owner', role: 'optischema', owns: false, may_create: false, owner_may_create: true })
 *   // 'the apply role "optischema" cannot index public.orders: it must own the table or be a member of its owner; run: GRANT "shop_owner" TO "optischema"'
 */
export function rightsMessage(missing: MissingRightRow): string {
  const role = roleName(missing.role);
  const needs: string[] = [];
  const grants: string[] = [];
  if (!missing.owns) {
    needs.push('it must own the table or be a member of its owner');
    grants.push(`GRANT ${roleName(missing.owner)} TO ${role}`);
  }
  // A member of the owner has the owner's CREATE too: then the first GRANT is the whole fix.
  if (!missing.may_create && !missing.owner_may_create) {
    needs.push(`it needs CREATE on the schema ${quoteIdent(missing.schema)}, where the index goes`);
    grants.push(`GRANT CREATE ON SCHEMA ${quoteIdent(missing.schema)} TO ${role}`);
  }
  return `the apply role ${role} cannot index ${quoteIdent(missing.schema)}.${quoteIdent(missing.table)}: ${needs.join(', and ')}; run: ${grants.join('; ')}`;
}

/** A role name as a GRANT takes it; always quoted, so it is right whatever the name. */
const roleName = (name: string): string => `"${name.replaceAll('"', '""')}"`;
