import type pg from 'pg';
import type { Task } from 'graphile-worker';

/** apply_retention (hourly, from the crontab): optischema.apply_retention(), the function psql users call too. */
export function applyRetentionTask(system: pg.Pool): Task {
  return async (_payload, helpers) => {
    const { rows } = await system.query<{ target_id: string; rolled_up: number; deleted_raw: number; deleted_hourly: number }>(
      'select * from optischema.apply_retention()',
    );
    for (const row of rows.filter((r) => r.deleted_raw > 0 || r.deleted_hourly > 0)) {
      helpers.logger.info(
        `apply_retention ${row.target_id}: ${row.deleted_raw} raw rows deleted, ${row.rolled_up} hourly rows rolled up, ${row.deleted_hourly} hourly rows deleted`,
      );
    }
  };
}
