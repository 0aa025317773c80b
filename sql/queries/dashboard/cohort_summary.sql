-- Monthly cohorts with their average revenue per customer after 3, 6 and 12 months
-- (cohort_ltv() cached in a materialized view: one row per month, a single 8 kB page).
--   psql -f sql/queries/dashboard/cohort_summary.sql
SELECT c.cohort_month, c.cohort_size, c.avg_revenue_3m, c.avg_revenue_6m, c.avg_revenue_12m
FROM cohort_ltv_summary AS c
ORDER BY c.cohort_month;
