-- Task 5, synthesis: who orders what, when, before any row is written. Fills the temp tables
-- syn_calendar (days), syn_customers (candidates and how many orders each places), syn_orders
-- and syn_lines (numbered in time order) that the loading steps read.
CREATE FUNCTION synthesis_plan_orders(p_orders integer, p_days integer, p_first date, p_products integer, since timestamptz)
RETURNS void
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    shape       synthesis_constants;
    v_cum       double precision[];   -- v_cum[d]: share of all orders before day d (1-based)
    v_share     double precision[];   -- v_share[d]: share of all orders on day d
    v_repeat    double precision[];   -- thresholds of P(orders <= k), k = 1..
    v_expected  double precision := 0;
    v_p         double precision := 1;
    v_users     integer;
    v_last_buyer integer;
    v_stride    integer;
    v_rows      bigint;
BEGIN
    SELECT * INTO shape FROM synthesis_constants;

    -- 1. The calendar: each day's share of all orders.
    CREATE TEMP TABLE syn_calendar AS
    SELECT d AS day_no, p_first + (d - 1) AS day,
           synthetic_day_weight(p_first + (d - 1))
             * (1 + shape.growth * (d - 1) / p_days)                  -- the growth trend
             * (shape.noise_floor + shape.noise_width * random()) AS weight,   -- day-to-day noise
           (p_first + (d - 1)) - black_friday(extract(year FROM p_first + (d - 1))::int) BETWEEN 0 AND 3 AS black_friday_weekend
      FROM generate_series(1, p_days) AS d;
    SELECT array_agg(c.cum ORDER BY c.day_no), array_agg(c.share ORDER BY c.day_no)
      INTO v_cum, v_share
      FROM (SELECT day_no,
                   coalesce(sum(weight) OVER (ORDER BY day_no ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                     / sum(weight) OVER () AS cum,
                   weight / sum(weight) OVER () AS share
              FROM syn_calendar) AS c;

    -- 2. Customers: how many orders each will place. P(another order after the k-th) = 0.5 * 0.9^(k-1).
    v_repeat := ARRAY[0::double precision];
    FOR k IN 1 .. shape.max_orders LOOP
        v_expected := v_expected + v_p;                                  -- E[n] = sum over k of P(n >= k)
        v_p := v_p * shape.first_repeat * shape.repeat_decay ^ (k - 1);  -- P(n >= k + 1)
        v_repeat := v_repeat || (1 - v_p);                               -- P(n <= k)
    END LOOP;
    -- Candidates in user_no order buy until p_orders orders exist; a customer's orders are spaced
    -- by a personal gap and those that would fall after the last day never happen (recent customers
    -- have had no time to come back). The next ~11 % of candidates sign up but never buy.
    v_users := ceil(shape.candidates_per_order * p_orders / v_expected) + shape.spare_candidates;
    CREATE TEMP TABLE syn_customers AS
    SELECT c.*,
           greatest(0, least(c.possible, p_orders - (sum(c.possible) OVER (ORDER BY c.user_no) - c.possible)))::int AS n_orders
      FROM (SELECT d.*, least(d.wanted, floor((1 - d.arrival) / d.gap)::int + 1) AS possible
              FROM (SELECT u AS user_no,
                           least(width_bucket(random(), v_repeat), shape.max_orders) AS wanted,
                           random() AS arrival,                 -- calendar quantile of the first order
                           shape.gap_floor + shape.gap_width * random() AS gap,   -- quantile distance between two orders
                           random() AS registered_offset,
                           random() AS country,
                           random() AS channel,
                           random() AS name_pick
                      FROM generate_series(1, v_users) AS u) AS d) AS c;
    SELECT max(user_no), sum(n_orders) INTO v_last_buyer, v_rows FROM syn_customers WHERE n_orders > 0;
    IF v_rows < p_orders THEN
        RAISE EXCEPTION 'synthesize_commerce: % candidates placed only % of % orders', v_users, v_rows, p_orders;
    END IF;
    DELETE FROM syn_customers WHERE user_no > v_last_buyer + ceil(v_last_buyer * shape.never_buyers);
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    v_users := v_users - v_rows;
    PERFORM synthesis_progress('customers', since, v_users, v_users);

    -- 3. Orders: the k-th order of a customer sits at quantile arrival + (k - 1) * gap of the weighted
    -- calendar, so the day weights (rhythm, Black Friday) shape first and repeat orders alike.
    CREATE TEMP TABLE syn_orders AS
    SELECT row_number() OVER (ORDER BY o.order_date, o.user_no, o.k)::int AS order_no, o.*
      FROM (SELECT q.user_no, q.k, q.lines,
                   (p_first + (q.day_no - 1))::timestamp AT TIME ZONE 'UTC'
                     + make_interval(secs => floor(86400 * least(0.999999, greatest(0, (q.quantile - v_cum[q.day_no]) / v_share[q.day_no])))) AS order_date,
                   (p_first + (q.day_no - 1)) AS day
              FROM (SELECT s.user_no, s.k, s.quantile, s.lines, width_bucket(s.quantile, v_cum) AS day_no
                      FROM (SELECT c.user_no, k,
                                   c.arrival + (k - 1) * c.gap AS quantile,
                                   width_bucket(random(), shape.lines_buckets) AS lines
                              FROM syn_customers AS c
                             CROSS JOIN LATERAL generate_series(1, c.n_orders) AS k
                             ORDER BY c.user_no, k) AS s) AS q) AS o;
    CREATE INDEX ON syn_orders (order_no);
    ANALYZE syn_orders;

    -- 4. Lines: popularity rank = floor(P * u^3); a permutation spreads ranks over the catalog.
    v_stride := shape.rank_stride;
    WHILE gcd(v_stride, p_products) <> 1 LOOP
        v_stride := v_stride + 2;
    END LOOP;
    CREATE TEMP TABLE syn_lines AS
    SELECT DISTINCT ON (l.order_no, l.product_no) l.*
      FROM (SELECT o.order_no, line_no,
                   ((floor(p_products * random() ^ shape.popularity_power)::bigint * v_stride + shape.rank_offset) % p_products)::int + 1 AS product_no,
                   width_bucket(random(), shape.quantity_buckets) AS quantity,
                   random() AS promo
              FROM syn_orders AS o
             CROSS JOIN LATERAL generate_series(1, o.lines) AS line_no
             ORDER BY o.order_no, line_no) AS l
     ORDER BY l.order_no, l.product_no, l.line_no;
    CREATE INDEX ON syn_lines (order_no);
    ANALYZE syn_lines;
END
$$;
