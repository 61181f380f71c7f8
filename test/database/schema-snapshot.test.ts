import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { dumpSchema } from '../../sidecar/database/schema-snapshot.ts';
import { createTestDatabase } from '../support/database.ts';

it('sql/schema.sql matches the schema the migrations install (run `npm run schema:dump` after adding one)', async () => {
  const db = await createTestDatabase({ migrated: true });
  try {
    const committed = await readFile(new URL('../../sql/schema.sql', import.meta.url), 'utf8');
    expect(await dumpSchema(db.url)).toBe(committed);
  } finally {
    await db.close();
  }
});
