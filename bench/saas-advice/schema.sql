-- The second benchmark database: a multi-tenant project tracker ("SaaS") in schema saas, built only
-- by the saas-advice bench on its throwaway cluster.
--
-- Tables are created bare; data.sql fills them and keys.sql adds the keys and the few indexes an
-- application of this kind would already have, because one btree build over loaded rows is much
-- faster than maintaining it row by row.
--
-- What the advice cases rely on (keep true when the schema changes):
--   * Only primary keys, users.email (unique) and tasks (due_date, assignee_id) exist: every
--     foreign key and filter column of the cases is unindexed.
--   * tasks (due_date, assignee_id) has the right columns for "an assignee's tasks due in a
--     window" in the wrong order (the range column leads).
--   * "AuditEvents" is partitioned by month and spelled the way an ORM spells it: quoted,
--     camelCase table and column names.
--   * user_presence is the write-hot table (a heartbeat UPDATE per active user); fillfactor 70
--     leaves room on each page so those updates stay HOT while no index covers the columns set.
--   * Nullable columns with small NULL (or non-NULL) shares and rare booleans (data.sql).
-- No foreign-key constraints: they would add validation passes to the load and do not change what
-- the planner can do; the foreign keys are the *_id columns by name.

drop schema if exists saas cascade;
create schema saas;

create table saas.plans (
  id int not null,
  name text not null,
  monthly_price numeric(8, 2) not null,
  max_projects int
);

create table saas.accounts (
  id bigint not null,
  name text not null,
  plan_id int not null,
  -- As the customer typed it (capitals included): matched to users with lower() on both sides.
  billing_email text not null,
  settings jsonb not null,
  archived boolean not null,
  created_at timestamptz not null
);

create table saas.users (
  id bigint not null,
  account_id bigint not null,
  email text not null,
  full_name text not null,
  role text not null,
  -- {"locale", "theme", "sso_subject" (for users signing in through an identity provider)}
  settings jsonb not null,
  email_verified boolean not null,
  last_login_at timestamptz,
  deactivated_at timestamptz,
  created_at timestamptz not null
);

create table saas.projects (
  id bigint not null,
  account_id bigint not null,
  owner_id bigint not null,
  name text not null,
  archived boolean not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

create table saas.tasks (
  id bigint not null,
  account_id bigint not null,
  project_id bigint not null,
  assignee_id bigint,
  reporter_id bigint not null,
  title text not null,
  description text,
  status text not null,
  priority smallint not null,
  urgent boolean not null,
  archived boolean not null,
  due_date date,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  completed_at timestamptz,
  deleted_at timestamptz
);

create sequence saas.comments_id_seq;
create table saas.comments (
  id bigint not null default nextval('saas.comments_id_seq'),
  task_id bigint not null,
  author_id bigint not null,
  body text not null,
  moderated boolean not null,
  created_at timestamptz not null,
  edited_at timestamptz
);

create sequence saas."AuditEvents_id_seq";
create table saas."AuditEvents" (
  "id" bigint not null default nextval('saas."AuditEvents_id_seq"'),
  "accountId" bigint not null,
  "actorId" bigint,
  "eventType" text not null,
  "targetId" bigint,
  "payload" jsonb not null,
  "occurredAt" timestamptz not null
) partition by range ("occurredAt");

-- One partition per month of the two years of history (July 2023 to June 2025), one for the month
-- the workload's inserts land in, and a default one.
do $$
declare
  month date;
begin
  for month in select generate_series(date '2023-07-01', date '2025-07-01', interval '1 month')::date loop
    execute format('create table saas.%I partition of saas."AuditEvents" for values from (%L) to (%L)',
                   'AuditEvents_' || to_char(month, 'YYYY_MM'), month, (month + interval '1 month')::date);
  end loop;
end
$$;
create table saas."AuditEvents_default" partition of saas."AuditEvents" default;

create table saas.user_presence (
  user_id bigint not null,
  last_seen_at timestamptz not null,
  client text not null,
  heartbeat_count bigint not null
) with (fillfactor = 70);

-- The task board as the application reads it: live (not deleted) tasks with their project and
-- assignee names.
create view saas.task_board as
  select t.id, t.account_id, t.project_id, t.assignee_id, t.title, t.status, t.priority, t.due_date,
         p.name as project_name, u.full_name as assignee_name
    from saas.tasks t
    join saas.projects p on p.id = t.project_id
    left join saas.users u on u.id = t.assignee_id
   where t.deleted_at is null;
