-- Task 5, synthesis: the orders and their lines, in time order, in chunks (for progress). The unit
-- price is the price snapshot: Black Friday weekend 25 % off, occasional promotions, older orders
-- before a price rise. Returns the rows written.
CREATE FUNCTION synthesis_load_orders(p_orders integer, p_until date, p_hash_seed bigint, since timestamptz)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    shape   synthesis_constants;
    v_chunk integer;
    v_from  integer := 1;
    v_rows  bigint;
    v_total bigint := 0;
BEGIN
    SELECT * INTO shape FROM synthesis_constants;
    CREATE TEMP TABLE syn_order_rows AS
    SELECT o.order_no, synthetic_uuidv7(o.order_date, shape.order_key + o.order_no, p_hash_seed) AS order_id,
           u.user_id, o.order_date,
           k.black_friday_weekend, o.day < p_until - shape.price_rise_days AS before_price_rise
      FROM syn_orders AS o
      JOIN syn_user_ids AS u ON u.user_no = o.user_no
      JOIN syn_calendar AS k ON k.day = o.day
     ORDER BY o.order_no;
    CREATE INDEX ON syn_order_rows (order_no);
    ANALYZE syn_order_rows;
    v_chunk := greatest(shape.min_chunk, p_orders / shape.order_chunks);
    WHILE v_from <= p_orders LOOP
        INSERT INTO orders (order_id, user_id, order_date)
        SELECT o.order_id, o.user_id, o.order_date
          FROM syn_order_rows AS o
         WHERE o.order_no >= v_from AND o.order_no < v_from + v_chunk
         ORDER BY o.order_no;
        GET DIAGNOSTICS v_rows = ROW_COUNT;
        v_total := v_total + v_rows;
        INSERT INTO order_items (order_item_id, order_id, product_id, quantity, unit_price)
        SELECT synthetic_uuidv7(o.order_date, shape.order_item_key + 8 * o.order_no + l.line_no, p_hash_seed),
               o.order_id, p.product_id, l.quantity,
               round(p.price * CASE
                   WHEN o.black_friday_weekend THEN shape.black_friday_price   -- Black Friday to Cyber Monday
                   WHEN l.promo < shape.promotion_share THEN shape.promotion_price   -- a promotion
                   WHEN o.before_price_rise THEN shape.old_price                  -- before the last price rise
                   ELSE 1 END, 2)
          FROM syn_order_rows AS o
          JOIN syn_lines AS l ON l.order_no = o.order_no
          JOIN syn_product_ids AS p ON p.product_no = l.product_no
         WHERE o.order_no >= v_from AND o.order_no < v_from + v_chunk
           AND l.order_no >= v_from AND l.order_no < v_from + v_chunk
         ORDER BY o.order_no, l.line_no;
        GET DIAGNOSTICS v_rows = ROW_COUNT;
        v_total := v_total + v_rows;
        PERFORM synthesis_progress('orders', since, least(p_orders, v_from + v_chunk - 1), p_orders);
        v_from := v_from + v_chunk;
    END LOOP;
    DROP TABLE syn_order_rows;
    RETURN v_total;
END
$$;
