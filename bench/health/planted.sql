-- A shop with one planted problem per health rule (bench/health-advisors.ts lists what each must
-- produce in planted.expect.json). Sizes are the smallest that pass the advisors' default thresholds,
-- so the benchmark measures the defaults a user gets.
create schema shop;

-- column_padding: (bool, bigint, bool, bigint, int4) pads 8 bytes a row; 1.2 M rows make it 9 MB.
create table shop.events (flag boolean not null, id bigint primary key, seen boolean not null, amount bigint not null, kind int not null);
insert into shop.events select g % 2 = 0, g, g % 3 = 0, g % 1000, g % 50 from generate_series(1, 1200000) g;
-- unused_index: never scanned, 25 MB.
create index events_amount_idx on shop.events (amount);
-- redundant_index: (seen) is a leading prefix of (seen, amount), which the workload uses.
create index events_seen_idx on shop.events (seen);
create index events_seen_amount_idx on shop.events (seen, amount);

-- missing_fk_index: orders.customer_id references customers, whose rows get deleted.
create table shop.customers (id int primary key, email text not null);
insert into shop.customers select g, 'c' || g || '@example.com' from generate_series(1, 20000) g;
-- duplicate_index: the same keys twice (the first by name is kept: customers_email_copy_idx).
create index customers_email_idx on shop.customers (email);
create index customers_email_copy_idx on shop.customers (email);
create table shop.orders (id int primary key, customer_id int references shop.customers on delete cascade, total numeric not null);
insert into shop.orders select g, 1 + g % 20000, g % 500 from generate_series(1, 200000) g;

-- wide_column: "Documents".body averages 800 bytes and the workload reads it in 1 call of 21.
create table shop."Documents" (id int primary key, title text not null, body varchar(2000) not null);
insert into shop."Documents" select g, 'doc ' || g, repeat(md5(g::text), 25) from generate_series(1, 5000) g;

-- missing_primary_key: a log table with no key at all.
create table shop.audit_trail (at timestamptz not null, note text not null);
insert into shop.audit_trail select now() - make_interval(secs => g), 'n' || g from generate_series(1, 1000) g;

-- key_overflow: an int4 serial at 60 % of 2^31 - 1 (invalid_index: the bench then builds a UNIQUE
-- index on its subjects CONCURRENTLY, which fails on the duplicates and leaves it INVALID).
create table shop.tickets (id serial primary key, subject text not null);
insert into shop.tickets (subject) select 't' || (g % 50) from generate_series(1, 100) g;
select setval('shop.tickets_id_seq', 1288490188);

-- table_bloat: 60 % of a 40 MB table deleted with autovacuum off.
create table shop.sessions (id int primary key, token text not null, data text not null) with (autovacuum_enabled = off);
insert into shop.sessions select g, md5(g::text), repeat('s', 150) from generate_series(1, 200000) g;
delete from shop.sessions where id % 5 <> 0;

-- autovacuum_table: a hot table whose dead rows pile up (autovacuum off so they stay).
create table shop.counters (id int primary key, hits int not null) with (autovacuum_enabled = off);
insert into shop.counters select g, 0 from generate_series(1, 100000) g;
update shop.counters set hits = hits + 1;
update shop.counters set hits = hits + 1 where id % 2 = 0;
