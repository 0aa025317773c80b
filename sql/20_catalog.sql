-- Task 2: the hybrid catalog. Fixed columns (sku, name, price) plus schema-less attributes in
-- products.metadata, a jsonb column (10_schema.sql). JSONB, not JSON: json keeps the raw text
-- and re-parses it on every read, has no containment operator and no GIN operator class;
-- jsonb stores the decomposed binary form, so @> and a GIN index work on it.
--
-- The metadata shape the catalog queries rely on (CONTRACT.md):
--   a JSON object; "category" and "material" are top-level string values, lower case,
--   compared exactly. An organic-cotton shirt is {"category": "shirt", "material": "organic cotton"}.
--   Any other keys (color, size, care, ...) may hold any JSON value, nested or not; they do not
--   stop a containment match. A material nested deeper, in an array, or spelt otherwise
--   ("Organic Cotton", "cotton") is not an organic-cotton shirt.
COMMENT ON COLUMN products.metadata IS
    'Custom attributes. Top-level string keys "category" (e.g. "shirt") and "material" (e.g. "organic cotton"), lower case; other keys free. Searched with @> through products_metadata_path_gin.';

-- jsonb_path_ops rather than the default jsonb_ops: the catalog is searched only by containment
-- (@>), which is all jsonb_path_ops supports. It indexes one hash per key path + value instead
-- of every key and every value separately, so {"category": "shirt"} is one selective entry, not
-- the intersection of "category" (every product) and "shirt". Measured for the organic-cotton
-- query: 208 kB vs 336 kB and 6 vs 22 index buffers at 20,000 products; 536 kB vs 784 kB and
-- 9 vs 41 buffers at 50,000. The price of the choice: no key-existence operators (?, ?|, ?&)
-- through this index.
CREATE INDEX products_metadata_path_gin ON products USING gin (metadata jsonb_path_ops);

-- Price filtering is indexable through a plain B-tree. Measured on ANALYZEd catalogs where
-- organic-cotton shirts are 0.5 % of products and 14 % of prices fall in $20..$60 (warm cache):
--   GIN only:               Bitmap Index Scan (GIN), price as heap Filter. 20k: 0.66 ms, 112 buffers.
--   GIN + btree(price):     20k: BitmapAnd of both Bitmap Index Scans, 0.48 ms, 37 buffers;
--                           50k: the planner keeps the GIN alone + Filter, 1.6 ms, 259 buffers.
--   btree_gin GIN(metadata jsonb_path_ops, price): one Bitmap Index Scan on both conditions, but
--                           a GIN range scan visits every price key in range: 20k: 2.8 ms, 228
--                           buffers; 50k: 7.4 ms, 387 buffers.
-- So the B-tree: the planner combines it with the GIN when that pays, price-only filters, ranges
-- and ORDER BY price (dashboards) get an ordinary ordered index, and no extension is needed.
CREATE INDEX products_price_idx ON products (price);
