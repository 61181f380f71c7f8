/**
 * Workload mode: 200 distinct statements over the demo tables (varied literals and shapes, as an
 * application's traffic looks once pg_stat_statements keeps literal samples), and the one function
 * that times advice over them.
 *
 * Workload-wide selection lives in sidecar/advisor/workload.ts, which is landing beside this bench.
 * When it is missing (or its `adviseWorkload` fails), the bench times per-query advice over the same
 * 200 statements and says that workload mode was not measured. The call is made in
 * `timeWorkloadAdvice` and nowhere else.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { adviseQueries } from '../../sidecar/advisor/advise.ts';
import type { AdviceSample } from './sample.ts';

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
  /** 'workload' when sidecar/advisor/workload.ts answered; otherwise per-query advice was timed. */
  mode: 'workload' | 'per-query';
  statements: number;
  seconds: number;
  /** Recommendations in the answer (per-query: summed over the statements). */
  recommendations: number | null;
  /** Statements that came back with an error. */
  errors: number | null;
  /** Workload mode only: what its summary says (source, statements analyzed, estimated improvement, size). */
  summary: Record<string, unknown> | null;
  note: string;
}

const WORKLOAD_MODULE = new URL('../../sidecar/advisor/workload.ts', import.meta.url);

/** What the bench needs of sidecar/advisor/workload.ts; loaded at run time, the module is still moving. */
type AdviseWorkload = (
  db: pg.Pool,
  options: { statements: readonly string[] },
) => Promise<{ workload?: Record<string, unknown>; recommendations?: { sql?: unknown }[]; errors?: unknown[] }>;

async function loadAdviseWorkload(): Promise<AdviseWorkload | null> {
  if (!existsSync(fileURLToPath(WORKLOAD_MODULE))) return null;
  const module = (await import(WORKLOAD_MODULE.href)) as { adviseWorkload?: AdviseWorkload };
  return typeof module.adviseWorkload === 'function' ? module.adviseWorkload : null;
}

/**
 * Workload mode's one index set for the cases' queries together (null when there is no workload
 * mode or it fails), so the bench can cost and build it beside the per-query sets.
 */
export async function workloadModeSet(pool: pg.Pool, queries: readonly string[]): Promise<{ indexes: string[]; note: string } | null> {
  try {
    const adviseWorkload = await loadAdviseWorkload();
    if (!adviseWorkload) return null;
    const answer = await adviseWorkload(pool, { statements: queries });
    const indexes = (answer.recommendations ?? []).map((r) => r.sql).filter((sql): sql is string => typeof sql === 'string');
    return { indexes, note: `${answer.errors?.length ?? 0} errors` };
  } catch (error) {
    return { indexes: [], note: `failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Times advice over `statements`: one `adviseWorkload(pool, { statements })` when
 * sidecar/advisor/workload.ts exports it; otherwise, or when that call fails, adviseQueries over the
 * statements, saying that workload mode was not measured.
 */
export async function timeWorkloadAdvice(pool: pg.Pool, statements: readonly string[]): Promise<WorkloadTiming> {
  let note = 'workload mode was NOT measured: sidecar/advisor/workload.ts does not exist yet; timed per-query advice over the same statements';
  if (existsSync(fileURLToPath(WORKLOAD_MODULE))) {
    try {
      const adviseWorkload = await loadAdviseWorkload();
      if (adviseWorkload) {
        const started = performance.now();
        const answer = await adviseWorkload(pool, { statements });
        const seconds = (performance.now() - started) / 1000;
        return {
          mode: 'workload',
          statements: statements.length,
          seconds,
          recommendations: answer.recommendations?.length ?? null,
          errors: answer.errors?.length ?? null,
          summary: answer.workload ?? null,
          note: 'workload mode measured: adviseWorkload(pool, { statements }) from sidecar/advisor/workload.ts',
        };
      }
      note = 'workload mode was NOT measured: sidecar/advisor/workload.ts exports no adviseWorkload; timed per-query advice instead';
    } catch (error) {
      note = `workload mode was NOT measured: sidecar/advisor/workload.ts failed (${error instanceof Error ? error.message : String(error)}); timed per-query advice instead`;
    }
  }
  const started = performance.now();
  const { results } = await adviseQueries(pool, statements);
  const seconds = (performance.now() - started) / 1000;
  return {
    mode: 'per-query',
    statements: statements.length,
    seconds,
    recommendations: results.reduce((sum, r) => sum + r.recommendations.length, 0),
    errors: results.filter((r) => r.errors.length > 0).length,
    summary: null,
    note,
  };
}
