-- The Growth Report (Tasks 3 and 7): customer lifetime value, monthly retention cohorts and the
-- 7-day revenue curve, as of the moment it runs. Plain SQL, no parameters:
--   psql -d arcane -f sql/queries/growth_report.sql
-- Built on sql/30_growth_report.sql; definitions in CONTRACT.md. Days and months are UTC.

-- 1. Lifetime value: the 20 most valuable customers. running_ltv (Step 2) arrives ordered by
--    user, so its last row per user is the lifetime total; GROUP BY user_id streams, and the
--    top 20 are kept by a bounded heap sort, never a sort of every customer.
SELECT l.user_id,
       min(l.order_date)          AS first_order_date,
       count(*)                   AS orders,
       max(l.cumulative_revenue)  AS lifetime_revenue
FROM running_ltv AS l
GROUP BY l.user_id
ORDER BY lifetime_revenue DESC, l.user_id
LIMIT 20;

-- 2. Retention cohorts (Step 3): users by the month of their first purchase, with the average
--    revenue per user within 3, 6 and 12 months of joining. NULL = that horizon has not closed
--    yet for every member of the cohort; the figure would still grow.
SELECT c.cohort_month, c.cohort_size, c.avg_revenue_3m, c.avg_revenue_6m, c.avg_revenue_12m
FROM cohort_ltv(now()) AS c
ORDER BY c.cohort_month;

-- 3. The 7-day revenue curve over the last 90 complete UTC days (today is still running).
--    Days without sales show 0; every moving average covers seven real calendar days.
SELECT d.day, d.revenue, d.moving_avg_7d
FROM daily_revenue_curve((now() AT TIME ZONE 'UTC')::date - 90, (now() AT TIME ZONE 'UTC')::date - 1) AS d
ORDER BY d.day;
