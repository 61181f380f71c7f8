-- The same shop, built well: keys everywhere, foreign keys indexed, columns aligned, no
-- duplicate, redundant or idle index, no bloat, sequences far from their limit. Every health
-- advisor must find nothing here (bench/health-advisors.ts).
create schema shop;

-- kind and amount independent of each other (random, seeded): the planner's estimate for both is right.
select setseed(0.42);
create table shop.events (id bigint primary key, amount bigint not null, kind int not null, flag boolean not null, seen boolean not null);
insert into shop.events select g, floor(random() * 1000), floor(random() * 50), g % 2 = 0, g % 3 = 0 from generate_series(1, 1200000) g;
create index events_kind_amount_idx on shop.events (kind, amount);

create table shop.customers (id int primary key, email text not null unique);
insert into shop.customers select g, 'c' || g || '@example.com' from generate_series(1, 20000) g;
create table shop.orders (id int primary key, customer_id int references shop.customers on delete cascade, total numeric not null);
insert into shop.orders select g, 1 + g % 20000, g % 500 from generate_series(1, 200000) g;
create index orders_customer_id_idx on shop.orders (customer_id);

-- Wide, and read by most calls: nothing to move out.
create table shop."Documents" (id int primary key, title text not null, body varchar(2000) not null);
insert into shop."Documents" select g, 'doc ' || g, repeat(md5(g::text), 25) from generate_series(1, 5000) g;

create table shop.audit_trail (id bigint generated always as identity primary key, at timestamptz not null, note text not null);
insert into shop.audit_trail (at, note) select now() - make_interval(secs => g), 'n' || g from generate_series(1, 1000) g;

create table shop.tickets (id bigserial primary key, subject text not null);
insert into shop.tickets (subject) select 't' || g from generate_series(1, 100) g;

create table shop.sessions (id int primary key, token text not null, data text not null);
insert into shop.sessions select g, md5(g::text), repeat('s', 150) from generate_series(1, 40000) g;

create table shop.counters (id int primary key, hits int not null);
insert into shop.counters select g, 0 from generate_series(1, 100000) g;
