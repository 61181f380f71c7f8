import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPlv8Engine } from '../../sidecar/advisor/install-plv8.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
});
afterAll(async () => {
  await db?.close();
});

describe('installPlv8Engine', () => {
  it('installs nothing and says why when the server has no plv8 (this machine has none)', async () => {
    const result = await installPlv8Engine(db.pool);
    expect(result).toEqual({ installed: false, reason: expect.stringContaining('plv8 is not available') });
    const { rows } = await db.pool.query(`select count(*)::int as n from pg_proc where proname like 'engine\\_%'`);
    expect(rows[0].n).toBe(0);
  });
});
