-- A product page: the product's last 20 sales with the buyer's country. Reaches order_items
-- through its product_id index (the foreign-key index), then orders and users by primary key.
--   psql -v product_id=<uuid> -f sql/queries/dashboard/product_sales.sql
SELECT o.order_id, o.order_date, i.quantity, i.unit_price, u.country_code
FROM order_items AS i
JOIN orders AS o ON o.order_id = i.order_id
JOIN users AS u ON u.user_id = o.user_id
WHERE i.product_id = :'product_id'::uuid
ORDER BY o.order_date DESC, o.order_id DESC
LIMIT 20;
