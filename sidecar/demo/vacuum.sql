-- Run after the load's transaction commits (VACUUM cannot run inside one). It sets hint bits and the
-- visibility map in one pass, so the first queries after a load do not rewrite every page and
-- index-only scans work, and it leaves autovacuum nothing to do in the middle of a benchmark.
-- ANALYZE gives the planner statistics for the fresh tables.
vacuum (analyze) demo.countries, demo.customers, demo.products, demo.orders, demo.order_items, demo.events;
