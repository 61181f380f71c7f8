import { pickOne, pickWeighted, type Draw } from './random.ts';
import type { WorkloadSample } from './workload-sample.ts';

/**
 * The demo shop's application statements: the one place their texts live, so the workload, the
 * benchmark and later features (advisor tests, sandbox checks) use the very statements that
 * pg_stat_statements records. Texts carry bind parameters ($1…), never spliced values.
 */
export interface WorkloadQuery {
  /** Stable name, kebab-case; the workload's summary counts calls per kind. */
  kind: string;
  /** What the shop does with it, for people reading reports. */
  purpose: string;
  text: string;
  /**
   * `read` statements share the workload's time by `weight`; `write` statements are paced to a few
   * per second in turn (see workload.ts), so repeated runs do not grow the data.
   */
  access: 'read' | 'write';
  weight: number;
  /**
   * For reads: the index the demo schema lacks and this statement wants, as `table (columns)`; what
   * the advisor should find. Absent when the statement is already served by an index.
   */
  missingIndex?: string;
  /** Typical bind parameters, drawn from the loaded data. */
  params(sample: WorkloadSample, draw: Draw): unknown[];
}

const DAY_MS = 86_400_000;

/** Order statuses in data.sql's proportions, so status updates keep the distribution. */
const STATUS_MIX = [
  { item: 'delivered', weight: 80 },
  { item: 'shipped', weight: 10 },
  { item: 'cancelled', weight: 5 },
  { item: 'pending', weight: 4 },
  { item: 'processing', weight: 0.5 },
  { item: 'returned', weight: 0.5 },
] as const;

export const WORKLOAD_QUERIES: readonly WorkloadQuery[] = [
  {
    kind: 'customer-by-email',
    purpose: 'sign-in: find the account for an email address as stored',
    text: `select id, email, full_name, country_code, created_at
from demo.customers
where email = $1`,
    access: 'read',
    weight: 3,
    missingIndex: 'customers (email)',
    params: (sample, draw) => [pickOne(sample.customers, draw).email],
  },
  {
    kind: 'customer-by-email-ci',
    purpose: 'password reset: find the account whatever the case the address is typed in',
    text: `select id, email, full_name
from demo.customers
where lower(email) = lower($1)`,
    access: 'read',
    weight: 1,
    missingIndex: 'customers (lower(email))',
    params: (sample, draw) => [retypeEmail(pickOne(sample.customers, draw).email, draw)],
  },
  {
    kind: 'orders-by-customer-status',
    purpose: "account page: a customer's orders in one status, newest first",
    text: `select id, status, total, currency, created_at
from demo.orders
where customer_id = $1 and status = $2
order by created_at desc`,
    access: 'read',
    weight: 3,
    missingIndex: 'orders (customer_id, status)',
    params: (sample, draw) => [
      pickOne(sample.customers, draw).id,
      pickWeighted([{ item: 'delivered', weight: 5 }, { item: 'shipped', weight: 2 }, { item: 'pending', weight: 2 }, { item: 'cancelled', weight: 1 }], draw),
    ],
  },
  {
    kind: 'orders-of-new-customers',
    purpose: 'marketing: orders placed by customers of one country who signed up in the last days',
    text: `select o.id, o.customer_id, o.status, o.total, o.created_at
from demo.orders o
where o.customer_id in (
  select c.id from demo.customers c where c.country_code = $1 and c.created_at >= $2
)
order by o.created_at desc
limit 100`,
    access: 'read',
    weight: 1,
    missingIndex: 'orders (customer_id), customers (created_at)',
    params: (sample, draw) => [
      pickOne(sample.countryCodes, draw),
      new Date(sample.dataEnd.getTime() - (1 + Math.floor(draw() * 7)) * DAY_MS),
    ],
  },
  {
    kind: 'recent-orders-by-status',
    purpose: 'back office: the 20 newest orders in a status',
    text: `select id, customer_id, status, total, created_at
from demo.orders
where status = $1
order by created_at desc
limit 20`,
    access: 'read',
    weight: 2,
    missingIndex: 'orders (status, created_at)',
    params: (_sample, draw) => [pickOne(['pending', 'processing', 'shipped', 'cancelled', 'returned'], draw)],
  },
  {
    kind: 'revenue-dashboard',
    purpose: 'dashboard: orders and revenue per day and status over the last 7 to 30 days',
    text: `select date_trunc('day', created_at) as day, status, count(*) as orders, sum(total) as revenue
from demo.orders
where created_at >= $1 and created_at < $2
group by 1, 2
order by 1, 2`,
    access: 'read',
    weight: 1,
    missingIndex: 'orders (created_at)',
    params: (sample, draw) => [
      new Date(sample.dataEnd.getTime() - pickOne([7, 14, 30], draw) * DAY_MS),
      sample.dataEnd,
    ],
  },
  {
    kind: 'product-search',
    purpose: 'shop search: products of a category matching words, best sellers first',
    text: `select p.id, p.name, p.price, coalesce(sum(oi.quantity), 0) as units_sold
from demo.products p
left join demo.order_items oi on oi.product_id = p.id
where p.category = $1 and p.name ilike $2 and p.discontinued_at is null
group by p.id
order by units_sold desc, p.id
limit 20`,
    access: 'read',
    weight: 1,
    missingIndex: 'order_items (product_id)',
    params: (sample, draw) => {
      const product = pickOne(sample.products, draw);
      return [product.category, `%${product.searchTerm}%`];
    },
  },
  {
    kind: 'order-items',
    purpose: 'order page: the items of one order with their product names',
    text: `select oi.id, oi.product_id, p.name, oi.quantity, oi.unit_price
from demo.order_items oi
join demo.products p on p.id = oi.product_id
where oi.order_id = $1
order by oi.id`,
    access: 'read',
    weight: 2,
    missingIndex: 'order_items (order_id)',
    params: (sample, draw) => [pickOne(sample.orderIds, draw)],
  },
  {
    kind: 'insert-event',
    purpose: 'clickstream: record a page view, search or add-to-cart',
    text: `insert into demo.events (customer_id, kind, payload, created_at)
values ($1, $2, $3, now())`,
    access: 'write',
    weight: 1,
    params: (sample, draw) => {
      const customerId = draw() < 0.2 ? null : pickOne(sample.customers, draw).id;
      const product = pickOne(sample.products, draw);
      const kind = pickOne(['page_view', 'search', 'add_to_cart'], draw);
      const payload =
        kind === 'page_view' ? { path: `/products/${product.id}`, device: pickOne(['desktop', 'mobile', 'tablet'], draw) }
        : kind === 'search' ? { query: product.searchTerm.toLowerCase(), device: 'mobile', results: 1 + Math.floor(draw() * 40) }
        : { product_id: Number(product.id), quantity: 1 };
      return [customerId, kind, JSON.stringify(payload)];
    },
  },
  {
    kind: 'update-order-status',
    purpose: 'fulfilment: move an order to a new status',
    text: `update demo.orders
set status = $2::text,
    shipped_at = case when $2::text in ('shipped', 'delivered', 'returned') then coalesce(shipped_at, now()) end,
    updated_at = now()
where id = $1`,
    access: 'write',
    weight: 1,
    params: (sample, draw) => [pickOne(sample.orderIds, draw), pickWeighted(STATUS_MIX, draw)],
  },
  {
    kind: 'insert-order',
    purpose: 'checkout: create an order with one item at the current price',
    text: `with product as (
  select id, price from demo.products where id = $2
), new_order as (
  insert into demo.orders
    (customer_id, status, currency, total, shipping_cost, payment_method, payment_reference,
     shipping_address, ip_address, metadata, created_at, updated_at)
  select $1, 'pending', 'USD', product.price * $3::int, 4.99, 'card', $5, $4, $6, $7, now(), now()
  from product
  returning id
)
insert into demo.order_items (order_id, product_id, quantity, unit_price)
select new_order.id, product.id, $3::int, product.price
from new_order, product`,
    access: 'write',
    weight: 1,
    params: (sample, draw) => {
      const customer = pickOne(sample.customers, draw);
      return [
        customer.id,
        pickOne(sample.products, draw).id,
        1 + Math.floor(draw() * 3),
        customer.address,
        `pay_${Math.floor(draw() * 2 ** 48).toString(36).padStart(10, '0')}`,
        `10.${Math.floor(draw() * 256)}.${Math.floor(draw() * 256)}.${1 + Math.floor(draw() * 254)}`,
        JSON.stringify({ channel: pickOne(['web', 'app'], draw) }),
      ];
    },
  },
];

/** The definition of one kind; throws for an unknown kind (a typo in a caller). */
export function workloadQuery(kind: string): WorkloadQuery {
  const query = WORKLOAD_QUERIES.find((candidate) => candidate.kind === kind);
  if (!query) throw new Error(`no demo workload query of kind "${kind}"`);
  return query;
}

/** The address as a person might type it: as stored, all capitals, or capitalised. */
function retypeEmail(email: string, draw: Draw): string {
  const style = draw();
  if (style < 0.3) return email.toUpperCase();
  if (style < 0.6) return email.charAt(0).toUpperCase() + email.slice(1).toLowerCase();
  return email;
}
