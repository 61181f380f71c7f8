import type pg from 'pg';

/**
 * Literal values read from the loaded demo data, so that the cases' queries name rows that exist
 * (an email that is stored, a customer with a few orders). Same scale, same rows (data.sql is
 * deterministic), so the cases repeat from run to run. Ids are strings: pg returns bigint as text.
 */
export interface AdviceSample {
  /** An all-lowercase email, stored as is. */
  email: string;
  /** Two more lowercase emails, for an IN list. */
  moreEmails: string[];
  /** An email stored with capitals; queries look it up as `lower(email) = <its lowercase>`. */
  mixedCaseEmail: string;
  /** `first.last` plus the first two digits of a five- or six-digit id: a LIKE prefix matching a few dozen rows. */
  emailPrefix: string;
  /** A customer with 3 to 8 orders and some events. */
  customerId: string;
  /** Five customers for an IN list. */
  customerIds: string[];
  /** A shipped order's tracking number. */
  trackingNumber: string;
  orderId: string;
  /** The SKU of an unpopular product (a high id: data.sql skews sales towards low ids). */
  rareSku: string;
  /** Ten customers and ten orders for the generated workload statements. */
  manyCustomerIds: string[];
  manyOrderIds: string[];
  manyEmails: string[];
}

const SAMPLE = `
with chosen as (
  select customer_id
  from demo.orders
  group by customer_id
  having count(*) between 3 and 8
  order by customer_id
  offset 100
  limit 15
),
lower_emails as (
  select email from demo.customers
  where email = lower(email) and id >= (select max(id) / 2 from demo.customers)
  order by id
  limit 13
)
select
  (select array_agg(customer_id::text order by customer_id) from chosen) as customer_ids,
  (select array_agg(email order by email) from lower_emails) as emails,
  (select email from demo.customers where email <> lower(email) order by id offset 50 limit 1) as mixed_case_email,
  (select split_part(email, '@', 1) from demo.customers where email = lower(email) and id between 12000 and 12999 order by id limit 1) as local_part,
  (select tracking_number from demo.orders where tracking_number is not null order by id offset 1000 limit 1) as tracking_number,
  (select array_agg(id::text order by id) from (select id from demo.orders order by id offset 2000 limit 11) o) as order_ids,
  (select sku from demo.products order by id desc offset 10 limit 1) as rare_sku`;

interface SampleRow {
  customer_ids: string[] | null;
  emails: string[] | null;
  mixed_case_email: string | null;
  local_part: string | null;
  tracking_number: string | null;
  order_ids: string[] | null;
  rare_sku: string | null;
}

/** Reads the sample; throws when the demo is too small to give every value. */
export async function loadAdviceSample(db: pg.ClientBase): Promise<AdviceSample> {
  const { rows } = await db.query<SampleRow>(SAMPLE);
  const row = rows[0];
  const customerIds = row?.customer_ids ?? [];
  const emails = row?.emails ?? [];
  const orderIds = row?.order_ids ?? [];
  if (!row || customerIds.length < 15 || emails.length < 13 || orderIds.length < 11 || !row.mixed_case_email || !row.local_part || !row.tracking_number || !row.rare_sku) {
    throw new Error('the demo data is too small for the index-advice cases: load a larger --scale');
  }
  // local part "vera.tanaka12345" → prefix "vera.tanaka12": the name plus the id's first two digits.
  const localPart = row.local_part;
  const digits = localPart.match(/\d+$/)?.[0] ?? '';
  const emailPrefix = localPart.slice(0, localPart.length - digits.length) + digits.slice(0, 2);
  return {
    email: emails[0]!,
    moreEmails: emails.slice(1, 3),
    mixedCaseEmail: row.mixed_case_email,
    emailPrefix,
    customerId: customerIds[0]!,
    customerIds: customerIds.slice(0, 5),
    trackingNumber: row.tracking_number,
    orderId: orderIds[0]!,
    rareSku: row.rare_sku,
    manyCustomerIds: customerIds.slice(5, 15),
    manyOrderIds: orderIds.slice(1, 11),
    manyEmails: emails.slice(3, 13),
  };
}
