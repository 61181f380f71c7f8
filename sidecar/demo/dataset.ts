/**
 * What the demo dataset is: its schema, its tables, its time window and how many rows each table
 * gets at a given scale. The loader, the workload and the benchmark all read these, so that the SQL
 * files and the TypeScript agree on one set of numbers.
 */

/** The schema every demo object lives in; the loader never touches any other schema. */
export const DEMO_SCHEMA = 'demo';

/**
 * How schema.sql's `COMMENT ON SCHEMA demo` starts. The loader replaces an existing `demo` schema only
 * when its comment starts with this, i.e. when the loader created it.
 */
export const DEMO_SCHEMA_COMMENT_PREFIX = 'OptiSchema demo dataset';

/**
 * The end of the two years of generated history. Fixed rather than `now()`, so that the same scale
 * gives the same rows on every load; the workload computes "the last 30 days" from it.
 */
export const DEMO_DATA_END = '2025-07-01T00:00:00Z';

/** Every demo table, in load order (referenced tables first). */
export const DEMO_TABLES = ['countries', 'customers', 'products', 'orders', 'order_items', 'events'] as const;
export type DemoTable = (typeof DEMO_TABLES)[number];

export const DEFAULT_SCALE = 1;
/** Scale 100 means about 200 GB and over an hour of loading; beyond it is surely a typo. */
export const MAX_SCALE = 100;

/**
 * Rows generated at scale 1, chosen by measurement with bench/demo-load.ts on two shared cores,
 * PostgreSQL 15 with default settings: the load takes 42–47 s (target: under 60 s) and every
 * workload read misses an index and takes 130–560 ms (target: at least 100 ms; the slowest to reach
 * it are the email lookup, orders of a customer and items of an order). Rows cost load time in
 * generation, keys and foreign-key checks; width only in writing, so customers and orders are wide
 * (schema.sql) rather than more numerous.
 */
export const ROWS_AT_SCALE_1 = {
  customers: 2_000_000,
  products: 50_000,
  orders: 2_600_000,
  events: 500_000,
} as const;

/** A tiny scale still yields a few rows per table; `countries` is always complete (20 rows). */
const MIN_ROWS = { customers: 20, products: 20, orders: 50, events: 50 } as const;

/** Rows to generate per table. Order items are not listed: each order gets one to five. */
export interface DemoRowCounts {
  customers: number;
  products: number;
  orders: number;
  events: number;
}

/**
 * Throws unless `scale` is a finite number in (0, MAX_SCALE].
 *
 * @example validateScale(0.01) // fine; validateScale(0) throws
 */
export function validateScale(scale: number): void {
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE) {
    throw new Error(`demo scale must be a number greater than 0 and at most ${MAX_SCALE} (got ${String(scale)})`);
  }
}

/**
 * Rows per table at `scale`, rounded, never below the minimums above.
 *
 * @example demoRowCounts(0.5).orders // 1_300_000
 */
export function demoRowCounts(scale: number): DemoRowCounts {
  validateScale(scale);
  const rows = (table: keyof DemoRowCounts) => Math.max(MIN_ROWS[table], Math.round(ROWS_AT_SCALE_1[table] * scale));
  return { customers: rows('customers'), products: rows('products'), orders: rows('orders'), events: rows('events') };
}
