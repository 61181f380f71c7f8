import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_TIMEOUT_GRACE_MS, TARGET_DEFAULTS, targetClientConfig, targetSettings } from '../../sidecar/database/target-settings.ts';
import { UserError } from '../../sidecar/errors.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

describe('target connection settings', () => {
  it('takes the use\'s defaults, then the environment, then the job\'s overrides; the query timeout follows the statement timeout', () => {
    expect(targetSettings('collect', {}, {})).toEqual({ ...TARGET_DEFAULTS.collect, queryTimeoutMs: TARGET_DEFAULTS.collect.statementTimeoutMs + QUERY_TIMEOUT_GRACE_MS });
    const env = { OPTISCHEMA_TARGET_CONNECT_TIMEOUT_MS: '1500', OPTISCHEMA_TARGET_STATEMENT_TIMEOUT_MS: '4000' };
    expect(targetSettings('check', {}, env)).toMatchObject({ connectTimeoutMs: 1500, statementTimeoutMs: 4000, queryTimeoutMs: 4000 + QUERY_TIMEOUT_GRACE_MS });
    expect(targetSettings('advise', { statementTimeoutMs: 120_000 }, env)).toMatchObject({ connectTimeoutMs: 1500, statementTimeoutMs: 120_000, queryTimeoutMs: 125_000 });
    expect(targetSettings('collect', {}, { ...env, OPTISCHEMA_TARGET_QUERY_TIMEOUT_MS: '700' }).queryTimeoutMs).toBe(700);
  });

  it('refuses a malformed variable with its name', () => {
    for (const value of ['soon', '-5', '0', '1.5']) {
      const error = (() => {
        try {
          return targetSettings('collect', {}, { OPTISCHEMA_TARGET_QUERY_TIMEOUT_MS: value });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toBe(`OPTISCHEMA_TARGET_QUERY_TIMEOUT_MS=${value}: give a whole number of milliseconds above 0`);
    }
  });

  describe('on a real server', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => {
      await db?.close();
    });

    it('a stored URL cannot lift the bounds with its own parameters or options', async () => {
      const url = new URL(db.url);
      url.searchParams.set('statement_timeout', '0');
      url.searchParams.set('lock_timeout', '0');
      url.searchParams.set('query_timeout', '0');
      url.searchParams.set('options', '-c statement_timeout=0 -c lock_timeout=0');
      const settings = targetSettings('collect', {}, {});
      const client = new pg.Client(targetClientConfig(url.toString(), 'collect', settings));
      await client.connect();
      try {
        const { rows } = await client.query(
          `select current_setting('statement_timeout') as st, current_setting('lock_timeout') as lt, current_setting('application_name') as app`,
        );
        expect(rows[0]).toEqual({ st: '10s', lt: '1s', app: 'optischema-collector' });
        // node-postgres's own reading of the merged configuration (URL over config).
        expect((client as unknown as { connectionParameters: { query_timeout: number } }).connectionParameters.query_timeout).toBe(settings.queryTimeoutMs);
      } finally {
        await client.end();
      }
    });
  });
});
