import type { Queryable } from '../database/queryable.ts';

/** The per-target tasks that reschedule themselves, and the targets column holding each one's period. */
export const PERIODIC_TASKS = {
  collect_target: 'snapshot_interval_s',
  sample_activity: 'activity_interval_s',
  advise_workload: 'workload_advice_interval_s',
  health_check: 'health_check_interval_s',
} as const;
export type PeriodicTask = keyof typeof PERIODIC_TASKS;

/**
 * How long after a target gets its job the first run is due, at most (its interval if shorter).
 * The workload advisor needs some collected history to work on: run at once on a fresh install it
 * would find nothing and then wait a whole interval (an hour by default).
 */
export const FIRST_RUN_DELAY_S: Record<PeriodicTask, number> = {
  collect_target: 0,
  sample_activity: 0,
  advise_workload: 300,
  // The statistics the advisors read (index scans, dead rows, activity) mean more after a while.
  health_check: 600,
};

/** One job key per task and target: graphile-worker keeps at most one pending job per key. */
export function jobKey(task: PeriodicTask, targetId: string): string {
  return `${task}:${targetId}`;
}

/**
 * Queues the next run of a periodic task, its target's interval from now (the database's clock,
 * the same one run_at is compared with).
 *
 * Called by the running job itself, which holds the same job key. graphile-worker's add_job then
 * takes the key off the running (locked) job and inserts a new one, so the key always names the
 * one pending run. Mode preserve_run_at: if something queued an earlier run meanwhile (a
 * "collect now"), that earlier time wins over the regular one. This must be the job's last step:
 * add_job also marks the running job as out of attempts, so it must complete, not throw, after.
 * A target deleted meanwhile gets no next run.
 */
export async function scheduleNextRun(db: Queryable, task: PeriodicTask, targetId: string): Promise<boolean> {
  // The column name comes from PERIODIC_TASKS (constants), never from input.
  const { rows } = await db.query(
    `select graphile_worker.add_job($1, json_build_object('targetId', t.id),
              run_at := now() + make_interval(secs => t.${PERIODIC_TASKS[task]}),
              job_key := $1 || ':' || t.id, job_key_mode := 'preserve_run_at')
       from optischema.targets t where t.id = $2`,
    [task, targetId],
  );
  return rows.length > 0;
}

/**
 * Makes sure every target has its pending collect_target, sample_activity, advise_workload and health_check jobs
 * (due now when missing; advise_workload FIRST_RUN_DELAY_S later), and returns how many were added.
 * Run on start and every minute (new targets).
 *
 * A job that exists, pending, running or waiting out a retry backoff, is left alone: re-adding it
 * would reset its backoff. One that graphile-worker gave up on (attempts = max_attempts, about 4
 * days of retries) is deleted and queued afresh, so a target that comes back is collected again.
 */
export async function scheduleMissingRuns(db: Queryable): Promise<number> {
  const tasks = Object.keys(PERIODIC_TASKS) as PeriodicTask[];
  await db.query(
    `select count(*) from graphile_worker.complete_jobs(array(
       select j.id from graphile_worker.jobs j
        where j.task_identifier = any($1::text[])
          and j.attempts >= j.max_attempts and j.locked_at is null))`,
    [tasks],
  );
  const { rows } = await db.query<{ added: number }>(
    `select count(graphile_worker.add_job(w.task, json_build_object('targetId', w.id), job_key := w.key,
                                          run_at := now() + make_interval(secs => w.delay_s),
                                          job_key_mode := 'preserve_run_at'))::int as added
       from (select k.task, t.id, k.task || ':' || t.id as key,
                    least(k.delay_s, case k.task when 'advise_workload' then t.workload_advice_interval_s
                                              when 'health_check' then t.health_check_interval_s else k.delay_s end) as delay_s
               from optischema.targets t
               cross join unnest($1::text[], $2::int[]) k(task, delay_s)) w
      where not exists (select from graphile_worker.jobs j where j.key = w.key and j.attempts < j.max_attempts)`,
    [tasks, tasks.map((task) => FIRST_RUN_DELAY_S[task])],
  );
  return rows[0]?.added ?? 0;
}
