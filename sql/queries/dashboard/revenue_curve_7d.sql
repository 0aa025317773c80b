-- The 7-day revenue curve: the 30 days ending :'day', daily revenue and its 7-day moving average
-- (precomputed in the materialized view: sum of day-6 .. day / 7).
--   psql -v day=2026-11-23 -f sql/queries/dashboard/revenue_curve_7d.sql
SELECT s.day, s.revenue, s.revenue_7d_avg
FROM daily_sales_stats AS s
WHERE s.day > :'day'::date - 30
  AND s.day <= :'day'::date
ORDER BY s.day;
