/**
 * The index-advice cases: queries over the demo shop with known right answers.
 *
 * Glossary
 * - positive: a query a DBA would index; `best` is the index set (at most two) a careful DBA builds
 *   for it, the yardstick for any advisor's answer.
 * - negative: a query that must get no recommendation (low selectivity, full-scan aggregate, tiny
 *   table, system catalog, already served by an existing index).
 * - bad: an input that must come back as an error without crashing anything or running anything.
 *
 * The demo cluster's collation is C.UTF-8 (sidecar/embedded: initdb --locale=C.UTF-8). PostgreSQL
 * 15 treats only "C" and "POSIX" as the C collation for LIKE, so a prefix LIKE needs a
 * `text_pattern_ops` btree; the default operator class cannot serve it.
 *
 * Row shares below are data.sql's: order status delivered 80 %, shipped 10 %, cancelled 5 %,
 * pending 4 %, processing and returned 0.5 % each; customers' countries skewed (US about 22 %,
 * JP about 2.5 %), 5 % without postal code, sign-ups spread evenly over two years ending 2025-07-01.
 */
import pg from 'pg';
import type { AdviceSample } from './sample.ts';

export type CaseKind = 'positive' | 'negative' | 'bad';

export interface AdviceCase {
  id: string;
  kind: CaseKind;
  /** The shape of the problem, e.g. "equality + range". */
  shape: string;
  sql: string;
  /** For a `$n` text: values to run it with (pg_qualstats learning, real runtime). */
  params?: unknown[];
  /** Positive cases: the known best index set, plain `CREATE INDEX ON …` statements. */
  best?: string[];
  /** Why the answer is what it is. */
  why: string;
}

/** Objects of the bench's own, outside schema demo: the partitioned table, the view, the canary. */
export const SETUP_SQL = `
drop schema if exists bench_advice cascade;
create schema bench_advice;
-- The demo has no partitioned table: a copy of demo.events, one partition per quarter.
create table bench_advice.events_part (
  id bigint not null,
  customer_id bigint,
  kind text not null,
  payload jsonb not null,
  created_at timestamptz not null
) partition by range (created_at);
create table bench_advice.events_part_2023q3 partition of bench_advice.events_part for values from ('2023-07-01') to ('2023-10-01');
create table bench_advice.events_part_2023q4 partition of bench_advice.events_part for values from ('2023-10-01') to ('2024-01-01');
create table bench_advice.events_part_2024q1 partition of bench_advice.events_part for values from ('2024-01-01') to ('2024-04-01');
create table bench_advice.events_part_2024q2 partition of bench_advice.events_part for values from ('2024-04-01') to ('2024-07-01');
create table bench_advice.events_part_2024q3 partition of bench_advice.events_part for values from ('2024-07-01') to ('2024-10-01');
create table bench_advice.events_part_2024q4 partition of bench_advice.events_part for values from ('2024-10-01') to ('2025-01-01');
create table bench_advice.events_part_2025q1 partition of bench_advice.events_part for values from ('2025-01-01') to ('2025-04-01');
create table bench_advice.events_part_2025q2 partition of bench_advice.events_part for values from ('2025-04-01') to ('2025-07-01');
create table bench_advice.events_part_rest partition of bench_advice.events_part default;
insert into bench_advice.events_part select id, customer_id, kind, payload, created_at from demo.events;
alter table bench_advice.events_part add primary key (id, created_at);
-- A view joining orders to their customers, as reporting code would query it.
create view bench_advice.order_summaries as
  select o.id, o.customer_id, o.status, o.total, o.created_at, c.email, c.country_code
  from demo.orders o
  join demo.customers c on c.id = o.customer_id;
-- Checked after the bad inputs: "select 1; drop table bench_advice.canary" must not drop it.
create table bench_advice.canary (id int);
analyze bench_advice.events_part;
`;

export const CANARY_TABLE = 'bench_advice.canary';

const lit = (value: string) => pg.escapeLiteral(value);

/** Every case, in report order: positives, negatives, bad inputs. */
export function buildCases(s: AdviceSample): AdviceCase[] {
  const positives: Omit<AdviceCase, 'kind'>[] = [
    {
      id: 'P01',
      shape: 'equality, one column',
      sql: `select id, full_name, country_code from demo.customers where email = ${lit(s.email)}`,
      best: ['create index on demo.customers (email)'],
      why: 'unique-ish email among 2 M × scale customers, no index on it (sign-in)',
    },
    {
      id: 'P02',
      shape: 'equality, two columns',
      sql: `select id, email from demo.customers where city = 'Kingston' and country_code = 'JP'`,
      best: ['create index on demo.customers (country_code, city)'],
      why: 'JP ≈ 2.5 %, one city of 12 ≈ 8 %: only the pair is selective (≈ 0.2 %); most selective column first',
    },
    {
      id: 'P03',
      shape: 'equality, two columns (FK + status)',
      sql: `select id, total, created_at from demo.orders where customer_id = ${s.customerId} and status = 'pending'`,
      best: ['create index on demo.orders (customer_id, status)'],
      why: 'orders of one customer (unindexed foreign key), then status',
    },
    {
      id: 'P04',
      shape: 'equality + range',
      sql: `select id, customer_id, total from demo.orders where status = 'cancelled' and created_at >= '2025-06-01' and created_at < '2025-06-08'`,
      best: ['create index on demo.orders (status, created_at)'],
      why: 'equality column first, range column last: 5 % × one week of two years',
    },
    {
      id: 'P05',
      shape: 'IN list (numbers)',
      sql: `select id, status, total from demo.orders where customer_id in (${s.customerIds.join(', ')})`,
      best: ['create index on demo.orders (customer_id)'],
      why: 'five customers, a handful of orders each',
    },
    {
      id: 'P06',
      shape: 'IN list (text)',
      sql: `select id, full_name from demo.customers where email in (${[s.email, ...s.moreEmails].map(lit).join(', ')})`,
      best: ['create index on demo.customers (email)'],
      why: 'three exact emails',
    },
    {
      id: 'P07',
      shape: 'IS NULL',
      sql: `select id, email from demo.customers where country_code = 'JP' and postal_code is null`,
      best: ['create index on demo.customers (country_code, postal_code)'],
      why: 'JP ≈ 2.5 % alone is weak; with postal_code IS NULL (5 %) ≈ 0.13 %: btree indexes IS NULL',
    },
    {
      id: 'P08',
      shape: "LIKE 'prefix%'",
      sql: `select id, email from demo.customers where email like ${lit(`${s.emailPrefix}%`)}`,
      best: ['create index on demo.customers (email text_pattern_ops)'],
      why: 'collation C.UTF-8 is not C for the planner: only text_pattern_ops serves a prefix LIKE',
    },
    {
      id: 'P09',
      shape: 'ORDER BY … LIMIT',
      sql: `select id, customer_id, total, created_at from demo.orders order by created_at desc limit 20`,
      best: ['create index on demo.orders (created_at)'],
      why: 'newest 20 orders: a backward index scan stops after 20 rows instead of sorting all',
    },
    {
      id: 'P10',
      shape: 'equality + ORDER BY … LIMIT',
      sql: `select id, customer_id, total, created_at from demo.orders where status = 'pending' order by created_at desc limit 20`,
      best: ['create index on demo.orders (status, created_at)'],
      why: 'equality prefix then the sort key: the index returns rows in order',
    },
    {
      id: 'P11',
      shape: 'ORDER BY mixed directions … LIMIT',
      sql: `select id, customer_id, total, created_at from demo.orders order by total desc, created_at asc limit 10`,
      best: ['create index on demo.orders (total desc, created_at)'],
      why: 'mixed directions need a DESC column in the index (or its exact reverse)',
    },
    {
      id: 'P12',
      shape: 'join on an unindexed key',
      sql:
        `select o.id, oi.product_id, oi.quantity from demo.orders o ` +
        `join demo.order_items oi on oi.order_id = o.id where o.customer_id = ${s.customerId}`,
      best: ['create index on demo.orders (customer_id)', 'create index on demo.order_items (order_id)'],
      why: 'a few orders of one customer, then their items by a nested loop over order_items.order_id',
    },
    {
      id: 'P13',
      shape: 'join on an unindexed key (product)',
      sql:
        `select oi.order_id, oi.quantity from demo.order_items oi ` +
        `join demo.products p on p.id = oi.product_id where p.sku = ${lit(s.rareSku)}`,
      best: ['create index on demo.order_items (product_id)'],
      why: 'one product by its unique SKU, then its few sales by order_items.product_id',
    },
    {
      id: 'P14',
      shape: 'partial index (constant, low cardinality)',
      sql: `select id, customer_id, created_at from demo.orders where status = 'pending' and created_at >= '2025-01-01'`,
      best: ["create index on demo.orders (created_at) include (id, customer_id) where status = 'pending'"],
      why: 'status = pending is a fixed 4 % queue: a partial index holds only those rows, covering the columns read',
    },
    {
      id: 'P15',
      shape: 'expression (lower(email))',
      sql: `select id, email, full_name from demo.customers where lower(email) = ${lit(s.mixedCaseEmail.toLowerCase())}`,
      best: ['create index on demo.customers (lower(email))'],
      why: 'a case-insensitive lookup needs an index on the expression',
    },
    {
      id: 'P16',
      shape: 'covering (INCLUDE, index-only scan)',
      sql: `select customer_id, count(*), sum(total) from demo.orders where customer_id <= 20 group by customer_id`,
      best: ['create index on demo.orders (customer_id) include (total)'],
      why: 'the 20 busiest customers have about a thousand orders × scale: reading them from the heap costs far more than an index-only scan',
    },
    {
      id: 'P17',
      shape: 'through a view',
      sql: `select id, status, total from bench_advice.order_summaries where email = ${lit(s.email)}`,
      best: ['create index on demo.customers (email)', 'create index on demo.orders (customer_id)'],
      why: 'the view joins orders to customers: the email finds the customer, the FK index its orders',
    },
    {
      id: 'P18',
      shape: 'CTE (materialized)',
      sql:
        `with recent as materialized (select id, customer_id, total from demo.orders where created_at >= '2025-06-30 12:00') ` +
        `select c.email, r.id, r.total from recent r join demo.customers c on c.id = r.customer_id`,
      best: ['create index on demo.orders (created_at)'],
      why: 'the CTE reads the last 12 hours of orders',
    },
    {
      id: 'P19',
      shape: 'partitioned table',
      sql: `select id, kind, created_at from bench_advice.events_part where customer_id = ${s.customerId}`,
      best: ['create index on bench_advice.events_part (customer_id)'],
      why: 'one index on the partitioned parent (PostgreSQL builds one per partition); no pruning on customer_id',
    },
    {
      id: 'P20',
      shape: 'UPDATE … WHERE',
      sql: `update demo.orders set tracking_number = null, updated_at = now() where tracking_number = ${lit(s.trackingNumber)}`,
      best: ['create index on demo.orders (tracking_number)'],
      why: 'a carrier callback finds the order by its tracking number',
    },
    {
      id: 'P21',
      shape: 'DELETE … WHERE',
      sql: `delete from demo.events where customer_id = ${s.customerId} and kind = 'page_view'`,
      best: ['create index on demo.events (customer_id)'],
      why: 'erasing one customer’s page views: the unindexed foreign key',
    },
    {
      id: 'P22',
      shape: '$n parameters (as pg_stat_statements prints)',
      sql: `select id, status, total, currency, created_at from demo.orders where customer_id = $1 and status = $2 order by created_at desc`,
      params: [s.customerId, 'pending'],
      best: ['create index on demo.orders (customer_id, status, created_at)'],
      why: 'the workload’s account page; costed with a generic plan (plan_cache_mode = force_generic_plan)',
    },
    {
      id: 'P23',
      shape: 'range',
      sql: `select id, email from demo.customers where created_at >= '2025-06-28'`,
      best: ['create index on demo.customers (created_at)'],
      why: 'the last three days of sign-ups: 0.4 %',
    },
    {
      id: 'P24',
      shape: 'IN (subquery), semi-join',
      sql:
        `select o.id, o.customer_id, o.status, o.total from demo.orders o where o.customer_id in ` +
        `(select c.id from demo.customers c where c.country_code = 'DE' and c.created_at >= '2025-06-25')`,
      best: ['create index on demo.customers (country_code, created_at)', 'create index on demo.orders (customer_id)'],
      why: 'new German customers (equality then range), then their orders by the FK',
    },
    {
      id: 'P25',
      shape: 'NOT EXISTS, anti-join',
      sql:
        `select c.id, c.email from demo.customers c where c.created_at >= '2025-06-28' ` +
        `and not exists (select 1 from demo.orders o where o.customer_id = c.id)`,
      best: ['create index on demo.customers (created_at)', 'create index on demo.orders (customer_id)'],
      why: 'recent sign-ups without an order: a range, then an index probe per customer',
    },
    {
      id: 'P26',
      shape: 'FK equality + ORDER BY … LIMIT',
      sql: `select id, total, created_at from demo.orders where customer_id = ${s.customerId} order by created_at desc limit 5`,
      best: ['create index on demo.orders (customer_id, created_at)'],
      why: 'a customer’s latest orders',
    },
    {
      id: 'P27',
      shape: 'range + GROUP BY (dashboard)',
      sql:
        `select date_trunc('day', created_at) as day, status, count(*), sum(total) from demo.orders ` +
        `where created_at >= '2025-06-24' and created_at < '2025-07-01' group by 1, 2 order by 1, 2`,
      best: ['create index on demo.orders (created_at) include (status, total)'],
      why: 'last week of orders (1 %), scattered over the heap (created_at does not follow id): only an index-only scan avoids a page per row',
    },
  ];

  const negatives: AdviceCase[] = [
    { id: 'N01', shape: 'low selectivity (80 %)', sql: `select id, customer_id, total from demo.orders where status = 'delivered'`, why: 'four orders in five: a scan is right' },
    { id: 'N02', shape: 'low selectivity (22 %)', sql: `select id, email, full_name from demo.customers where country_code = 'US'`, why: 'a fifth of a wide table' },
    { id: 'N03', shape: 'low selectivity range', sql: `select id, total from demo.orders where created_at >= '2023-09-01'`, why: 'about 90 % of orders' },
    { id: 'N04', shape: 'full-scan aggregate', sql: `select payment_method, count(*), sum(total) from demo.orders group by payment_method`, why: 'reads every row by nature' },
    { id: 'N05', shape: 'full-scan aggregate', sql: `select sum(quantity * unit_price) from demo.order_items`, why: 'reads every row by nature' },
    { id: 'N06', shape: 'tiny table', sql: `select code, name from demo.countries where vat_rate >= 20`, why: '20 rows in one page' },
    { id: 'N07', shape: 'tiny table', sql: `select vat_rate from demo.countries where name = 'Japan'`, why: '20 rows in one page' },
    { id: 'N08', shape: 'system catalog', sql: `select c.relname, c.reltuples from pg_class c where c.relkind = 'r' and c.relpages > 100`, why: 'catalogs cannot take user indexes' },
    { id: 'N09', shape: 'system catalog', sql: `select attrelid::regclass, attname from pg_attribute where atttypid = 'jsonb'::regtype`, why: 'catalogs cannot take user indexes' },
    { id: 'N10', shape: 'served by an existing index', sql: `select id, name, price from demo.products where category = 'pets' and price < 5`, why: 'products_category_price_idx (category, price)' },
    { id: 'N11', shape: 'served by the primary key', sql: `select id, status, total from demo.orders where id = ${s.orderId}`, why: 'orders_pkey' },
    { id: 'N12', shape: 'served by an existing index', sql: `select id, kind from demo.events where created_at >= '2025-06-30 20:00'`, why: 'events_created_at_idx' },
    { id: 'N13', shape: 'served by a unique constraint', sql: `select id, name from demo.products where sku = ${lit(s.rareSku)}`, why: 'products_sku_key' },
  ].map((c) => ({ ...c, kind: 'negative' as const }));

  const bad: AdviceCase[] = [
    { id: 'B01', shape: 'parse error', sql: 'selec id from demo.orders where id = 1', why: 'a typo' },
    { id: 'B02', shape: 'unknown column', sql: 'select nope from demo.orders where id = 1', why: 'no such column' },
    { id: 'B03', shape: 'unknown table', sql: 'select id from demo.nope where id = 1', why: 'no such table' },
    { id: 'B04', shape: 'two statements', sql: `select 1; drop table ${CANARY_TABLE}`, why: 'must be refused whole; the canary must survive' },
    { id: 'B05', shape: 'DDL, not a query', sql: `drop table ${CANARY_TABLE}`, why: 'not plannable; the canary must survive' },
    { id: 'B06', shape: 'empty text', sql: '', why: 'nothing to advise' },
  ].map((c) => ({ ...c, kind: 'bad' as const }));

  return [...positives.map((c) => ({ ...c, kind: 'positive' as const })), ...negatives, ...bad];
}
