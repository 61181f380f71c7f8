-- The server settings the settings advisor weighs, as pg_settings shows them now: the value in
-- its unit (8kB blocks for shared_buffers, kB for work_mem…), where it came from, and whether a
-- change waits for a restart. $1: the names.
select s.name, s.setting, s.unit, s.context, s.boot_val, s.reset_val, s.source, s.pending_restart
from pg_catalog.pg_settings s
where s.name = any ($1::text[])
