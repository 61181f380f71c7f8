-- Fills the tables of schema.sql with two years of a multi-tenant project tracker's history.
--
-- Deterministic: one session calls setseed() and then INSERT … SELECT statements only (never run in
-- parallel), so random() is drawn in the same order and the same sizes give the same rows. Ids are
-- computed from generate_series, never taken from a sequence.
--
-- The loader sets these session settings first (load.ts): bench_saas.accounts, bench_saas.users,
-- bench_saas.projects, bench_saas.tasks, bench_saas.comments, bench_saas.audit_events (row counts).
-- History spans 2023-07-01 to 2025-07-01 (fixed, not now()), in epoch seconds 1688169600 to
-- 1751328000 (span 63158400 s).
--
-- Shares the cases and their known best indexes rely on (cases.ts, workload.ts):
--   accounts  the first five are the big enterprise tenants; an account's share of users, projects
--             and audit events falls off as a power law (floor(n × random()^k)), so account 1 holds
--             about 8 % of the users and 5 % of the projects, and the median account a dozen users;
--             1 % archived; billing_email typed with capitals.
--   users     owner of account n is user n (owner@acctN.example); 2 % unverified emails, 12 % never
--             signed in (last_login_at NULL), 3 % deactivated, 40 % with settings->>'sso_subject'.
--   projects  3 % archived.
--   tasks     status done 70 %, open 20 %, in_progress 5 %, review 2.5 %, blocked 2 %, cancelled 0.5 %;
--             assignee_id NULL 2 % (unassigned), due_date NULL 40 %, deleted_at set for 3 %, urgent 1 %,
--             archived 1.5 %; ids follow created_at; a project's share falls off as random()^1.5.
--   comments  on newer tasks more often; created_at does not follow id (a comment's id says nothing
--             about its time, so a range over created_at visits scattered heap pages); 1 % not yet
--             moderated, 10 % edited.
--   AuditEvents  append-only, ids follow "occurredAt"; "eventType" task.updated 50 %, comment.created
--             25 %, task.created 15 %, user.login 8 %, then rarer kinds.
--   user_presence  one row per user.
--
-- Patterns, as in the demo's data.sql: a subquery whose target list calls random() is not merged
-- into its parent, so every draw happens exactly once per row; times are epoch float8 converted
-- once with to_timestamp().
--
-- A line "-- step: NAME" starts a step; the loader runs the steps one by one to report progress.

-- step: seed
select setseed(0.20250701);

-- step: plans
insert into saas.plans (id, name, monthly_price, max_projects)
values (1, 'free', 0, 3), (2, 'team', 12, 50), (3, 'business', 29, 500), (4, 'enterprise', 79, null);

-- step: accounts
insert into saas.accounts (id, name, plan_id, billing_email, settings, archived, created_at)
select
  g,
  (array['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Wonka', 'Tyrell', 'Soylent'])[1 + g % 10] || ' ' || g,
  case when g <= 5 then 4 when r_plan < 0.6 then 1 when r_plan < 0.9 then 2 when r_plan < 0.98 then 3 else 4 end,
  'Owner@Acct' || g || '.Example',
  jsonb_build_object('region', (array['us-east', 'us-east', 'us-east', 'eu-west', 'eu-west', 'ap-south'])[1 + floor(r_region * 6)::int],
                     'sso', r_sso < 0.3, 'seats', 1 + floor(r_seats * 50)::int),
  r_archived < 0.01,
  to_timestamp(1688169600 + (g - 1 + r_time) / n * 47368800)
from (
  select g, current_setting('bench_saas.accounts')::float8 as n,
         random() as r_plan, random() as r_region, random() as r_sso, random() as r_seats, random() as r_archived, random() as r_time
    from generate_series(1, current_setting('bench_saas.accounts')::int) g
) s;

-- step: users
insert into saas.users (id, account_id, email, full_name, role, settings, email_verified, last_login_at, deactivated_at, created_at)
select
  g,
  account_id,
  case when g <= accounts then 'owner@acct' || account_id || '.example' else first_name || '.' || last_name || g || '@acct' || account_id || '.example' end,
  initcap(first_name || ' ' || last_name),
  case when g <= accounts then 'owner' when r_role < 0.05 then 'admin' when r_role < 0.20 then 'guest' else 'member' end,
  jsonb_build_object('locale', (array['en', 'en', 'en', 'de', 'fr', 'ja', 'es'])[1 + floor(r_locale * 7)::int],
                     'theme', case when r_theme < 0.3 then 'dark' else 'light' end)
    || case when r_sso < 0.4 then jsonb_build_object('sso_subject', 'idp|' || md5(g::text)) else '{}'::jsonb end,
  r_verified >= 0.02,
  case when r_login >= 0.12 then to_timestamp(1751328000 - r_login_age * r_login_age * 7776000) end,
  case when r_deactivated < 0.03 then to_timestamp(1751328000 - r_login_age * 31536000) end,
  to_timestamp(1688169600 + (g - 1 + r_time) / users * 63158400)
from (
  select g, accounts, users,
         case when g <= accounts then g else 1 + floor(accounts * r_account ^ 3)::bigint end as account_id,
         (array['anna', 'ben', 'carla', 'david', 'emma', 'felix', 'grace', 'hugo', 'ines', 'jonas', 'kim', 'liam',
                'maria', 'noah', 'olga', 'paul', 'rosa', 'sam', 'tara', 'vera'])[1 + floor(r_first * 20)::int] as first_name,
         (array['smith', 'jones', 'muller', 'garcia', 'rossi', 'dubois', 'nowak', 'jansen', 'silva', 'kowalski',
                'brown', 'olsen', 'murphy', 'fischer', 'tanaka'])[1 + floor(r_last * 15)::int] as last_name,
         r_role, r_locale, r_theme, r_sso, r_verified, r_login, r_login_age, r_deactivated, r_time
    from (
      select g, current_setting('bench_saas.accounts')::int as accounts, current_setting('bench_saas.users')::float8 as users,
             random() as r_account, random() as r_first, random() as r_last, random() as r_role, random() as r_locale,
             random() as r_theme, random() as r_sso, random() as r_verified, random() as r_login, random() as r_login_age,
             random() as r_deactivated, random() as r_time
        from generate_series(1, current_setting('bench_saas.users')::int) g
    ) d
) s;

-- step: projects
insert into saas.projects (id, account_id, owner_id, name, archived, created_at, updated_at)
select
  g,
  1 + floor(accounts * r_account ^ 2.5)::bigint,
  1 + floor(users * r_owner)::bigint,
  (array['Apollo', 'Borealis', 'Cobalt', 'Delta', 'Ember', 'Falcon', 'Granite', 'Harbor', 'Iris', 'Juniper'])[1 + floor(r_name * 10)::int]
    || ' ' || (array['website', 'mobile app', 'launch', 'migration', 'onboarding', 'billing', 'research', 'support'])[1 + floor(r_kind * 8)::int]
    || ' ' || g,
  r_archived < 0.03,
  to_timestamp(created),
  to_timestamp(created + r_updated * (1751328000 - created))
from (
  select g, accounts, users, r_account, r_owner, r_name, r_kind, r_archived, r_updated,
         1688169600 + (g - 1 + r_time) / projects * 63158400 as created
    from (
      select g, current_setting('bench_saas.accounts')::int as accounts, current_setting('bench_saas.users')::int as users,
             current_setting('bench_saas.projects')::float8 as projects,
             random() as r_account, random() as r_owner, random() as r_name, random() as r_kind, random() as r_archived,
             random() as r_updated, random() as r_time
        from generate_series(1, current_setting('bench_saas.projects')::int) g
    ) d
) s;

-- step: tasks
-- The project's account is looked up with a hash join on the bare projects table (no keys yet).
insert into saas.tasks (id, account_id, project_id, assignee_id, reporter_id, title, description, status, priority, urgent,
                        archived, due_date, created_at, updated_at, completed_at, deleted_at)
select
  s.g,
  p.account_id,
  s.project_id,
  case when s.r_assignee >= 0.02 then 1 + floor(s.users * s.r_assignee_id)::bigint end,
  1 + floor(s.users * s.r_reporter)::bigint,
  (array['Fix', 'Write', 'Review', 'Update', 'Design', 'Test', 'Plan', 'Ship'])[1 + floor(s.r_verb * 8)::int] || ' '
    || (array['login page', 'invoice export', 'release notes', 'API docs', 'search', 'onboarding email', 'dashboard', 'permissions',
              'mobile layout', 'billing webhook'])[1 + floor(s.r_object * 10)::int] || ' #' || s.g,
  case when s.r_description < 0.6 then repeat(md5(s.g::text), 2) end,
  s.status,
  1 + floor(4 * s.r_priority ^ 2)::smallint,
  s.r_urgent < 0.01,
  s.r_archived < 0.015,
  case when s.r_due >= 0.4 then to_timestamp(s.created + (s.r_due_offset * 60 - 10) * 86400)::date end,
  to_timestamp(s.created),
  to_timestamp(s.updated),
  case when s.status in ('done', 'cancelled') then to_timestamp(s.updated) end,
  case when s.r_deleted < 0.03 then to_timestamp(s.updated) end
from (
  select d.*, d.created + d.r_updated * (1751328000 - d.created) as updated,
         case when d.r_status < 0.70 then 'done' when d.r_status < 0.90 then 'open' when d.r_status < 0.95 then 'in_progress'
              when d.r_status < 0.975 then 'review' when d.r_status < 0.995 then 'blocked' else 'cancelled' end as status
    from (
      select g, users, 1 + floor(projects * r_project ^ 1.5)::bigint as project_id,
             1688169600 + (g - 1 + r_time) / tasks * 63158400 as created,
             r_assignee, r_assignee_id, r_reporter, r_verb, r_object, r_description, r_status, r_priority, r_urgent, r_archived,
             r_due, r_due_offset, r_updated, r_deleted
        from (
          select g, current_setting('bench_saas.users')::int as users, current_setting('bench_saas.projects')::int as projects,
                 current_setting('bench_saas.tasks')::float8 as tasks,
                 random() as r_project, random() as r_time, random() as r_assignee, random() as r_assignee_id, random() as r_reporter,
                 random() as r_verb, random() as r_object, random() as r_description, random() as r_status, random() as r_priority,
                 random() as r_urgent, random() as r_archived, random() as r_due, random() as r_due_offset, random() as r_updated,
                 random() as r_deleted
            from generate_series(1, current_setting('bench_saas.tasks')::int) g
        ) r
    ) d
) s
join saas.projects p on p.id = s.project_id;

-- step: comments
-- A comment's time is its task's creation time (computed from the task id as the tasks step does,
-- without the jitter) plus up to 30 days, skewed early.
insert into saas.comments (id, task_id, author_id, body, moderated, created_at, edited_at)
select
  g,
  task_id,
  1 + floor(users * r_author)::bigint,
  (array['Looks good to me.', 'Can you add a test for this?', 'Blocked on the API change, see the linked task.',
         'Moved to next sprint.', 'Done, please review.', 'I could not reproduce this on staging.'])[1 + floor(r_body * 6)::int]
    || ' ' || md5(g::text),
  r_moderated >= 0.01,
  to_timestamp(created),
  case when r_edited < 0.1 then to_timestamp(created + 3600) end
from (
  select g, users, task_id, r_author, r_body, r_moderated, r_edited,
         least(1688169600 + (task_id - 0.5) / tasks * 63158400 + r_delay * r_delay * 2592000, 1751327999) as created
    from (
      select g, users, tasks, 1 + floor(tasks * r_task ^ 0.7)::bigint as task_id, r_author, r_body, r_moderated, r_edited, r_delay
        from (
          select g, current_setting('bench_saas.users')::int as users, current_setting('bench_saas.tasks')::float8 as tasks,
                 random() as r_task, random() as r_author, random() as r_body, random() as r_moderated, random() as r_edited,
                 random() as r_delay
            from generate_series(1, current_setting('bench_saas.comments')::int) g
        ) r
    ) d
) s;

-- step: audit events
insert into saas."AuditEvents" ("id", "accountId", "actorId", "eventType", "targetId", "payload", "occurredAt")
select
  g,
  1 + floor(accounts * r_account ^ 3)::bigint,
  1 + floor(users * r_actor)::bigint,
  case when r_type < 0.50 then 'task.updated' when r_type < 0.75 then 'comment.created' when r_type < 0.90 then 'task.created'
       when r_type < 0.98 then 'user.login' when r_type < 0.995 then 'project.archived' else 'member.removed' end,
  1 + floor(tasks * r_target)::bigint,
  jsonb_build_object('ip', '10.' || floor(r_ip * 250)::int || '.0.1', 'via', case when r_via < 0.8 then 'web' else 'api' end),
  to_timestamp(1688169600 + (g - 1 + r_time) / events * 63158400)
from (
  select g, current_setting('bench_saas.accounts')::int as accounts, current_setting('bench_saas.users')::int as users,
         current_setting('bench_saas.tasks')::int as tasks, current_setting('bench_saas.audit_events')::float8 as events,
         random() as r_account, random() as r_actor, random() as r_type, random() as r_target, random() as r_ip, random() as r_via,
         random() as r_time
    from generate_series(1, current_setting('bench_saas.audit_events')::int) g
) s;

-- step: user presence
insert into saas.user_presence (user_id, last_seen_at, client, heartbeat_count)
select g, to_timestamp(1751328000 - r_seen * r_seen * r_seen * 2592000), case when r_client < 0.7 then 'web' else 'mobile' end,
       floor(r_count * 10000)::bigint
from (
  select g, random() as r_seen, random() as r_client, random() as r_count
    from generate_series(1, current_setting('bench_saas.users')::int) g
) s;
