-- A customer's last 20 orders with their lines, newest first. The orders come in order from the
-- (user_id, order_date, order_id) index, each order's lines from the (order_id, ...) index, the
-- names from the products primary key: a few dozen index probes whatever the table sizes.
--   psql -v user_id=<uuid> -f sql/queries/dashboard/user_order_history.sql
SELECT o.order_id, o.order_date,
       count(i.product_id) AS lines,
       coalesce(sum(i.quantity * i.unit_price), 0) AS total,
       coalesce(jsonb_agg(jsonb_build_object('product_id', p.product_id, 'name', p.name,
                                             'quantity', i.quantity, 'unit_price', i.unit_price)
                          ORDER BY p.name, p.product_id) FILTER (WHERE i.product_id IS NOT NULL), '[]') AS items
FROM (SELECT r.order_id, r.order_date
      FROM orders AS r
      WHERE r.user_id = :'user_id'::uuid
      ORDER BY r.order_date DESC, r.order_id DESC
      LIMIT 20) AS o
LEFT JOIN order_items AS i ON i.order_id = o.order_id
LEFT JOIN products AS p ON p.product_id = i.product_id
GROUP BY o.order_id, o.order_date
ORDER BY o.order_date DESC, o.order_id DESC;
