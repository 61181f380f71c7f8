-- Keys and the indexes the application already has, built once over the loaded rows, then the
-- sequences moved past the loaded ids (the workload inserts comments and audit events).
-- The existing tasks (due_date, assignee_id) serves "tasks due on a day" and, poorly, "an assignee's
-- tasks due in a window": the range column leads, so such a scan reads every entry of the window.

-- step: keys
alter table saas.plans add primary key (id);
alter table saas.accounts add primary key (id);
alter table saas.users add primary key (id);
alter table saas.users add constraint users_email_key unique (email);
alter table saas.projects add primary key (id);
alter table saas.tasks add primary key (id);
alter table saas.comments add primary key (id);
alter table saas."AuditEvents" add primary key ("id", "occurredAt");
alter table saas.user_presence add primary key (user_id);
create index tasks_due_date_assignee_id_idx on saas.tasks (due_date, assignee_id);
select setval('saas.comments_id_seq', (select max(id) from saas.comments));
select setval('saas."AuditEvents_id_seq"', (select max("id") from saas."AuditEvents"));
