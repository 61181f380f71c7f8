import pg from 'pg';
import type { Task } from 'graphile-worker';
import { TARGET_SESSION } from '../../collector/target-connection.ts';
import { capturePlans } from '../../plans/capture.ts';
import { AdviseQueryPayload, parsePayload } from '../payloads.ts';
import type { TargetTaskContext } from './periodic-target-task.ts';

/**
 * advise_query {target, queryid}: queued by optischema.find_slow_queries() for each newly slow query.
 *
 * Today it captures the query's plans (the generic plan of its $n text, and EXPLAIN ANALYZE when
 * real values are known and the statement is read-only: see sidecar/plans/capture.ts) into
 * optischema.query_plans. The index advisor (a later issue) adds its recommendations here. A
 * problem with one plan is logged and kept out of the way: the job completes, so a query that
 * cannot be planned does not retry forever.
 */
export function adviseQueryTask(context: TargetTaskContext): Task {
  return async (payload, helpers) => {
    const { target, queryid } = parsePayload(AdviseQueryPayload, 'advise_query', payload);
    const { rows } = await context.system.query<{ query: string }>(
      'select query from optischema.query_texts where target_id = $1 and queryid = $2',
      [target, queryid],
    );
    const location = await context.resolveTarget(target);
    if (!rows[0] || location === null) {
      helpers.logger.info(`advise_query: target ${target} or query ${queryid} is gone; nothing to do`);
      return;
    }
    const session = await openSession(context.system, location);
    try {
      const result = await capturePlans({ target: session.client, store: context.system, targetId: target, queryid, query: rows[0].query });
      const captured = [result.generic && 'generic', result.analyze && 'analyze'].filter(Boolean).join(' and ') || 'no';
      helpers.logger.info(`advise_query ${queryid}: ${captured} plan captured${result.errors.length ? `; ${result.errors.join('; ')}` : ''}`);
    } finally {
      await session.release();
    }
  };
}

/** A session on the target for planning: OptiSchema's own database for 'local', else a short-lived client. */
async function openSession(system: pg.Pool, location: string): Promise<{ client: pg.ClientBase; release(): Promise<void> }> {
  if (location === 'local') {
    const client = await system.connect();
    return { client, release: async () => client.release() };
  }
  const client = new pg.Client({
    connectionString: location,
    application_name: TARGET_SESSION.applicationName,
    connectionTimeoutMillis: TARGET_SESSION.connectTimeoutMs,
  });
  client.on('error', () => undefined);
  await client.connect();
  return { client, release: () => client.end() };
}
