-- The dashboard's headline: yesterday (UTC) from the materialized view, one index lookup.
--   psql -f sql/queries/dashboard/yesterday_stats.sql
SELECT s.day, s.revenue, s.orders, s.customers, s.units, s.top_products, s.revenue_7d_avg,
       s.churn_base_customers, s.churned_customers, s.churn_rate
FROM daily_sales_stats AS s
WHERE s.day = (now() AT TIME ZONE 'UTC')::date - 1;
