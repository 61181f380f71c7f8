import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { expect, it } from 'vitest';
import { printApiSchema } from '../../sidecar/api/print-schema.ts';
import { createApiDatabase } from './support.ts';

it('ui/src/graphql matches the API the migrations install (run `npm run schema:graphql` after changing optischema_api)', async () => {
  const db = await createApiDatabase();
  const apiPool = new pg.Pool({ connectionString: db.apiUrl, max: 2 });
  try {
    const printed = await printApiSchema(db.pool, apiPool);
    const committed = (name: string) => readFile(new URL(`../../ui/src/graphql/${name}`, import.meta.url), 'utf8');
    expect(printed.sdl).toBe(await committed('schema.graphql'));
    expect(printed.introspectionTypes).toBe(await committed('graphql-env.d.ts'));
  } finally {
    await apiPool.end();
    await db.close();
  }
}, 120_000);
