import type { Queryable } from '../database/queryable.ts';
import { UserError } from '../errors.ts';
import { DEMO_DATA_END } from './dataset.ts';
import { skewedId, type Draw } from './random.ts';

/**
 * Values drawn from the loaded demo data, from which the workload builds its bind parameters, as an
 * application's traffic would carry real emails and ids. Ids are strings: pg returns bigint as text.
 */
export interface WorkloadSample {
  customers: { id: string; email: string; address: string }[];
  orderIds: string[];
  /** `searchTerm` is the first two words of the product's name, e.g. "Classic Wool". */
  products: { id: string; category: string; searchTerm: string }[];
  countryCodes: string[];
  /** The end of the generated history: "recent" and "the last 30 days" count back from here. */
  dataEnd: Date;
}

interface IdRangeRow {
  customers: string | null;
  orders: string | null;
  products: string | null;
}

// to_regclass answers NULL, rather than failing, when schema demo is missing.
const DEMO_EXISTS = `select to_regclass('demo.orders') is not null as loaded`;

const ID_RANGE = `
  select (select max(id) from demo.customers) as customers,
         (select max(id) from demo.orders) as orders,
         (select max(id) from demo.products) as products`;

const CUSTOMERS = `
  select id, email, address_line || ', ' || city as address
  from demo.customers
  where id = any($1::bigint[])`;

const ORDERS = `select id from demo.orders where id = any($1::bigint[])`;

const PRODUCTS = `
  select id, category, split_part(name, ' ', 1) || ' ' || split_part(name, ' ', 2) as search_term
  from demo.products
  where id = any($1::bigint[])`;

const COUNTRIES = `select code from demo.countries order by code`;

/**
 * Draws about `size` customers, orders and products by primary key (cheap at any scale). Half the
 * customers are drawn with the same skew as data.sql's orders, so "orders of a customer" often
 * finds some. Throws a UserError when the demo dataset is not loaded.
 */
export async function loadWorkloadSample(db: Queryable, draw: Draw, size = 200): Promise<WorkloadSample> {
  const range = await readIdRange(db);
  const customerIds = Array.from({ length: size }, (_, i) => skewedId(range.customers, i % 2 === 0 ? 1.6 : 1, draw));
  const orderIds = Array.from({ length: size }, () => skewedId(range.orders, 1, draw));
  const productIds = Array.from({ length: size }, () => skewedId(range.products, 2, draw));

  // One after another: a single pg.Client runs one query at a time.
  const customers = await db.query<{ id: string; email: string; address: string }>(CUSTOMERS, [customerIds]);
  const orders = await db.query<{ id: string }>(ORDERS, [orderIds]);
  const products = await db.query<{ id: string; category: string; search_term: string }>(PRODUCTS, [productIds]);
  const countries = await db.query<{ code: string }>(COUNTRIES);
  const sample: WorkloadSample = {
    customers: customers.rows,
    orderIds: orders.rows.map((row) => row.id),
    products: products.rows.map((row) => ({ id: row.id, category: row.category, searchTerm: row.search_term })),
    countryCodes: countries.rows.map((row) => row.code),
    dataEnd: new Date(DEMO_DATA_END),
  };
  if (!sample.customers.length || !sample.orderIds.length || !sample.products.length || !sample.countryCodes.length) {
    throw notLoaded();
  }
  return sample;
}

async function readIdRange(db: Queryable): Promise<{ customers: number; orders: number; products: number }> {
  const { rows: [exists] } = await db.query<{ loaded: boolean }>(DEMO_EXISTS);
  if (!exists?.loaded) throw notLoaded();
  const { rows: [range] } = await db.query<IdRangeRow>(ID_RANGE);
  if (!range?.customers || !range.orders || !range.products) throw notLoaded();
  return { customers: Number(range.customers), orders: Number(range.orders), products: Number(range.products) };
}

function notLoaded(): UserError {
  return new UserError('the demo dataset is not loaded in this database; run `optischema demo load` first');
}

