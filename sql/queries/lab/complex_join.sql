-- Task 5's complex join: everything one customer bought, across users, orders, order_items and
-- products. The lab runs it twice with EXPLAIN (ANALYZE, BUFFERS): first with the indexes on the
-- join columns dropped (Seq Scans, Filters discarding rows, hash joins over whole tables), then
-- with B-tree indexes on every join column (nested loops of index probes).
--   psql -v user_id=<uuid> -f sql/queries/lab/complex_join.sql
SELECT u.email, u.country_code, o.order_id, o.order_date,
       p.sku, p.name, p.metadata ->> 'category' AS category,
       i.quantity, i.unit_price, i.quantity * i.unit_price AS line_total
FROM users AS u
JOIN orders AS o ON o.user_id = u.user_id
JOIN order_items AS i ON i.order_id = o.order_id
JOIN products AS p ON p.product_id = i.product_id
WHERE u.user_id = :'user_id'::uuid
ORDER BY o.order_date, p.sku;
