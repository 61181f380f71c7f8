-- Run after the load: sets hint bits and the visibility map in one pass (index-only scans are
-- costed with it), and gives the planner statistics for the fresh tables. The partitioned table's
-- own statistics (those of the whole tree) need their own ANALYZE: VACUUM ANALYZE of the parent
-- covers its partitions and the parent.
vacuum (analyze) saas.plans, saas.accounts, saas.users, saas.projects, saas.tasks, saas.comments, saas."AuditEvents", saas.user_presence;
