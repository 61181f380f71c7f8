import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorWorkload, statStatementsWorkload } from '../../plv8/advisor/workload/source.ts';
import { runStep } from '../../sidecar/advisor/run-step.ts';
import { collectTarget } from '../../sidecar/collector/collect-target.ts';
import { sampleActivity } from '../../sidecar/collector/sample-activity.ts';
import { addEnvTarget } from '../collector/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * The collector's workload source hands the advisor each statement's literal samples (migration
 * 0013), newest first, next to its normalized text; a statement without samples has none.
 */
describe('collectorWorkload: statement samples', () => {
  let system: TestDatabase;
  let target: TestDatabase;
  let app: pg.Client;
  let targetId: string;
  beforeAll(async () => {
    system = await createTestDatabase({ migrated: true });
    target = await createTestDatabase();
    await target.pool.query(`create extension pg_stat_statements;
      create table sampled_orders (id int primary key, customer_id int not null, placed_on date not null);
      insert into sampled_orders select g, g % 100, date '2026-01-01' + g % 300 from generate_series(1, 1000) g`);
    targetId = (await addEnvTarget(system.pool, target.url)).id;
    app = new pg.Client({ connectionString: target.url, application_name: 'shop' });
    await app.connect();
  });
  afterAll(async () => {
    await app?.end();
    await Promise.all([system?.close(), target?.close()]);
  });

  it('puts the sampled literal texts on their statement, newest first', async () => {
    const remote = { kind: 'remote', url: target.url } as const;
    await collectTarget({ system: system.pool }, targetId, remote);
    const texts = [7, 19, 42].map((customer) => `select id, placed_on from sampled_orders where customer_id = ${customer}`);
    for (const text of texts) {
      await app.query(text);
      // The session is idle on its statement: the sample sees it.
      await sampleActivity({ system: system.pool }, targetId, remote);
    }
    // Run with its value sent apart: sampled as `$1`, so it has no samples.
    for (let i = 0; i < 3; i++) await app.query('select count(*) from sampled_orders where placed_on > $1', ['2026-03-01']);
    await sampleActivity({ system: system.pool }, targetId, remote);
    await collectTarget({ system: system.pool }, targetId, remote);

    const workload = await runStep(collectorWorkload(targetId, '1 hour'), system.pool);
    const sampled = workload.statements.find((s) => s.query.includes('customer_id = $1'));
    expect(sampled).toMatchObject({ calls: 3, samples: [...texts].reverse() });
    const unsampled = workload.statements.find((s) => s.query.includes('placed_on > $1'));
    expect(unsampled).toBeDefined();
    expect(unsampled).not.toHaveProperty('samples');
  });

  it('has no samples from pg_stat_statements, which cannot know them', async () => {
    const workload = await runStep(statStatementsWorkload(), target.pool);
    expect(workload.statements.length).toBeGreaterThan(0);
    expect(workload.statements.filter((s) => 'samples' in s)).toEqual([]);
  });
});
