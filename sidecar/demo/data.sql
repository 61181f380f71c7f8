-- Fills the demo tables created by schema.sql.
--
-- Deterministic: one session calls setseed() and then only INSERT … SELECT statements, which never run
-- in parallel, so random() is drawn in the same order and the same settings give the same rows. Row
-- ids are computed (generate_series, row_number), never taken from a sequence, for the same reason.
--
-- The loader sets these transaction-local settings first (all values come from dataset.ts):
--   optischema.demo_customers, optischema.demo_products, optischema.demo_orders, optischema.demo_events
--     how many rows to generate;
--   optischema.demo_end   the end of the two years of history, a fixed timestamp (not now()).
--
-- Patterns used throughout, for speed and determinism:
--   * A subquery whose target list calls random() is not merged into its parent, so each level draws
--     the values the next level combines, and every draw happens exactly once per row.
--   * Times are computed as epoch seconds in float8 and converted once with to_timestamp(); money as
--     integer cents times 0.01. Both avoid the slow paths (interval arithmetic, float8 → numeric goes
--     through text), which would otherwise take a third of the load time.
--   * Skew comes from powers of a uniform draw: floor(n * random()^k) favours low values more as k
--     grows.
--
-- A line "-- step: NAME" starts a step; the loader runs the steps one by one to report progress.

-- step: seed
select setseed(0.20240917);

-- step: countries
-- The lookup table is always complete, whatever the scale.
insert into demo.countries (code, name, vat_rate)
values
  ('US', 'United States', 0.00), ('GB', 'United Kingdom', 20.00), ('DE', 'Germany', 19.00),
  ('FR', 'France', 20.00), ('CA', 'Canada', 5.00), ('NL', 'Netherlands', 21.00),
  ('ES', 'Spain', 21.00), ('IT', 'Italy', 22.00), ('SE', 'Sweden', 25.00),
  ('AU', 'Australia', 10.00), ('PL', 'Poland', 23.00), ('BE', 'Belgium', 21.00),
  ('AT', 'Austria', 20.00), ('IE', 'Ireland', 23.00), ('DK', 'Denmark', 25.00),
  ('FI', 'Finland', 24.00), ('PT', 'Portugal', 23.00), ('NO', 'Norway', 25.00),
  ('CH', 'Switzerland', 8.10), ('JP', 'Japan', 10.00);

-- step: customers
-- Ids follow sign-up time, as a serial column would. Countries are skewed towards the first entries.
-- About 5% of emails were stored as typed, with capitals, so only `lower(email)` finds every
-- address. A third have no phone, 5% no postal code, 10% never signed in (no user agent).
insert into demo.customers
  (id, email, full_name, phone, password_hash, address_line, city, postal_code, country_code, marketing_opt_in,
   preferences, last_user_agent, created_at)
select
  g,
  case
    when mixed_case then initcap(first_name || '.' || last_name) || g || '@' || initcap(domain)
    else first_name || '.' || last_name || g || '@' || domain
  end,
  initcap(first_name || ' ' || last_name),
  case when has_phone then '+' || phone_prefix || ' ' || phone_number end,
  password_hash,
  address_line,
  city,
  case when has_postal_code then postal_code end,
  country_code,
  opt_in,
  preferences,
  case when signed_in then user_agent end,
  to_timestamp(start_epoch + (g - 1 + signup_jitter) / customers * span)
from (
  select
    g, p.customers, p.start_epoch, p.span,
    (array['anna', 'ben', 'carla', 'david', 'emma', 'felix', 'grace', 'hugo', 'ines', 'jonas', 'kim',
           'liam', 'maria', 'noah', 'olga', 'paul', 'quinn', 'rosa', 'sam', 'tara', 'umar', 'vera',
           'will', 'yara'])[1 + floor(random() * 24)::int] as first_name,
    (array['smith', 'jones', 'muller', 'garcia', 'rossi', 'dubois', 'nowak', 'jansen', 'silva',
           'kowalski', 'brown', 'novak', 'olsen', 'murphy', 'fischer', 'moreau', 'lopez', 'weber',
           'keller', 'tanaka'])[1 + floor(random() * 20)::int] as last_name,
    (array['example.com', 'example.net', 'example.org', 'mail.test', 'inbox.test',
           'shop.example'])[1 + floor(random() * 6)::int] as domain,
    random() < 0.05 as mixed_case,
    random() >= 0.35 as has_phone,
    (1 + floor(random() * 98))::int as phone_prefix,
    lpad(floor(random() * 1e9)::bigint::text, 9, '0') as phone_number,
    -- Shaped like a bcrypt hash: two slices of a fixed random string, much cheaper than hashing.
    '$2b$12$' || substr(p.alphabet, 1 + floor(random() * 64)::int, 27)
              || substr(p.alphabet, 1 + floor(random() * 64)::int, 26) as password_hash,
    (1 + floor(random() * 250))::int || ' ' ||
      (array['Oak', 'Maple', 'Station', 'Harbour', 'Mill', 'Church', 'Park', 'Victoria', 'Garden',
             'River', 'Market', 'School'])[1 + floor(random() * 12)::int] || ' ' ||
      (array['Street', 'Road', 'Lane', 'Avenue', 'Way', 'Close'])[1 + floor(random() * 6)::int] ||
      case when random() < 0.3 then ', Apartment ' || (1 + floor(random() * 80))::int else '' end
      as address_line,
    (array['Springfield', 'Riverside', 'Fairview', 'Kingston', 'Greenville', 'Ashford', 'Lakeside',
           'Brookfield', 'Westport', 'Millbrook', 'Oakridge', 'Newhaven'])[1 + floor(random() * 12)::int] as city,
    random() >= 0.05 as has_postal_code,
    lpad(floor(random() * 100000)::int::text, 5, '0') as postal_code,
    (array['US', 'GB', 'DE', 'FR', 'CA', 'NL', 'ES', 'IT', 'SE', 'AU', 'PL', 'BE', 'AT', 'IE', 'DK',
           'FI', 'PT', 'NO', 'CH', 'JP'])[1 + floor(power(random(), 2) * 20)::int] as country_code,
    random() < 0.3 as opt_in,
    (array['{"language": "en", "currency": "USD", "newsletter": true, "theme": "light"}',
           '{"language": "en", "currency": "GBP", "newsletter": false}',
           '{"language": "de", "currency": "EUR", "newsletter": true, "size": {"shoes": 42}}',
           '{"language": "fr", "currency": "EUR", "newsletter": false, "theme": "dark"}',
           '{"language": "es", "currency": "EUR"}']::jsonb[])[1 + floor(random() * 5)::int] as preferences,
    random() >= 0.1 as signed_in,
    (array['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
           'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
           'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
           'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
           'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
           'ShopApp/5.12.0 (iOS 17.4; iPhone15,2)'])[1 + floor(random() * 6)::int] as user_agent,
    random() as signup_jitter
  from (
    select
      'pTyGJMuHbEL31IeL2HPcHyGcFRl1SPnXNYvMIHa/2o76umfXfKm/r5kJP1VrT.1FJors/6ILi8IHn5kxsC7tVO/HbkQfyy/KV5zjR3j1twdTKWTddB.XhkAS1voQG6yy' as alphabet,
      current_setting('optischema.demo_customers')::bigint as customers,
      extract(epoch from current_setting('optischema.demo_end')::timestamptz - interval '730 days')::float8 as start_epoch,
      extract(epoch from interval '730 days')::float8 as span
  ) p
  cross join lateral generate_series(1, p.customers) g
) s;

-- step: products
-- Names are "<style> <material> <noun>", so a search for a style and a material within a category
-- matches about one product in 1,400. Prices are log-uniform between 2 and 2,000.
insert into demo.products (id, sku, name, category, price, stock, discontinued_at)
select
  g,
  'SKU-' || lpad(g::text, 8, '0'),
  style || ' ' || material || ' ' || noun,
  category,
  floor(exp(ln(200) + random() * ln(1000)))::bigint * 0.01,
  floor(power(random(), 3) * 500)::int,
  case when random() < 0.05 then to_timestamp(end_epoch - random() * 365 * 86400) end
from (
  select
    g, p.end_epoch,
    (array['Classic', 'Modern', 'Rustic', 'Vintage', 'Sport', 'Urban', 'Cozy', 'Premium', 'Compact',
           'Deluxe'])[1 + floor(random() * 10)::int] as style,
    (array['Wool', 'Cotton', 'Leather', 'Steel', 'Oak', 'Bamboo', 'Linen', 'Ceramic', 'Glass',
           'Copper', 'Canvas', 'Walnut'])[1 + floor(random() * 12)::int] as material,
    (array['Lamp', 'Chair', 'Bag', 'Jacket', 'Mug', 'Table', 'Blanket', 'Watch', 'Shelf', 'Bottle',
           'Scarf', 'Rug'])[1 + floor(random() * 12)::int] as noun,
    (array['home', 'garden', 'kitchen', 'fashion', 'outdoor', 'office', 'kids', 'sports', 'travel',
           'beauty', 'pets', 'gifts'])[1 + floor(random() * 12)::int] as category
  from (
    select
      current_setting('optischema.demo_products')::bigint as products,
      extract(epoch from current_setting('optischema.demo_end')::timestamptz)::float8 as end_epoch
  ) p
  cross join lateral generate_series(1, p.products) g
) s;

-- step: orders
-- Customers are drawn as floor(n * u^1.6): low ids (the earliest sign-ups) order far more often, a
-- zipf-like skew (at scale 1 the top customer has hundreds of orders, the median one or two). An order
-- comes after its customer's sign-up. Status: delivered 80%, shipped 10%, cancelled 5%, pending 4%,
-- processing and returned 0.5% each. Totals follow a Pareto law (alpha 1.5, minimum 12): median about
-- 19, a long tail of large orders. Only shipped, delivered and returned orders have shipped_at.
insert into demo.orders
  (id, customer_id, status, currency, total, shipping_cost, payment_method, payment_reference, coupon_code,
   shipping_address, billing_address, tracking_number, ip_address, metadata, created_at, shipped_at, updated_at)
select
  g,
  customer_id,
  status,
  currency,
  total,
  shipping_cost,
  payment_method,
  payment_reference,
  coupon_code,
  shipping_address,
  billing_address,
  case when shipped_epoch is not null then tracking_number end,
  ip_address,
  metadata,
  to_timestamp(created_epoch),
  to_timestamp(shipped_epoch),
  to_timestamp(coalesce(shipped_epoch, created_epoch))
from (
  select
    g, customer_id, status, currency, total, shipping_cost, payment_method, payment_reference, coupon_code,
    shipping_address, billing_address, tracking_number, ip_address, metadata, created_epoch,
    case when status in ('shipped', 'delivered', 'returned')
         then created_epoch + 21600 + random() * 3 * 86400 end as shipped_epoch
  from (
    select
      g, customer_id,
      case
        when status_draw < 0.800 then 'delivered'
        when status_draw < 0.900 then 'shipped'
        when status_draw < 0.950 then 'cancelled'
        when status_draw < 0.990 then 'pending'
        when status_draw < 0.995 then 'processing'
        else 'returned'
      end as status,
      (array['USD', 'USD', 'EUR', 'EUR', 'GBP'])[1 + floor(random() * 5)::int] as currency,
      least(floor(1200 / power(1 - random(), 1 / 1.5::float8)), 25000000)::bigint * 0.01 as total,
      (array[0, 0, 0, 499, 499, 999, 1499])[1 + floor(random() * 7)::int] * 0.01 as shipping_cost,
      (array['card', 'card', 'card', 'paypal', 'paypal', 'invoice', 'gift_card'])[1 + floor(random() * 7)::int]
        as payment_method,
      'pay_' || substr(alphabet, 1 + floor(random() * 64)::int, 12) || substr(alphabet, 1 + floor(random() * 64)::int, 12)
        as payment_reference,
      case when random() < 0.1
           then (array['WELCOME10', 'SPRING15', 'FREESHIP', 'VIP20'])[1 + floor(random() * 4)::int] end as coupon_code,
      (1 + floor(random() * 250))::int || ' ' ||
        (array['Oak', 'Maple', 'Station', 'Harbour', 'Mill', 'Church', 'Park', 'Victoria', 'Garden',
               'River', 'Market', 'School'])[1 + floor(random() * 12)::int] || ' Street, ' ||
        (array['Springfield', 'Riverside', 'Fairview', 'Kingston', 'Greenville', 'Ashford', 'Lakeside',
               'Brookfield', 'Westport', 'Millbrook', 'Oakridge', 'Newhaven'])[1 + floor(random() * 12)::int]
        as shipping_address,
      -- Three in four orders bill the shipping address (NULL); the rest name another one.
      case when random() < 0.25
           then (1 + floor(random() * 250))::int || ' ' ||
                (array['Elm', 'Bridge', 'High', 'King', 'Queen', 'North', 'South', 'West'])[1 + floor(random() * 8)::int]
                || ' Road, ' ||
                (array['Springfield', 'Riverside', 'Fairview', 'Kingston'])[1 + floor(random() * 4)::int] end
        as billing_address,
      '1Z' || lpad(floor(random() * 1e15)::bigint::text, 16, '0') as tracking_number,
      -- inet + bigint: an address in 10.0.0.0/8 without parsing text.
      '10.0.0.0'::inet + floor(random() * 16777216)::bigint as ip_address,
      (array['{"channel": "web", "utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "spring-sale"}',
             '{"channel": "web", "utm_source": "google", "utm_medium": "cpc", "utm_campaign": "brand"}',
             '{"channel": "app", "app_version": "5.12.0", "push_opt_in": true}',
             '{"channel": "web", "referrer": "https://www.example.com/gift-guide", "gift": true}',
             '{"channel": "web"}']::jsonb[])[1 + floor(random() * 5)::int] as metadata,
      -- The customer signed up before signed_up_epoch (see the customers step), so the order follows it.
      signed_up_epoch + random() * (end_epoch - signed_up_epoch) as created_epoch
    from (
      select
        g, customer_id, status_draw, end_epoch, alphabet,
        start_epoch + customer_id::float8 / customers * span as signed_up_epoch
      from (
        select
          g, p.customers, p.start_epoch, p.end_epoch, p.span, p.alphabet,
          1 + floor(p.customers * power(random(), 1.6))::bigint as customer_id,
          random() as status_draw
        from (
          select
            'ZZGeoZDMENcKHVmDGAkJiG8XnBE3NnYJoQ9WmXeHH2fdeeTFJGvVvQe1sKhBN88hXJsi6BwhTp3Fs2QhX6KWxOiixgVoOnzyw2MzP0ZvzOMhfWuBByReQMsm9Wcz7uW9' as alphabet,
            current_setting('optischema.demo_customers')::bigint as customers,
            current_setting('optischema.demo_orders')::bigint as orders,
            extract(epoch from current_setting('optischema.demo_end')::timestamptz - interval '730 days')::float8 as start_epoch,
            extract(epoch from current_setting('optischema.demo_end')::timestamptz)::float8 as end_epoch,
            extract(epoch from interval '730 days')::float8 as span
        ) p
        cross join lateral generate_series(1, p.orders) g
      ) drawn
    ) timed
  ) described
) s;

-- step: order_items
-- One to five items per order (mean about 2.3), products skewed towards low ids (popular products).
-- The draws happen in the subqueries, in generate_series order; the join to products only reads the
-- price, so they do not depend on the join's plan.
insert into demo.order_items (id, order_id, product_id, quantity, unit_price)
select i.id, i.order_id, i.product_id, i.quantity, p.price
from (
  select row_number() over () as id, order_id, product_id, quantity
  from (
    select
      per_order.o as order_id,
      1 + floor(per_order.products * power(random(), 2))::bigint as product_id,
      case when random() < 0.85 then 1 else 2 + floor(random() * 4)::int end as quantity
    from (
      -- The item count is drawn in its own subquery: a lateral call whose arguments name no column of
      -- the row before it would be evaluated only once.
      select o, s.products, 1 + floor(power(random(), 2) * 5)::int as items
      from (
        select current_setting('optischema.demo_orders')::bigint as orders,
               current_setting('optischema.demo_products')::bigint as products
      ) s
      cross join lateral generate_series(1, s.orders) o
    ) per_order
    cross join lateral generate_series(1, per_order.items) n
  ) drawn
) i
join demo.products p on p.id = i.product_id;

-- step: events
-- Clickstream: 20% anonymous (customer_id NULL), kinds page_view 70%, search 12%, add_to_cart 13%,
-- checkout 5%; the jsonb payload's keys depend on the kind. The square root skews events towards the
-- end of the window: traffic grows.
insert into demo.events (id, customer_id, kind, payload, created_at)
select
  g,
  customer_id,
  kind,
  case kind
    when 'page_view' then jsonb_build_object('path', '/products/' || product_id, 'device', device,
                                             'referrer', case when random() < 0.4 then 'search' end)
    when 'search' then jsonb_build_object('query', word, 'device', device, 'results', floor(random() * 60)::int)
    when 'add_to_cart' then jsonb_build_object('product_id', product_id, 'quantity', 1 + floor(power(random(), 3) * 4)::int)
    else jsonb_build_object('order_total', least(floor(1200 / power(1 - random(), 1 / 1.5::float8)), 25000000)::bigint * 0.01,
                            'device', device)
  end,
  to_timestamp(created_epoch)
from (
  select
    g,
    case when anonymous then null else 1 + floor(customers * power(random(), 1.6))::bigint end as customer_id,
    case
      when kind_draw < 0.70 then 'page_view'
      when kind_draw < 0.82 then 'search'
      when kind_draw < 0.95 then 'add_to_cart'
      else 'checkout'
    end as kind,
    product_id, device, word, created_epoch
  from (
    select
      g, p.customers,
      random() < 0.2 as anonymous,
      random() as kind_draw,
      1 + floor(p.products * power(random(), 2))::bigint as product_id,
      (array['desktop', 'mobile', 'mobile', 'tablet'])[1 + floor(random() * 4)::int] as device,
      (array['wool', 'lamp', 'oak table', 'gift', 'leather bag', 'sale'])[1 + floor(random() * 6)::int] as word,
      p.end_epoch - (1 - sqrt(random())) * p.span as created_epoch
    from (
      select
        current_setting('optischema.demo_customers')::bigint as customers,
        current_setting('optischema.demo_products')::bigint as products,
        current_setting('optischema.demo_events')::bigint as events,
        extract(epoch from current_setting('optischema.demo_end')::timestamptz)::float8 as end_epoch,
        extract(epoch from interval '730 days')::float8 as span
    ) p
    cross join lateral generate_series(1, p.events) g
  ) drawn
) s;

-- step: reseed
-- setseed() fixed this session's random() sequence; seed it again from the clock so that whoever uses
-- the connection after the load does not get predictable "random" numbers.
select setseed(extract(microseconds from clock_timestamp()) / 60000000.0 * 2 - 1);
