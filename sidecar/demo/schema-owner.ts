import type pg from 'pg';
import { UserError } from '../errors.ts';
import { DEMO_SCHEMA, DEMO_SCHEMA_COMMENT_PREFIX } from './dataset.ts';

interface DemoSchemaRow {
  comment: string | null;
}

/**
 * Throws a UserError when a schema named `demo` exists that the demo loader did not create, i.e.
 * whose comment does not start with DEMO_SCHEMA_COMMENT_PREFIX. Someone's own `demo` schema is left
 * alone. No schema at all is fine.
 */
export async function assertDemoSchemaReplaceable(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<DemoSchemaRow>(
    `select obj_description(oid, 'pg_namespace') as comment from pg_namespace where nspname = $1`,
    [DEMO_SCHEMA],
  );
  const schema = rows[0];
  if (schema && !isDemoSchemaComment(schema.comment)) {
    throw new UserError(
      `schema "${DEMO_SCHEMA}" already exists and was not created by \`optischema demo load\`; ` +
        `it is left untouched: load the demo into another database, or drop or rename that schema first`,
    );
  }
}

export function isDemoSchemaComment(comment: string | null): boolean {
  return comment?.startsWith(DEMO_SCHEMA_COMMENT_PREFIX) ?? false;
}
