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
-- The view aggregates the per-day rollups (45_dashboard_rollups.sql), which refresh_dashboard()
-- brings up to date first: a refresh costs what changed plus a few hundred rows per view.
CREATE MATERIALIZED VIEW daily_sales_stats AS
WITH calendar AS (
    SELECT b.first_day + g AS day
    FROM (SELECT (min(o.order_date) AT TIME ZONE 'UTC')::date AS first_day FROM orders AS o) AS b
    CROSS JOIN LATERAL generate_series(0, (now() AT TIME ZONE 'UTC')::date - 1 - b.first_day) AS g
),
top_products AS (
    SELECT t.day,
           jsonb_agg(jsonb_build_object('product_id', t.product_id, 'name', p.name,
                                        'revenue', t.cents * 0.01, 'units', t.units) ORDER BY t.rank) AS top_products
    FROM dashboard.top_products AS t
    JOIN products AS p ON p.product_id = t.product_id
    GROUP BY t.day
),
days AS (
    SELECT c.day,
           coalesce(s.cents, 0) * 0.01 AS revenue,
           coalesce(s.orders, 0) AS orders,
           coalesce(s.customers, 0) AS customers,
           coalesce(s.units, 0) AS units,
           coalesce(t.top_products, '[]'::jsonb) AS top_products,
           round(sum(coalesce(s.cents, 0)) OVER (ORDER BY c.day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) * 0.01 / 7, 2) AS revenue_7d_avg,
           coalesce(h.churn_base_customers, 0) AS churn_base_customers,
           coalesce(h.churned_customers, 0) AS churned_customers
    FROM calendar AS c
    LEFT JOIN dashboard.sales_days AS s ON s.day = c.day
    LEFT JOIN top_products AS t ON t.day = c.day
    LEFT JOIN dashboard.churn_days AS h ON h.day = c.day
)
SELECT d.day,
       d.revenue,
       d.orders,
       d.customers,
       d.units,
       d.top_products,
       d.revenue_7d_avg,
       d.churn_base_customers,
       d.churned_customers,
       CASE WHEN d.churn_base_customers > 0 THEN round(d.churned_customers::numeric / d.churn_base_customers, 4) END AS churn_rate
FROM days AS d;

-- The unique index that makes REFRESH ... CONCURRENTLY legal; also the dashboard's day lookup.
CREATE UNIQUE INDEX daily_sales_stats_day_key ON daily_sales_stats (day);
COMMENT ON MATERIALIZED VIEW daily_sales_stats IS
    'Task 6: one row per UTC day through yesterday: revenue, orders, customers, units, top 3 products, 7-day average, 30-day churn. Stale until CALL refresh_dashboard().';

-- Task 3's cohorts, cached: cohort_ltv(now()) as of the refresh, from the per-user and per-month
-- rollups. cohort_ltv() counts only buyers whose first purchase is before as_of: those whose
-- first order is still in the future are taken out of their month's sums here.
CREATE MATERIALIZED VIEW cohort_ltv_summary AS
WITH not_yet AS (
    SELECT date_trunc('month', u.first_order_date AT TIME ZONE 'UTC')::date AS cohort_month,
           count(*) AS members, sum(u.ltv_3m) AS sum_3m, sum(u.ltv_6m) AS sum_6m, sum(u.ltv_12m) AS sum_12m
    FROM dashboard.cohort_users AS u
    WHERE u.first_order_date >= now()
    GROUP BY 1
),
cohorts AS (
    SELECT m.cohort_month,
           m.members - coalesce(f.members, 0) AS members,
           m.sum_3m - coalesce(f.sum_3m, 0) AS sum_3m,
           m.sum_6m - coalesce(f.sum_6m, 0) AS sum_6m,
           m.sum_12m - coalesce(f.sum_12m, 0) AS sum_12m
    FROM dashboard.cohort_months AS m
    LEFT JOIN not_yet AS f ON f.cohort_month = m.cohort_month
)
SELECT c.cohort_month,
       c.members AS cohort_size,
       CASE WHEN cohort_horizon_closed(c.cohort_month, 3, now())  THEN round(c.sum_3m / c.members, 2)  END AS avg_revenue_3m,
       CASE WHEN cohort_horizon_closed(c.cohort_month, 6, now())  THEN round(c.sum_6m / c.members, 2)  END AS avg_revenue_6m,
       CASE WHEN cohort_horizon_closed(c.cohort_month, 12, now()) THEN round(c.sum_12m / c.members, 2) END AS avg_revenue_12m
FROM cohorts AS c
WHERE c.members > 0;

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
    CALL dashboard_rollups_update();
    REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales_stats;
    REFRESH MATERIALIZED VIEW CONCURRENTLY cohort_ltv_summary;
END
$$;
COMMENT ON PROCEDURE refresh_dashboard() IS
    'Task 6: REFRESH MATERIALIZED VIEW CONCURRENTLY of daily_sales_stats and cohort_ltv_summary; readers keep the old rows meanwhile.';
