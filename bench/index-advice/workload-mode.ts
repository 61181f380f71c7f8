/**
 * Workload mode: 200 distinct statements over the demo tables (varied literals and shapes, as an
 * application's traffic looks once pg_stat_statements keeps literal samples), and the calls of the
 * workload advisor (sidecar/advisor/workload.ts) the bench times and scores.
 */
import pg from 'pg';
import { adviseWorkload } from '../../sidecar/advisor/workload.ts';
import type { AdviceSample } from './sample.ts';
import type { WorkloadStatement } from '../../plv8/advisor/workload/source.ts';

export const WORKLOAD_SIZE = 200;

const FIRST = ['anna', 'ben', 'carla', 'david', 'emma', 'felix', 'grace', 'hugo', 'ines', 'jonas'];
const LAST = ['smith', 'jones', 'muller', 'garcia', 'rossi', 'dubois', 'nowak', 'jansen', 'silva', 'kowalski'];
const STATUSES = ['pending', 'processing', 'shipped', 'cancelled', 'returned'];
const COUNTRIES = ['JP', 'CH', 'NO', 'PT', 'FI', 'DK', 'IE', 'AT', 'BE', 'PL'];
const CITIES = ['Springfield', 'Riverside', 'Fairview', 'Kingston', 'Greenville', 'Ashford', 'Lakeside', 'Brookfield', 'Westport', 'Millbrook'];
const CATEGORIES = ['home', 'garden', 'kitchen', 'fashion', 'outdoor', 'office', 'kids', 'sports', 'travel', 'beauty'];
const KINDS = ['page_view', 'search', 'add_to_cart', 'checkout'];
const AGGREGATES = ['sum(total)', 'sum(shipping_cost)', 'max(created_at)', 'count(distinct customer_id)', 'avg(total)'];
const UPDATED = ['shipping_cost', 'coupon_code', 'billing_address', 'tracking_number', 'shipped_at', 'payment_method', 'currency', 'total', 'metadata', 'status'];

/** Five columns per table; the ten pairs of them give each template ten distinct select lists. */
const COLUMNS = {
  customers: ['full_name', 'phone', 'city', 'postal_code', 'created_at'],
  orders: ['status', 'total', 'currency', 'created_at', 'shipping_cost'],
  order_items: ['product_id', 'quantity', 'unit_price', 'order_id', 'id'],
  events: ['kind', 'payload', 'created_at', 'customer_id', 'id'],
  products: ['name', 'price', 'stock', 'category', 'sku'],
} as const;
const PAIRS = [[0, 1], [0, 2], [0, 3], [0, 4], [1, 2], [1, 3], [1, 4], [2, 3], [2, 4], [3, 4]] as const;

/**
 * Twenty templates × ten variants: `size` distinct statements (at most 200). A variant changes the
 * literals and the select list, so the statements stay distinct after pg_stat_statements replaces
 * literals with `$n` (200 query ids, not 20).
 */
export function workloadStatements(s: AdviceSample, size = WORKLOAD_SIZE): string[] {
  const day = (i: number) => `2025-06-${String(10 + i).padStart(2, '0')}`;
  const lit = (value: string) => pg.escapeLiteral(value);
  const cols = (table: keyof typeof COLUMNS, i: number, alias = '') => PAIRS[i]!.map((n) => `${alias}${COLUMNS[table][n]}`).join(', ');
  const templates: ((i: number) => string)[] = [
    (i) => `select id, ${cols('customers', i)} from demo.customers where email = ${lit(s.manyEmails[i]!)}`,
    (i) => `select id, ${cols('customers', i)} from demo.customers where lower(email) = ${lit(s.manyEmails[i]!)}`,
    (i) => `select id, ${cols('orders', i)} from demo.orders where customer_id = ${s.manyCustomerIds[i]}`,
    (i) => `select id, ${cols('orders', i)} from demo.orders where customer_id = ${s.manyCustomerIds[i]} and status = '${STATUSES[i % 5]}'`,
    (i) => `select id, ${cols('orders', i)} from demo.orders where status = '${STATUSES[i % 5]}' and created_at >= '${day(i)}' and created_at < '${day(i + 1)}'`,
    (i) => `select id, ${cols('orders', i)} from demo.orders where status = '${STATUSES[i % 5]}' order by created_at desc limit ${10 + i}`,
    (i) => `select ${cols('order_items', i, 'oi.')} from demo.order_items oi where oi.order_id = ${s.manyOrderIds[i]}`,
    (i) => `select ${cols('order_items', i)} from demo.order_items where product_id = ${1000 + 37 * i}`,
    (i) => `select ${cols('events', i)} from demo.events where customer_id = ${s.manyCustomerIds[i]} and kind = '${KINDS[i % 4]}'`,
    (i) => `select id, ${cols('customers', i)} from demo.customers where created_at >= '${day(i)}'`,
    (i) => `select id, ${cols('orders', i)} from demo.orders where total between ${1000 + 50 * i} and ${1001 + 50 * i}`,
    (i) => `select id, ${cols('products', i)} from demo.products where category = '${CATEGORIES[i]}' and price < ${5 + i}`,
    (i) => `select o.id, ${cols('orders', i, 'o.')}, oi.product_id from demo.orders o join demo.order_items oi on oi.order_id = o.id where o.customer_id = ${s.manyCustomerIds[i]}`,
    (i) => `select id, ${cols('customers', i)} from demo.customers where country_code = '${COUNTRIES[i]}' and city = '${CITIES[i]}'`,
    (i) => `select id, ${cols('orders', i)} from demo.orders where id = ${s.manyOrderIds[i]}`,
    (i) => `select id, ${cols('customers', i)} from demo.customers where email like '${FIRST[i]}.${LAST[i]}1${i}%'`,
    (i) => `select ${cols('events', i)} from demo.events where created_at >= '2025-06-30 ${String(10 + i).padStart(2, '0')}:00'`,
    (i) => `select date_trunc('day', created_at), ${PAIRS[i]!.map((n) => AGGREGATES[n]).join(', ')} from demo.orders where created_at >= '${day(i)}' and status = '${STATUSES[i % 5]}' group by 1`,
    (i) => `update demo.orders set ${UPDATED[i]} = ${UPDATED[i]}, updated_at = now() where tracking_number = '1Z${String(1000 + i).padStart(16, '0')}'`,
    (i) => `select id, ${cols('customers', i)} from demo.customers where country_code = '${COUNTRIES[i]}' and postal_code is null`,
  ];
  const statements: string[] = [];
  for (let i = 0; i < 10; i++) for (const template of templates) statements.push(template(i));
  return statements.slice(0, size);
}

export interface WorkloadTiming {
  statements: number;
  seconds: number;
  recommendations: number;
  /** Statements that came back with an error. */
  errors: number;
  /** What the workload advisor's summary says (source, statements analyzed, estimated improvement, size). */
  summary: Record<string, unknown>;
}

/** Workload mode's one index set for the cases' queries together, to cost and build beside the per-query sets. */
export async function workloadModeSet(pool: pg.Pool, queries: readonly string[], authors: readonly string[]): Promise<{ indexes: string[]; note: string }> {
  const answer = await adviseWorkload(pool, { statements: asRunBy(queries, authors) });
  return { indexes: answer.recommendations.map((r) => r.sql), note: `${answer.errors.length} errors` };
}

/** Times one workload advice over `statements` (given as a list: one call each, no window). */
export async function timeWorkloadAdvice(pool: pg.Pool, statements: readonly string[], authors: readonly string[]): Promise<WorkloadTiming> {
  const started = performance.now();
  const answer = await adviseWorkload(pool, { statements: asRunBy(statements, authors) });
  return {
    statements: statements.length,
    seconds: (performance.now() - started) / 1000,
    recommendations: answer.recommendations.length,
    errors: answer.errors.length,
    summary: { ...answer.workload },
  };
}

/** The statements as if the bench's application role ran each once (what pg_stat_statements would say). */
function asRunBy(queries: readonly string[], authors: readonly string[]): WorkloadStatement[] {
  return queries.map((query) => ({ queryid: null, query, calls: 1, meanMs: 0, authors }));
}
