-- Keys and indexes, added after data.sql has filled the tables: one bulk btree build per index and one
-- join per foreign key (ADD CONSTRAINT validates all rows at once) are far cheaper than checking and
-- indexing row by row during the load. See schema.sql for the intentional problems listed here.

-- step: primary keys
alter table demo.countries add primary key (code);
alter table demo.customers add primary key (id);
alter table demo.products add primary key (id);
alter table demo.orders add primary key (id);
alter table demo.order_items add primary key (id);
alter table demo.events add primary key (id);
alter table demo.products add constraint products_sku_key unique (sku);

-- step: foreign keys
-- Intentional problem 1: none of these referencing columns gets an index.
-- Each ADD CONSTRAINT checks every row with one anti-join, planned like any query but never in
-- parallel. A hash anti-join over millions of keys is bound by cache misses; sorting the referencing
-- column and merging it with the referenced primary key's index is about three times faster here
-- (order_items → orders: 4.7 s against 1.4 s at scale 1), so hash joins are off for this step.
set local enable_hashjoin = off;
alter table demo.customers add constraint customers_country_code_fkey
  foreign key (country_code) references demo.countries (code);
alter table demo.orders add constraint orders_customer_id_fkey
  foreign key (customer_id) references demo.customers (id);
alter table demo.order_items add constraint order_items_order_id_fkey
  foreign key (order_id) references demo.orders (id);
alter table demo.order_items add constraint order_items_product_id_fkey
  foreign key (product_id) references demo.products (id);
alter table demo.events add constraint events_customer_id_fkey
  foreign key (customer_id) references demo.customers (id);
reset enable_hashjoin;

-- step: indexes
-- Intentional problem 2: products_category_idx is redundant, a leading prefix of the next index.
create index products_category_idx on demo.products (category);
create index products_category_price_idx on demo.products (category, price);
-- Intentional problem 3: no workload query reads events by time, so this index is never scanned,
-- while every event the workload inserts still has to update it.
create index events_created_at_idx on demo.events (created_at);

-- step: sequences
-- The loader wrote explicit ids; move each identity sequence past them so that inserts without an id
-- (the workload's) get fresh ones.
select setval(pg_get_serial_sequence('demo.customers', 'id'), greatest(max(id), 1)) from demo.customers;
select setval(pg_get_serial_sequence('demo.products', 'id'), greatest(max(id), 1)) from demo.products;
select setval(pg_get_serial_sequence('demo.orders', 'id'), greatest(max(id), 1)) from demo.orders;
select setval(pg_get_serial_sequence('demo.order_items', 'id'), greatest(max(id), 1)) from demo.order_items;
select setval(pg_get_serial_sequence('demo.events', 'id'), greatest(max(id), 1)) from demo.events;

-- step: application role
-- The demo shop's own role, as a real application has one: the workload runs as it rather than as
-- whoever loaded the demo, and OptiSchema plans its statements with its rights, never more
-- (docs/security.md). Roles are cluster-wide: made once, and only where the loader may make roles;
-- elsewhere the workload runs as the loading role.
do $app$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = 'optischema_demo_app') then
    create role optischema_demo_app nologin;
  end if;
  grant usage on schema demo to optischema_demo_app;
  grant select, insert, update, delete on all tables in schema demo to optischema_demo_app;
  grant usage, select on all sequences in schema demo to optischema_demo_app;
exception when insufficient_privilege then
  raise notice 'the demo workload runs as the loading role: it may not create or grant to optischema_demo_app';
end
$app$;
