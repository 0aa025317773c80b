-- A day's top products by revenue, with names, one row each (from the materialized view).
--   psql -v day=2026-11-23 -f sql/queries/dashboard/top_products.sql
SELECT s.day, t.rank, (t.item ->> 'product_id')::uuid AS product_id, t.item ->> 'name' AS name,
       (t.item ->> 'revenue')::numeric AS revenue, (t.item ->> 'units')::bigint AS units
FROM daily_sales_stats AS s
CROSS JOIN LATERAL jsonb_array_elements(s.top_products) WITH ORDINALITY AS t(item, rank)
WHERE s.day = :'day'::date
ORDER BY t.rank;
