-- Task 6: the materialized dashboard. Definitions in CONTRACT.md (Tasks 5 and 6).
--
-- Leadership's dashboard reads precomputed rows, never the million-row base tables: one row per
-- UTC day in daily_sales_stats, one row per cohort month in cohort_ltv_summary. Both are stale
-- by design until refresh_dashboard() runs REFRESH MATERIALIZED VIEW CONCURRENTLY: the new
-- contents are computed beside the old ones and merged in as a diff, so readers keep reading the
-- old rows meanwhile (CONCURRENTLY takes an EXCLUSIVE lock, which blocks other refreshes and
-- writes to the view but not SELECTs; a plain REFRESH takes ACCESS EXCLUSIVE and blocks every
-- reader until it commits). CONCURRENTLY needs a unique index on plain columns, no WHERE clause:
-- daily_sales_stats_day_key and cohort_ltv_summary_month_key below.
--
-- Days are UTC calendar days (AT TIME ZONE 'UTC'), never the session's TimeZone.

-- One row per UTC day from the first order's day through yesterday (as of the refresh).
--   revenue        sum(quantity * unit_price) of the lines of the day's orders (0 on a day without)
--   orders         orders placed that day; customers: distinct buyers that day; units: sum(quantity)
--   top_products   up to 3 {"product_id", "name", "revenue", "units"} by revenue desc, product_id
--   revenue_7d_avg round(sum(revenue of day-6 .. day) / 7, 2): days before the first order count 0
--   churn          of the customers who ordered in the previous 30-day window [day-59, day-30]
--                  (churn_base_customers), those with no order in [day-29, day] (churned_customers);
--                  churn_rate = round(churned / base, 4), NULL when the base is empty
CREATE MATERIALIZED VIEW daily_sales_stats AS
WITH order_days AS (
    SELECT o.order_id, o.user_id, (o.order_date AT TIME ZONE 'UTC')::date AS day
    FROM orders AS o
),
calendar AS (
    SELECT b.first_day + g AS day
    FROM (SELECT min(day) AS first_day FROM order_days) AS b
    CROSS JOIN LATERAL generate_series(0, (now() AT TIME ZONE 'UTC')::date - 1 - b.first_day) AS g
),
-- Money in integer cents inside the big aggregate (1.6 M day x product groups at 1 M orders):
-- bigint sums keep the hash table half the size of numeric ones; back to numeric(…, 2) at the end.
product_days AS (
    SELECT od.day, i.product_id, sum(i.quantity * (i.unit_price * 100)::bigint) AS cents, sum(i.quantity) AS units
    FROM order_days AS od
    JOIN order_items AS i ON i.order_id = od.order_id
    GROUP BY od.day, i.product_id
),
day_lines AS (
    SELECT pd.day, sum(pd.cents) AS cents, sum(pd.units) AS units
    FROM product_days AS pd
    GROUP BY pd.day
),
day_orders AS (
    SELECT od.day, count(*) AS orders, count(DISTINCT od.user_id) AS customers
    FROM order_days AS od
    GROUP BY od.day
),
top_products AS (
    SELECT r.day,
           jsonb_agg(jsonb_build_object('product_id', r.product_id, 'name', p.name,
                                        'revenue', r.cents * 0.01, 'units', r.units) ORDER BY r.rank) AS top_products
    FROM (SELECT pd.*, row_number() OVER (PARTITION BY pd.day ORDER BY pd.cents DESC, pd.product_id) AS rank
          FROM product_days AS pd) AS r
    JOIN products AS p ON p.product_id = r.product_id
    WHERE r.rank <= 3
    GROUP BY r.day
),
-- Churn without a 60-day self-join per day. For a customer's order day x followed by their next
-- order day n (NULL if none), x is the latest order in [d-59, d-30] exactly for
-- d in [x+30, min(x+59, n+29)]: the customer is in d's base then. Of those days, the customer has
-- churned on d in [x+30, min(x+59, n-1)] (no order in [d-29, d]). Each interval becomes +1/-1
-- events; a running sum over the calendar counts the customers per day.
customer_days AS (
    SELECT DISTINCT od.user_id, od.day FROM order_days AS od
),
spans AS (
    SELECT cd.day, lead(cd.day) OVER (PARTITION BY cd.user_id ORDER BY cd.day) AS next_day
    FROM customer_days AS cd
),
churn_events AS (
    SELECT e.day, sum(e.base) AS base, sum(e.churned) AS churned
    FROM (SELECT s.day + 30 AS day, count(*) AS base,
                 count(*) FILTER (WHERE s.next_day IS NULL OR s.next_day > s.day + 30) AS churned
          FROM spans AS s GROUP BY 1
          UNION ALL
          SELECT least(s.day + 59, s.next_day + 29) + 1, -count(*), 0
          FROM spans AS s GROUP BY 1
          UNION ALL
          SELECT least(s.day + 59, s.next_day - 1) + 1, 0, -count(*)
          FROM spans AS s WHERE s.next_day IS NULL OR s.next_day > s.day + 30 GROUP BY 1) AS e
    GROUP BY e.day
),
days AS (
    SELECT c.day,
           coalesce(l.cents, 0) * 0.01 AS revenue,
           coalesce(o.orders, 0) AS orders,
           coalesce(o.customers, 0) AS customers,
           coalesce(l.units, 0) AS units,
           coalesce(t.top_products, '[]'::jsonb) AS top_products,
           round(sum(coalesce(l.cents, 0)) OVER (ORDER BY c.day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) * 0.01 / 7, 2) AS revenue_7d_avg,
           sum(coalesce(e.base, 0)) OVER (ORDER BY c.day ROWS UNBOUNDED PRECEDING) AS churn_base_customers,
           sum(coalesce(e.churned, 0)) OVER (ORDER BY c.day ROWS UNBOUNDED PRECEDING) AS churned_customers
    FROM calendar AS c
    LEFT JOIN day_lines AS l ON l.day = c.day
    LEFT JOIN day_orders AS o ON o.day = c.day
    LEFT JOIN top_products AS t ON t.day = c.day
    LEFT JOIN churn_events AS e ON e.day = c.day
)
SELECT d.day,
       d.revenue,
       d.orders,
       d.customers,
       d.units,
       d.top_products,
       d.revenue_7d_avg,
       d.churn_base_customers::bigint AS churn_base_customers,
       d.churned_customers::bigint AS churned_customers,
       CASE WHEN d.churn_base_customers > 0 THEN round(d.churned_customers / d.churn_base_customers, 4) END AS churn_rate
FROM days AS d;

-- The unique index that makes REFRESH ... CONCURRENTLY legal; also the dashboard's day lookup.
CREATE UNIQUE INDEX daily_sales_stats_day_key ON daily_sales_stats (day);
COMMENT ON MATERIALIZED VIEW daily_sales_stats IS
    'Task 6: one row per UTC day through yesterday: revenue, orders, customers, units, top 3 products, 7-day average, 30-day churn. Stale until CALL refresh_dashboard().';

-- Task 3's cohorts, cached: cohort_ltv() as of the refresh (the function pins its own
-- search_path, which REFRESH needs since PostgreSQL 17).
CREATE MATERIALIZED VIEW cohort_ltv_summary AS
SELECT c.cohort_month, c.cohort_size, c.avg_revenue_3m, c.avg_revenue_6m, c.avg_revenue_12m
FROM cohort_ltv(now()) AS c;

CREATE UNIQUE INDEX cohort_ltv_summary_month_key ON cohort_ltv_summary (cohort_month);
COMMENT ON MATERIALIZED VIEW cohort_ltv_summary IS
    'cohort_ltv() as of the last refresh: one row per cohort month. Stale until CALL refresh_dashboard().';

-- The maintenance routine: CALL refresh_dashboard(); (cron, `npm run refresh -- --every 5m`, or
-- pg_cron: SELECT cron.schedule('dashboard', '*/5 * * * *', 'CALL refresh_dashboard()')).
-- A procedure without transaction control, so it may also run inside a caller's transaction.
-- work_mem: the day x product aggregate (1.6 M groups at 1 M orders) and the churn window sort
-- stay in memory instead of spilling to temporary files.
CREATE PROCEDURE refresh_dashboard()
LANGUAGE plpgsql
SET work_mem = '256MB'
AS $$
BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales_stats;
    REFRESH MATERIALIZED VIEW CONCURRENTLY cohort_ltv_summary;
END
$$;
COMMENT ON PROCEDURE refresh_dashboard() IS
    'Task 6: REFRESH MATERIALIZED VIEW CONCURRENTLY of daily_sales_stats and cohort_ltv_summary; readers keep the old rows meanwhile.';
