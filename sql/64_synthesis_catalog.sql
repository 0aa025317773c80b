-- Task 5, synthesis: products (Task 2 metadata shape) with their inventory and its audit trail.
-- Fills the temp table syn_product_ids (product number → key, price) for the order lines.
-- Returns the rows written.
CREATE FUNCTION synthesis_load_catalog(p_first date, p_until date, p_products integer, p_hash_seed bigint, since timestamptz)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    shape   synthesis_constants;
    v_rows  bigint;
    v_total bigint := 0;
BEGIN
    SELECT * INTO shape FROM synthesis_constants;
    INSERT INTO products (product_id, sku, name, price, metadata, created_at)
    SELECT synthetic_uuidv7(g.created_at, shape.product_key + g.product_no, p_hash_seed), format('SKU-%s', lpad(g.product_no::text, 8, '0')),
           g.name, g.price, g.metadata, g.created_at
      FROM (SELECT p.product_no, p.created_at, p.metadata,
                   concat_ws(' ', initcap(coalesce(p.metadata ->> 'color', p.metadata ->> 'brand')),
                             initcap(coalesce(p.metadata ->> 'material', p.metadata ->> 'screen_type', p.metadata ->> 'genre')),
                             initcap(p.metadata ->> 'category'), '#' || p.product_no) AS name,
                   floor(exp(ln(p.lo) + p.price_pick * (ln(p.hi) - ln(p.lo)))) + 0.99 AS price
              FROM (SELECT c.product_no, c.created_at, c.price_pick, k.lo, k.hi,
                           jsonb_strip_nulls(jsonb_build_object(
                               'category', k.category,
                               'material', CASE WHEN k.category IN ('shirt', 'hoodie')
                                                THEN (ARRAY['cotton', 'cotton', 'organic cotton', 'polyester', 'linen', 'wool', 'cotton', 'polyester'])[1 + floor(c.a * 8)::int] END,
                               'color',    CASE WHEN k.category IN ('shirt', 'hoodie', 'sneakers')
                                                THEN (ARRAY['black', 'white', 'navy', 'olive', 'red', 'grey'])[1 + floor(c.b * 6)::int] END,
                               'size',     CASE WHEN k.category IN ('shirt', 'hoodie')
                                                THEN jsonb_build_array('S', 'M', 'L', 'XL') END,
                               'brand',    CASE WHEN k.category IN ('laptop', 'gadget', 'sneakers')
                                                THEN (ARRAY['arcane', 'nimbus', 'vertex', 'lumen'])[1 + floor(c.b * 4)::int] END,
                               'screen_type', CASE WHEN k.category = 'laptop' THEN (ARRAY['oled', 'ips', 'mini-led'])[1 + floor(c.a * 3)::int] END,
                               'specs',    CASE WHEN k.category = 'laptop'
                                                THEN jsonb_build_object('ram_gb', (ARRAY[8, 16, 32])[1 + floor(c.b * 3)::int], 'screen_inches', 13 + floor(c.a * 4)) END,
                               'battery_mah', CASE WHEN k.category = 'gadget' THEN 1000 * (1 + floor(c.a * 10)) END,
                               'genre',    CASE WHEN k.category = 'book' THEN (ARRAY['fantasy', 'history', 'science', 'cooking'])[1 + floor(c.a * 4)::int] END,
                               'tags',     CASE WHEN c.b < 0.1 THEN jsonb_build_array('bestseller-candidate') END)) AS metadata
                      FROM (SELECT n AS product_no,
                                   (p_first - shape.catalog_age_days + floor(random() * shape.catalog_age_days)::int)::timestamp AT TIME ZONE 'UTC'
                                     + make_interval(secs => floor(random() * 86400)) AS created_at,
                                   random() AS kind, random() AS a, random() AS b, random() AS price_pick
                              FROM generate_series(1, p_products) AS n) AS c
                      -- category shares: shirt 14 %, hoodie 6, sneakers 10, laptop 6, gadget 24, book 22, kitchen 18;
                      -- prices between lo and hi
                      JOIN (VALUES (1, 'shirt', 9, 80), (2, 'hoodie', 25, 120), (3, 'sneakers', 40, 220),
                                   (4, 'laptop', 450, 2800), (5, 'gadget', 8, 350), (6, 'book', 6, 60),
                                   (7, 'kitchen', 5, 180)) AS k(kind, category, lo, hi)
                        ON k.kind = width_bucket(c.kind, ARRAY[0, 0.14, 0.20, 0.30, 0.36, 0.60, 0.82]::float8[])) AS p) AS g
     ORDER BY g.product_no;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    v_total := v_total + v_rows;
    PERFORM synthesis_progress('products', since, v_rows, v_rows);

    CREATE TEMP TABLE syn_product_ids AS
    SELECT replace(p.sku, 'SKU-', '')::int AS product_no, p.product_id, p.price, p.created_at FROM products AS p;
    CREATE INDEX ON syn_product_ids (product_no);
    ANALYZE syn_product_ids;

    CREATE TEMP TABLE syn_stock AS
    SELECT s.product_no, s.product_id, s.created_at, s.initial, s.restocked, s.restocked_at
      FROM (SELECT p.product_no, p.product_id, p.created_at,
                   shape.stock_initial_floor + floor(random() * shape.stock_initial_width)::int AS initial,
                   CASE WHEN random() < shape.sold_out_share THEN 0 ELSE floor(random() * shape.restock_width)::int END AS restocked,
                   (p_until - floor(random() * shape.restock_days)::int)::timestamp AT TIME ZONE 'UTC'
                     + make_interval(secs => floor(random() * 86400)) AS restocked_at
              FROM syn_product_ids AS p ORDER BY p.product_no) AS s;
    INSERT INTO inventory (product_id, quantity, updated_at)
    SELECT product_id, restocked, restocked_at FROM syn_stock;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    v_total := v_total + v_rows;
    INSERT INTO audit_logs (audit_log_id, table_name, operation, before_state, after_state, changed_at, changed_by)
    SELECT synthetic_uuidv7(a.changed_at, shape.audit_key + 2 * a.product_no + a.step, p_hash_seed), 'inventory', a.operation, a.before_state, a.after_state, a.changed_at, 'synthesis'
      FROM (SELECT s.product_no, s.product_id, 1 AS step, 'INSERT' AS operation, NULL::jsonb AS before_state,
                   jsonb_build_object('product_id', s.product_id, 'quantity', s.initial, 'updated_at', s.created_at) AS after_state,
                   s.created_at AS changed_at
              FROM syn_stock AS s
            UNION ALL
            SELECT s.product_no, s.product_id, 2, 'UPDATE',
                   jsonb_build_object('product_id', s.product_id, 'quantity', s.initial, 'updated_at', s.created_at),
                   jsonb_build_object('product_id', s.product_id, 'quantity', s.restocked, 'updated_at', s.restocked_at),
                   s.restocked_at
              FROM syn_stock AS s) AS a
     ORDER BY a.changed_at, a.product_id, a.step;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    v_total := v_total + v_rows;
    PERFORM synthesis_progress('inventory', since, v_rows, v_rows);
    DROP TABLE syn_stock;
    RETURN v_total;
END
$$;
