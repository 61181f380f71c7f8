import type pg from 'pg';

/**
 * Literal values read from the loaded SaaS data, so that the cases name rows that exist (a task
 * with a few comments, a project with about fifty tasks). The load is deterministic, so the same
 * scale gives the same values. Ids come back as text (bigint).
 */
export interface SaasSample {
  /** A recent task with 3 to 6 comments. */
  taskWithComments: string;
  /** A project with 40 to 80 tasks, and the project with the most tasks. */
  midProject: string;
  bigProject: string;
  /** A user with 15 to 25 assigned tasks, and five more for an IN list. */
  assignee: string;
  assignees: string[];
  /** An account with 3 to 5 projects (LATERAL per project stays cheap to run). */
  smallAccount: string;
  /** `first.last` plus the first digit of the id: a LIKE prefix matching a few dozen users. */
  emailPrefix: string;
  /** settings->>'sso_subject' of one user. */
  ssoSubject: string;
  /** A task id that audit events name as their target. */
  auditTarget: string;
  taskId: string;
  /** An existing email, served by users_email_key. */
  email: string;
}

const SAMPLE_SQL = `
with comment_counts as (
  select task_id from saas.comments
   where task_id > (select max(id) * 0.9 from saas.tasks)
   group by task_id having count(*) between 3 and 6
), assignees as (
  select assignee_id from saas.tasks where assignee_id is not null
   group by assignee_id having count(*) between 15 and 25
   order by assignee_id offset 30 limit 6
), project_sizes as (
  select project_id, count(*) as n from saas.tasks group by project_id
)
select
  (select task_id::text from comment_counts order by task_id limit 1) as task_with_comments,
  (select project_id::text from project_sizes where n between 40 and 80 order by project_id offset 10 limit 1) as mid_project,
  (select project_id::text from project_sizes order by n desc, project_id limit 1) as big_project,
  (select array_agg(assignee_id::text order by assignee_id) from assignees) as assignees,
  (select account_id::text from saas.projects group by account_id having count(*) between 3 and 5 order by account_id offset 5 limit 1) as small_account,
  (select split_part(email, '@', 1) from saas.users where id > (select max(id) / 2 from saas.users) and role <> 'owner' order by id limit 1) as local_part,
  (select settings->>'sso_subject' from saas.users where settings ? 'sso_subject' order by id offset 100 limit 1) as sso_subject,
  (select "targetId"::text from saas."AuditEvents" order by "id" offset 1000 limit 1) as audit_target,
  (select (max(id) * 2 / 5)::text from saas.tasks) as task_id,
  (select email from saas.users where role = 'member' order by id offset 500 limit 1) as email`;

interface SampleRow {
  task_with_comments: string | null;
  mid_project: string | null;
  big_project: string | null;
  assignees: string[] | null;
  small_account: string | null;
  local_part: string | null;
  sso_subject: string | null;
  audit_target: string | null;
  task_id: string | null;
  email: string | null;
}

/** Reads the sample; throws when the data is too small to give every value. */
export async function loadSaasSample(db: pg.ClientBase): Promise<SaasSample> {
  const { rows } = await db.query<SampleRow>(SAMPLE_SQL);
  const row = rows[0];
  const assignees = row?.assignees ?? [];
  if (!row || assignees.length < 6 || !row.task_with_comments || !row.mid_project || !row.big_project || !row.small_account
    || !row.local_part || !row.sso_subject || !row.audit_target || !row.task_id || !row.email) {
    throw new Error('the SaaS data is too small for the advice cases: load a larger --scale');
  }
  // local part "jonas.nowak30001" → prefix "jonas.nowak3": the name and the id's first digit.
  const digits = row.local_part.match(/\d+$/)?.[0] ?? '';
  return {
    taskWithComments: row.task_with_comments,
    midProject: row.mid_project,
    bigProject: row.big_project,
    assignee: assignees[0]!,
    assignees: assignees.slice(1, 6),
    smallAccount: row.small_account,
    emailPrefix: row.local_part.slice(0, row.local_part.length - digits.length) + digits.slice(0, 1),
    ssoSubject: row.sso_subject,
    auditTarget: row.audit_target,
    taskId: row.task_id,
    email: row.email,
  };
}
