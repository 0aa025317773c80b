-- Task 2 (also a dashboard query): every organic-cotton shirt priced from $20 to $60 inclusive.
-- Metadata shape: top-level {"category": "shirt", "material": "organic cotton"} (20_catalog.sql).
-- @> containment is answered by the GIN index on products.metadata (a Bitmap Index Scan);
-- the price range is then checked on those few candidate rows. No parameters:
--   psql -f sql/queries/dashboard/organic_cotton_shirts.sql
SELECT p.product_id, p.sku, p.name, p.price, p.metadata
FROM products AS p
WHERE p.metadata @> '{"category": "shirt", "material": "organic cotton"}'
  AND p.price BETWEEN 20.00 AND 60.00
ORDER BY p.price, p.sku;
