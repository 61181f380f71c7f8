/**
 * The SaaS application's workload: 25 statements with their calls per run, each call with its own
 * literals, and the hand-worked best index set for the whole workload.
 *
 * Most statements are sent as literal text, as many applications do; pg_stat_statements stores one
 * normalized text per statement with `$n` for every constant (LIMIT 50 included). Two are sent with
 * bind parameters, as an ORM sends them: the range join (`t.id between $1 and $1 + 50`, stored as
 * `$1 + $2`) and the sign-in lookup. Each ends with a sqlcommenter-style tag naming its action, by
 * which the bench finds it again in pg_stat_statements.
 *
 * The best known set (BEST_WORKLOAD_SET) was worked out per statement and then merged: one index per
 * access path, shared where a statement's best index is a prefix-compatible answer for another
 * (tasks (assignee_id, due_date) serves "my open tasks" ordered by due date and "overdue";
 * comments (task_id) serves a task's comments and the range join; tasks (project_id, status,
 * updated_at) serves the open-task count, the LATERAL statistics and the project board). Each index was then checked
 * with hypopg over the normalized statements (generic plans, Σ calls × cost): removing any one of
 * them raises the total (the bench prints each index's share, workload-cost.ts), and the write-hot
 * user_presence gets none: its one read saves less than the heartbeat updates would pay (index
 * entries, and HOT updates lost as last_seen_at is the column updated).
 *
 * Calls per run: thousands (80,000 for the heartbeat) for the key lookups, which cost well under a
 * millisecond; 20 to 150 for the statements that scan tasks or comments without an index (about
 * 150 ms each at scale 1 alone on 2 cores, nearer 400 ms with two sessions and their parallel
 * workers sharing them), so that one run takes about four minutes. Only the calls' ratios matter
 * to the advisor and to the workload cost; `--calls` scales them all.
 *
 * Literals use the data's clock: "now" is 2025-07-01 00:00 UTC, the end of the loaded history.
 */
import pg from 'pg';
import { pickOne, type Draw } from '../../sidecar/demo/random.ts';
import type { SaasSizes } from './load.ts';

export interface WorkloadContext {
  sizes: SaasSizes;
  /** Accounts with 3 to 5 projects: the LATERAL statement runs a scan per project without an index. */
  smallAccounts: string[];
}

export type Call = string | { text: string; values: unknown[] };

export interface WorkloadStatementSpec {
  /** The sqlcommenter tag, e.g. task_board. */
  action: string;
  /** Calls per run at --calls 1. */
  calls: number;
  make(draw: Draw, ctx: WorkloadContext): Call;
  /** The indexes of BEST_WORKLOAD_SET that serve it (none: served as it is, or nothing helps). */
  best: string[];
  why: string;
}

/**
 * The write-hot table. Its heartbeat UPDATE runs 80,000 times a run, each a HOT update while no
 * index covers last_seen_at; its one read ("who is online", 300 calls of about 9 ms) would be cut
 * by about 90 % with an index on last_seen_at: about 2.3 s saved. That index would end the HOT
 * updates: each heartbeat then writes an entry in every index of the table, at least 80,000 × 0.05
 * ms = 4 s by the advisor's own write model (plv8/advisor/workload/writes.ts), more for a DBA who
 * counts the second entry (the primary key's) and the bloat. The read alone is worth an index (it
 * passes the advisor's 20 % and 0.3 %-of-the-workload thresholds: the bench's control run with
 * writes free shows it), the writes are not.
 */
export const WRITE_TRAP_TABLE = 'saas.user_presence';

const lit = (value: string) => pg.escapeLiteral(value);
const id = (draw: Draw, max: number) => 1 + Math.floor(draw() * max);
const STATUSES = ['open', 'in_progress', 'review', 'blocked'];
/** 2025-07-01 00:00 UTC plus `seconds`, as a timestamptz literal. */
const at = (seconds: number) => lit(new Date(Date.UTC(2025, 6, 1) + seconds * 1000).toISOString());
const daysAgo = (days: number) => at(-days * 86400);
const tag = (action: string) => ` /*action='${action}'*/`;

const IDX = {
  tasksAssigneeDue: 'create index on saas.tasks (assignee_id, due_date)',
  tasksProjectStatusUpdated: 'create index on saas.tasks (project_id, status, updated_at)',
  tasksStatusUpdated: 'create index on saas.tasks (status, updated_at)',
  tasksUnassigned: 'create index on saas.tasks (status, created_at) where assignee_id is null',
  tasksTrash: 'create index on saas.tasks (account_id, deleted_at) where deleted_at is not null',
  commentsTask: 'create index on saas.comments (task_id)',
  commentsAuthorCreated: 'create index on saas.comments (author_id, created_at)',
  commentsCreatedCovering: 'create index on saas.comments (created_at) include (author_id)',
  projectsAccountUpdated: 'create index on saas.projects (account_id, updated_at)',
  usersAccountName: 'create index on saas.users (account_id, full_name)',
  auditAccountOccurred: 'create index on saas."AuditEvents" ("accountId", "occurredAt")',
} as const;

export const WORKLOAD: WorkloadStatementSpec[] = [
  {
    action: 'task_board', calls: 120, best: [IDX.tasksProjectStatusUpdated],
    make: (d, c) => `select id, title, status, priority, due_date from saas.tasks where project_id = ${id(d, c.sizes.projects)} and deleted_at is null order by created_at desc limit 50${tag('task_board')}`,
    why: 'a project’s board, newest first: about 50 tasks per project, sorting them is cheap, so the project_id prefix of (project_id, status, updated_at) serves (a (project_id, created_at) beside it saved 0.03 % of the workload’s cost)',
  },
  {
    action: 'my_open_tasks', calls: 400, best: [IDX.tasksAssigneeDue],
    make: (d, c) => `select id, title, status, due_date from saas.tasks where assignee_id = ${id(d, c.sizes.users)} and status <> 'done' order by due_date nulls last limit 100${tag('my_open_tasks')}`,
    why: 'equality then the sort key (ASC NULLS LAST is the btree default)',
  },
  {
    action: 'task_by_id', calls: 3000, best: [],
    make: (d, c) => `select id, title, description, status, assignee_id, due_date from saas.tasks where id = ${id(d, c.sizes.tasks)}${tag('task_by_id')}`,
    why: 'tasks_pkey',
  },
  {
    action: 'task_comments', calls: 150, best: [IDX.commentsTask],
    make: (d, c) => `select id, author_id, body, created_at from saas.comments where task_id = ${id(d, c.sizes.tasks)} order by created_at${tag('task_comments')}`,
    why: 'one or two comments per task: sorting them costs nothing, (task_id) alone serves',
  },
  {
    action: 'comments_of_task_range', calls: 60, best: [IDX.commentsTask],
    make: (d, c) => ({
      text: `select t.id, t.title, c.id as comment_id, c.created_at from saas.tasks t join saas.comments c on c.task_id = t.id where t.id between $1 and $1 + 50${tag('comments_of_task_range')}`,
      values: [id(d, c.sizes.tasks - 50)],
    }),
    why: '51 tasks by their key, then their comments by a nested loop; the generic plan sees a default 0.5 % range, so the estimated gain is small',
  },
  {
    action: 'account_projects', calls: 2000, best: [IDX.projectsAccountUpdated],
    make: (d, c) => `select id, name, updated_at from saas.projects where account_id = ${id(d, c.sizes.accounts)} and not archived order by updated_at desc limit 20${tag('account_projects')}`,
    why: 'the sidebar: an account’s projects, last updated first',
  },
  {
    action: 'account_members', calls: 1000, best: [IDX.usersAccountName],
    make: (d, c) => `select id, full_name, email, role from saas.users where account_id = ${id(d, c.sizes.accounts)} and deactivated_at is null order by full_name limit 100${tag('account_members')}`,
    why: 'the members page, by name',
  },
  {
    action: 'user_by_email', calls: 2000, best: [],
    make: (d, c) => ({ text: `select id, account_id, full_name, role from saas.users where email = $1${tag('user_by_email')}`, values: [`owner@acct${id(d, c.sizes.accounts)}.example`] }),
    why: 'sign-in: users_email_key',
  },
  {
    action: 'audit_log', calls: 100, best: [IDX.auditAccountOccurred],
    make: (d, c) => `select "id", "eventType", "actorId", "occurredAt" from saas."AuditEvents" where "accountId" = ${id(d, c.sizes.accounts)} order by "occurredAt" desc limit 50${tag('audit_log')}`,
    why: 'an account’s audit log: one index on the partitioned table, the partitions read in order',
  },
  {
    action: 'audit_insert', calls: 1000, best: [],
    make: (d, c) =>
      `insert into saas."AuditEvents" ("accountId", "actorId", "eventType", "targetId", "payload", "occurredAt") values ` +
      `(${id(d, c.sizes.accounts)}, ${id(d, c.sizes.users)}, 'task.updated', ${id(d, c.sizes.tasks)}, '{"via": "web"}', ${at(Math.floor(d() * 86400))})${tag('audit_insert')}`,
    why: 'every change is logged: the partitioned table is written a thousand times a run',
  },
  {
    action: 'presence_heartbeat', calls: 80000, best: [],
    make: (d, c) => `update saas.user_presence set last_seen_at = ${at(Math.floor(d() * 3600))}, heartbeat_count = heartbeat_count + 1 where user_id = ${id(d, c.sizes.users)}${tag('presence_heartbeat')}`,
    why: 'the write-hot table: by its key, a HOT update while no index covers last_seen_at',
  },
  {
    action: 'presence_online', calls: 300, best: [],
    make: (d) => `select user_id, client from saas.user_presence where last_seen_at >= ${at(3000 + Math.floor(d() * 600))} order by last_seen_at desc limit 200${tag('presence_online')}`,
    why: 'the write trap: the users seen in the last minutes of the run’s hour, newest first; see WRITE_TRAP_TABLE',
  },
  {
    action: 'overdue', calls: 200, best: [IDX.tasksAssigneeDue],
    make: (d, c) => `select id, title, due_date from saas.tasks where assignee_id = ${id(d, c.sizes.users)} and due_date < '2025-07-01' and completed_at is null${tag('overdue')}`,
    why: 'the existing (due_date, assignee_id) leads with the range; (assignee_id, due_date) reads one user’s',
  },
  {
    action: 'comment_feed', calls: 120, best: [IDX.commentsAuthorCreated],
    make: (d, c) => `select id, task_id, body, created_at from saas.comments where author_id = ${id(d, c.sizes.users)} order by created_at desc limit 20${tag('comment_feed')}`,
    why: 'a user’s latest comments',
  },
  {
    action: 'blocked_recent', calls: 60, best: [IDX.tasksStatusUpdated],
    make: (d) => `select id, title, project_id, updated_at from saas.tasks where status = 'blocked' and updated_at >= ${daysAgo(1 + Math.floor(d() * 7))} order by updated_at desc${tag('blocked_recent')}`,
    why: 'blocked is 2 %; the generic plan sees status = $1 as one status in six, so the estimated gain is modest',
  },
  {
    action: 'project_stats', calls: 20, best: [IDX.tasksProjectStatusUpdated, IDX.projectsAccountUpdated],
    make: (d, c) =>
      `select p.id, p.name, s.open_tasks, s.last_update from saas.projects p cross join lateral ` +
      `(select count(*) as open_tasks, max(t.updated_at) as last_update from saas.tasks t where t.project_id = p.id and t.status = 'open') s ` +
      `where p.account_id = ${pickOne(c.smallAccounts, d)}${tag('project_stats')}`,
    why: 'a scan of tasks per project without an index; (project_id, status, updated_at) answers from the index alone',
  },
  {
    action: 'comments_per_day', calls: 30, best: [IDX.commentsCreatedCovering],
    make: (d) => {
      const from = 1 + Math.floor(d() * 20);
      return `select date_trunc('day', created_at) as day, count(*), count(distinct author_id) from saas.comments where created_at >= ${daysAgo(from + 7)} and created_at < ${daysAgo(from)} group by 1 order by 1${tag('comments_per_day')}`;
    },
    why: 'a week of scattered comments: covering makes it an index-only scan',
  },
  {
    action: 'unassigned_queue', calls: 60, best: [IDX.tasksUnassigned],
    make: (d) => `select id, title, created_at from saas.tasks where assignee_id is null and status = ${lit(pickOne(STATUSES, d))} order by created_at limit 50${tag('unassigned_queue')}`,
    why: 'status becomes $1, IS NULL stays: a partial index on the unassigned 2 %, by status then time',
  },
  {
    action: 'task_update', calls: 500, best: [],
    make: (d, c) => `update saas.tasks set status = ${lit(pickOne(STATUSES, d))}, updated_at = ${at(Math.floor(d() * 3600))} where id = ${id(d, c.sizes.tasks)}${tag('task_update')}`,
    why: 'by its key; every index on tasks pays for these writes',
  },
  {
    action: 'comment_insert', calls: 300, best: [],
    make: (d, c) => `insert into saas.comments (task_id, author_id, body, moderated, created_at) values (${id(d, c.sizes.tasks)}, ${id(d, c.sizes.users)}, 'Looks good to me.', true, ${at(Math.floor(d() * 3600))})${tag('comment_insert')}`,
    why: 'new comments',
  },
  {
    action: 'account_by_id', calls: 2000, best: [],
    make: (d, c) => `select id, name, plan_id, settings from saas.accounts where id = ${id(d, c.sizes.accounts)}${tag('account_by_id')}`,
    why: 'accounts_pkey',
  },
  {
    action: 'project_open_count', calls: 120, best: [IDX.tasksProjectStatusUpdated],
    make: (d, c) => `select count(*) from saas.tasks where project_id = ${id(d, c.sizes.projects)} and status = 'open'${tag('project_open_count')}`,
    why: 'an index-only count on the (project_id, status, …) prefix',
  },
  {
    action: 'due_this_week', calls: 200, best: [],
    make: (d) => {
      const day = Math.floor(d() * 30);
      return `select id, title, assignee_id from saas.tasks where due_date between ${lit(isoDay(day))} and ${lit(isoDay(day + 7))} and status <> 'done'${tag('due_this_week')}`;
    },
    why: 'served by the existing (due_date, assignee_id)',
  },
  {
    action: 'account_trash', calls: 30, best: [IDX.tasksTrash],
    make: (d, c) => `select id, title, deleted_at from saas.tasks where account_id = ${id(d, c.sizes.accounts)} and deleted_at is not null order by deleted_at desc limit 50${tag('account_trash')}`,
    why: 'an account’s deleted tasks, 3 % of its tasks: a partial index on the deleted ones',
  },
  {
    action: 'user_comments_count', calls: 80, best: [IDX.commentsAuthorCreated],
    make: (d, c) => `select count(*) from saas.comments where author_id = ${id(d, c.sizes.users)} and created_at >= ${daysAgo(30)}${tag('user_comments_count')}`,
    why: 'the profile’s activity count, index-only on (author_id, created_at)',
  },
];

/** The hand-worked best set for the whole workload: the distinct union of the statements' `best`. */
export const BEST_WORKLOAD_SET: string[] = [...new Set(WORKLOAD.flatMap((s) => s.best))];

function isoDay(offset: number): string {
  return new Date(Date.UTC(2025, 5, 1) + offset * 86400_000).toISOString().slice(0, 10);
}
