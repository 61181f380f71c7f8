import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { asRole } from '../auth/support.ts';
import { collectTarget } from '../../sidecar/collector/collect-target.ts';
import { sampleActivity } from '../../sidecar/collector/sample-activity.ts';
import { connectTarget, type ConnectTarget } from '../../sidecar/collector/target-connection.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { addEnvTarget, waitFor } from './fixtures.ts';

/**
 * Statement samples (migration 0013): literal texts seen in pg_stat_activity under their query id,
 * stored a few per query id by the activity sampler, under the target's keep_literal_samples.
 * Every session here is observed in a state it is known to be in (waiting on a row lock held by
 * the test, or idle after its statement returned), never after a sleep.
 */

const remote = (url: string) => ({ kind: 'remote', url }) as const;

interface SampleRow {
  queryid: string;
  query: string;
  times_seen: number;
}

let system: TestDatabase;
let target: TestDatabase;
/** Sessions a test opened on a target, ended after it. */
const sessions: pg.Client[] = [];

beforeAll(async () => {
  system = await createTestDatabase({ migrated: true });
  // A database without OptiSchema's schema, as a remote target is.
  target = await createTestDatabase();
  await target.pool.query(`create extension pg_stat_statements;
    create table sample_orders (id int primary key, customer_id int not null, note text);
    insert into sample_orders select g, g % 50, 'note ' || g from generate_series(1, 200) g`);
});
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.end().catch(() => undefined)));
});
afterAll(async () => {
  await Promise.all([system?.close(), target?.close()]);
});

/** A session of "the application": its own connection, named like an application's. */
async function session(url: string, applicationName = 'shop'): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName });
  await client.connect();
  sessions.push(client);
  return client;
}

async function samplesOf(targetId: string, like = '%'): Promise<SampleRow[]> {
  const { rows } = await system.pool.query<SampleRow>(
    `select queryid::text, query, times_seen from optischema.statement_samples
      where target_id = $1 and query like $2 order by last_seen_at desc, query`,
    [targetId, like],
  );
  return rows;
}

describe('a remote target', () => {
  it('stores the literal text of a statement another session is running, under the query id the history has', async () => {
    const { id } = await addEnvTarget(system.pool, target.url);
    await collectTarget({ system: system.pool }, id, remote(target.url));
    const holder = await session(target.url);
    await holder.query('begin');
    await holder.query('select id from sample_orders where id = 42 for update');
    const waiter = await session(target.url);
    const { rows: [{ pid }] } = await waiter.query('select pg_backend_pid() as pid');
    const text = 'select id, note from sample_orders where customer_id = 42 for update';
    const running = waiter.query(text);
    // Waiting on the holder's row lock: active, its query id known, until the holder ends.
    await waitFor('the waiting statement', async () =>
      (await target.pool.query(
        `select 1 from pg_stat_activity where pid = $1 and state = 'active' and wait_event_type = 'Lock' and query_id is not null`,
        [pid],
      )).rows[0],
    );
    await sampleActivity({ system: system.pool }, id, remote(target.url));
    await holder.query('rollback');
    await running;

    const stored = await samplesOf(id, '%customer_id = 42 for update');
    expect(stored).toEqual([{ queryid: expect.any(String), query: text, times_seen: 1 }]);
    // The workload joins samples to history by query id: both must name the statement alike.
    await collectTarget({ system: system.pool }, id, remote(target.url));
    const { rows: history } = await system.pool.query<{ queryid: string }>(
      `select distinct h.queryid::text from optischema.statement_history h join optischema.query_texts q using (target_id, queryid)
        where h.target_id = $1 and q.query like '%customer_id = $1 for update'`,
      [id],
    );
    expect(history).toEqual([{ queryid: stored[0]!.queryid }]);
    // And the counts of the same sample were stored as before.
    const { rows: counts } = await system.pool.query('select active, waiting from optischema.activity_samples where target_id = $1', [id]);
    expect(counts).toHaveLength(1);
    expect(counts[0].active).toBeGreaterThanOrEqual(1);
    expect(counts[0].waiting).toMatchObject({ 'Lock:transactionid': expect.any(Number) });
  });

  it('keeps at most 5 texts per query id, the most recently seen, each once', async () => {
    const { id } = await addEnvTarget(system.pool, target.url);
    const app = await session(target.url);
    const text = (n: number) => `select note from sample_orders where customer_id = ${n} and id > 0`;
    for (let n = 1; n <= 7; n++) {
      // Idle after it returned: pg_stat_activity keeps the statement and its query id.
      await app.query(text(n));
      await sampleActivity({ system: system.pool }, id, remote(target.url));
    }
    // Seen again: moved to the front, counted, not stored twice.
    await app.query(text(4));
    await sampleActivity({ system: system.pool }, id, remote(target.url));
    await sampleActivity({ system: system.pool }, id, remote(target.url));

    const stored = await samplesOf(id, '%and id > 0');
    expect(stored.map((row) => row.query)).toEqual([text(4), text(7), text(6), text(5), text(3)]);
    expect(new Set(stored.map((row) => row.queryid)).size).toBe(1);
    expect(stored.map((row) => row.times_seen)).toEqual([3, 1, 1, 1, 1]);
  });

  it('leaves out texts pg_stat_activity may have cut, several statements, $n texts, utility commands and OptiSchema sessions', async () => {
    const { id } = await addEnvTarget(system.pool, target.url);
    const { rows: [setting] } = await target.pool.query<{ size: number }>(
      `select setting::int as size from pg_settings where name = 'track_activity_query_size'`,
    );
    const size = setting!.size;
    const padded = (bytes: number) => {
      const head = `select id from sample_orders where note = '`;
      return `${head}${'x'.repeat(bytes - head.length - 1)}'`;
    };
    const fits = padded(size - 5);
    const cut = padded(size + 200);
    const texts: Record<string, [pg.Client, string, unknown[]?]> = {
      fits: [await session(target.url), fits],
      cut: [await session(target.url), cut],
      multi: [await session(target.url), 'select id from sample_orders where id = 7; select note from sample_orders where id = 8'],
      parameters: [await session(target.url), 'select note from sample_orders where id = $1 and customer_id >= 0', [9]],
      utility: [await session(target.url), `set work_mem = '8MB'`],
      ours: [await session(target.url, 'optischema-advisor'), 'select note from sample_orders where id = 10 and customer_id >= 0'],
    };
    for (const [client, text, params] of Object.values(texts)) await client.query(text, params);
    // The cut one really was cut, and each session is there with a query id.
    const { rows: seen } = await target.pool.query<{ application_name: string; length: number }>(
      `select application_name, octet_length(query) as length from pg_stat_activity
        where datname = current_database() and query_id is not null and state = 'idle' and application_name in ('shop', 'optischema-advisor')`,
    );
    expect(seen.length).toBeGreaterThanOrEqual(Object.keys(texts).length);
    expect(seen.map((row) => row.length)).toContain(size - 1);

    await sampleActivity({ system: system.pool }, id, remote(target.url));
    const stored = (await samplesOf(id)).map((row) => row.query);
    expect(stored).toContain(fits);
    const marks = { cut: cut.slice(0, size - 1), multi: 'id = 7', parameters: 'id = $1', utility: 'work_mem', ours: 'id = 10' };
    const found = Object.fromEntries(Object.entries(marks).map(([name, mark]) => [name, stored.filter((query) => query.includes(mark))]));
    expect(found).toEqual({ cut: [], multi: [], parameters: [], utility: [], ours: [] });
  });

  it('reads and stores nothing when the target does not keep literal samples, and forgets what it had when switched off', async () => {
    const { id } = await addEnvTarget(system.pool, target.url);
    const app = await session(target.url);
    await app.query('select note from sample_orders where customer_id = 11 and note is not null');
    await sampleActivity({ system: system.pool }, id, remote(target.url));
    expect(await samplesOf(id, '%note is not null')).toHaveLength(1);

    await system.pool.query('update optischema.targets set keep_literal_samples = false where id = $1', [id]);
    expect(await samplesOf(id)).toEqual([]);

    const sent: string[] = [];
    const recording: ConnectTarget = async (url) => {
      const real = await connectTarget(url);
      return { ...real, query: (text, params) => (sent.push(text), real.query(text, params)) };
    };
    await app.query('select note from sample_orders where customer_id = 12 and note is not null');
    await sampleActivity({ system: system.pool, connect: recording }, id, remote(target.url));
    expect(sent.some((text) => text.includes('optischema.read_activity'))).toBe(true);
    expect(sent.filter((text) => text.includes('read_statement_samples') || text.includes('query_id'))).toEqual([]);
    expect(await samplesOf(id)).toEqual([]);
    // The counts are still sampled.
    const { rows } = await system.pool.query('select count(*)::int as n from optischema.activity_samples where target_id = $1', [id]);
    expect(rows[0].n).toBe(2);

    // Texts handed to the recorder anyway (read before the switch) are refused by it.
    const { rows: [refused] } = await system.pool.query(
      `select optischema.record_statement_samples($1, now(), '[{"queryid": 1, "query": "select 1 from sample_orders where id = 1"}]') as n`,
      [id],
    );
    expect(refused.n).toBe(0);
    expect(await samplesOf(id)).toEqual([]);

    await system.pool.query('update optischema.targets set keep_literal_samples = true where id = $1', [id]);
    await sampleActivity({ system: system.pool }, id, remote(target.url));
    expect((await samplesOf(id, '%note is not null')).map((row) => row.query)).toEqual([
      'select note from sample_orders where customer_id = 12 and note is not null',
    ]);
  });

  it('deletes, on switch-off, the samples a recording in progress stores', async () => {
    const { id } = await addEnvTarget(system.pool, target.url);
    const recorder = await session(system.url);
    const switcher = await session(system.url);
    await recorder.query('begin');
    const { rows: [recorded] } = await recorder.query(
      `select optischema.record_statement_samples($1, now(), '[{"queryid": 5, "query": "select id from sample_orders where id = 5"}]') as n`,
      [id],
    );
    expect(recorded.n).toBe(1);
    const { rows: [{ pid }] } = await switcher.query('select pg_backend_pid() as pid');
    const switching = switcher.query('update optischema.targets set keep_literal_samples = false where id = $1', [id]);
    // The switch waits for the recording's lock, then sees (and deletes) what it committed.
    await waitFor('the switch to wait', async () =>
      (await system.pool.query(`select 1 from pg_stat_activity where pid = $1 and wait_event = 'advisory'`, [pid])).rows[0],
    );
    await recorder.query('commit');
    await switching;
    expect(await samplesOf(id)).toEqual([]);
  });

  it('lets no other tenant read the samples, and no API role write them', async () => {
    const { id } = await addEnvTarget(system.pool, target.url);
    const other = await addEnvTarget(system.pool, target.url);
    const app = await session(target.url);
    await app.query('select note from sample_orders where customer_id = 13 and id < 1000');
    await sampleActivity({ system: system.pool }, id, remote(target.url));
    const tenantOf = async (targetId: string) =>
      (await system.pool.query<{ tenant_id: string }>('select tenant_id from optischema.targets where id = $1', [targetId])).rows[0]!.tenant_id;
    const [mine, theirs] = [await tenantOf(id), await tenantOf(other.id)];
    const read = 'select query from optischema.statement_samples where query like $1';
    for (const role of ['viewer', 'analyst', 'admin'] as const) {
      expect(await asRole(system.pool, { role, tenantId: mine }, read, ['%id < 1000'])).toHaveLength(1);
      expect(await asRole(system.pool, { role, tenantId: theirs }, read, ['%'])).toEqual([]);
      for (const privilege of ['insert', 'update', 'delete', 'truncate']) {
        const { rows } = await system.pool.query('select has_table_privilege($1, $2, $3) as yes', [
          `optischema_${role}`,
          'optischema.statement_samples',
          privilege,
        ]);
        expect(rows[0].yes, `${role} ${privilege}`).toBe(false);
      }
    }
    // Writing as an API role with another tenant's id fails on the grant, RLS behind it.
    await expect(
      asRole(system.pool, { role: 'admin', tenantId: theirs }, `select optischema.record_statement_samples($1, now(), '[]')`, [id]),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('deletes samples past the target raw retention', async () => {
    const { id } = await addEnvTarget(system.pool, target.url);
    const app = await session(target.url);
    await app.query('select note from sample_orders where customer_id = 14 and id < 2000');
    await sampleActivity({ system: system.pool }, id, remote(target.url));
    await system.pool.query(`update optischema.statement_samples set last_seen_at = now() - interval '8 days' where target_id = $1`, [id]);
    const { rows } = await system.pool.query('select deleted_raw from optischema.apply_retention() where target_id = $1', [id]);
    expect(rows[0].deleted_raw).toBeGreaterThanOrEqual(1);
    expect(await samplesOf(id)).toEqual([]);
  });
});

describe('the local target (optischema.sample_activity())', () => {
  it('stores the text with the exact query id pg_stat_activity shows, and reads none when switched off', async () => {
    const { rows: [local] } = await system.pool.query<{ id: string }>('select optischema.local_target() as id');
    await system.pool.query('create table local_orders (id int primary key, customer_id int)');
    const app = await session(system.url);
    const text = 'select id from local_orders where customer_id = 77';
    await app.query(text);
    const { rows: [{ pid }] } = await app.query('select pg_backend_pid() as pid');
    await app.query(text);
    const { rows: [seen] } = await system.pool.query<{ query_id: string }>('select query_id::text from pg_stat_activity where pid = $1', [pid]);

    await system.pool.query('select optischema.sample_activity()');
    expect(await samplesOf(local!.id, '%customer_id = 77')).toEqual([{ queryid: seen!.query_id, query: text, times_seen: 1 }]);

    await system.pool.query('update optischema.targets set keep_literal_samples = false where id = $1', [local!.id]);
    await app.query('select id from local_orders where customer_id = 78');
    await system.pool.query('select optischema.sample_activity()');
    expect(await samplesOf(local!.id)).toEqual([]);
  });
});
