import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSandbox, SandboxError } from '../../sidecar/sandbox/isolation.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/** A sandbox the user gives must not be the production target under another name (issue 11 §1). */
describe('checkSandbox', () => {
  let target: TestDatabase;
  let copy: TestDatabase;
  beforeAll(async () => {
    [target, copy] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([target?.close(), copy?.close()]);
  });

  it('accepts another database, and leaves no token behind', async () => {
    await expect(checkSandbox(target.pool, copy.pool)).resolves.toBeUndefined();
    expect((await copy.pool.query('select count(*)::int as n from optischema_sandbox.marker')).rows[0].n).toBe(0);
    expect((await target.pool.query(`select to_regclass('optischema_sandbox.marker') is null as absent`)).rows[0].absent).toBe(true);
  });

  it("refuses the target's own database reached by another URL", async () => {
    const url = new URL(target.url);
    url.hostname = url.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
    const other = new pg.Pool({ connectionString: url.toString(), max: 1 });
    try {
      await expect(checkSandbox(target.pool, other)).rejects.toThrow(SandboxError);
      await expect(checkSandbox(target.pool, other)).rejects.toThrow(/the sandbox is the target's own database/);
    } finally {
      await other.end();
    }
  });
});
