-- Task 5, step 1: data synthesis with generate_series() and random().
--
--   CALL synthesize_commerce(p_orders => 1000000);                 -- seed 0.42, data up to yesterday (UTC)
--   CALL synthesize_commerce(20000, 0.42, DATE '2026-11-23');      -- seed and last day explicit
--
-- Seeded: setseed(p_seed) first, then every random() is drawn in a fixed order (each draw reads
-- a generate_series or a temp table in a fixed order), and the keys are UUID v7 built from the
-- row's own timestamp plus bits hashed from (seed, table, row number). So the same seed, scale
-- and last day give the same rows, keys included (PostgreSQL 15 and 18 give identical data).
--
-- The shape (CONTRACT.md (Tasks 5 and 6)):
--   * orders per UTC day follow a weight: a growth trend, a weekly rhythm (weekends busier),
--     Black Friday (6x), its weekend and Cyber Monday, the December run-up, a quieter January;
--   * each customer buys 1 + k times, where the chance of yet another order decays with every
--     order (50 % for a 2nd, then x0.9 each time); about 10 % of accounts never buy;
--   * product popularity is a power law (rank = P * u^3): a few best-sellers, a long tail;
--   * 1-5 lines per order, one line per product, unit price = the price snapshot (Black Friday
--     weekend 25 % off, older orders before a price rise, occasional promotions);
--   * ten countries, three main signup channels, categories with the Task 2 metadata shape
--     ({"category": "shirt", "material": "organic cotton", ...} is about 1 % of the catalog);
--   * inventory for every product and an audit trail of its stock (insert + restock).
--
-- The work is split by job, one file each, applied before this one: the calendar's shape
-- (60_synthesis_calendar.sql), the numbers of the shape (61_synthesis_constants.sql), keys,
-- progress NOTICEs and the fast load's taking aside of indexes (62_synthesis_support.sql), the
-- plan of who orders what and when (63_synthesis_plan.sql), then the rows: the catalog
-- (64_synthesis_catalog.sql), the users (65_synthesis_customers.sql), the orders and their lines
-- (66_synthesis_orders.sql). The planning steps hand their results on in temp tables (syn_*).
--
-- Fast load: indexes, keys and foreign keys are dropped before the bulk INSERTs and rebuilt
-- afterwards, and the audit trigger is off while loading (62_synthesis_support.sql).
-- p_keep_indexes => true loads with every index and key in place, to measure the difference
-- (the lab does: about twice the time at 100,000 orders).
-- Progress is reported as NOTICEs carrying JSON ({"synthesis": phase, "done": n, "total": n}).
-- Afterwards run VACUUM ANALYZE (index-only scans need the visibility map; VACUUM cannot run
-- inside a procedure) and CALL refresh_dashboard().

CREATE PROCEDURE synthesize_commerce(
    p_orders   integer,
    p_seed     double precision DEFAULT 0.42,
    p_until    date             DEFAULT NULL,   -- last day with orders; NULL = yesterday (UTC)
    p_days     integer          DEFAULT 730,    -- days of history, ending p_until
    p_products integer          DEFAULT NULL,   -- NULL = greatest(200, p_orders / 50)
    p_truncate boolean          DEFAULT false,  -- empty the six tables first
    p_keep_indexes boolean      DEFAULT false   -- load with every index in place (to measure the difference)
)
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $proc$
DECLARE
    v_until     date := coalesce(p_until, (now() AT TIME ZONE 'UTC')::date - 1);
    v_first     date;
    v_products  integer := coalesce(p_products, greatest(200, p_orders / 50));
    v_hash_seed bigint := floor(p_seed * 1e15)::bigint;   -- the keys' hash seed
    v_started   timestamptz := clock_timestamp();
    v_phase     timestamptz;
    v_total     bigint := 0;
BEGIN
    IF p_orders IS NULL OR p_orders < 1 OR p_orders > 50000000 THEN
        RAISE EXCEPTION 'synthesize_commerce: p_orders must be 1 .. 50,000,000, got %', p_orders USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_seed IS NULL OR p_seed < -1 OR p_seed > 1 THEN
        RAISE EXCEPTION 'synthesize_commerce: p_seed must be in [-1, 1] (setseed), got %', p_seed USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_days IS NULL OR p_days < 60 THEN
        RAISE EXCEPTION 'synthesize_commerce: p_days must be at least 60, got %', p_days USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_first := v_until - (p_days - 1);

    IF p_truncate THEN
        TRUNCATE order_items, orders, inventory, audit_logs, products, users;
    ELSIF EXISTS (SELECT FROM users) OR EXISTS (SELECT FROM products) OR EXISTS (SELECT FROM orders)
          OR EXISTS (SELECT FROM audit_logs) THEN
        RAISE EXCEPTION 'synthesize_commerce: the tables are not empty'
            USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'pass p_truncate => true to replace their contents';
    END IF;

    PERFORM setseed(p_seed);
    PERFORM set_config('synchronize_seqscans', 'off', true);   -- scans start at block 0: fixed order
    PERFORM set_config('maintenance_work_mem', '256MB', true);  -- index builds sort in memory
    PERFORM set_config('work_mem', '64MB', true);
    PERFORM set_config('jit', 'off', true);                    -- row estimates of generate_series are off: no JIT compile per statement

    -- Every random() is drawn in this order: the calendar, the customers, their orders and lines,
    -- then the products and their stock. The users and orders only read what was drawn.
    PERFORM synthesis_defer_keys(ARRAY['users', 'products', 'inventory', 'orders', 'order_items', 'audit_logs']::regclass[],
                                 p_keep_indexes);
    PERFORM synthesis_plan_orders(p_orders, p_days, v_first, v_products, v_started);
    v_phase := clock_timestamp();
    v_total := v_total + synthesis_load_catalog(v_first, v_until, v_products, v_hash_seed, v_started);
    v_total := v_total + synthesis_load_users(v_first, p_days, v_hash_seed, v_started);
    v_total := v_total + synthesis_load_orders(p_orders, v_until, v_hash_seed, v_started);
    PERFORM synthesis_progress('loaded', v_phase, v_total);

    v_phase := clock_timestamp();
    PERFORM synthesis_restore_keys(v_started);
    PERFORM synthesis_progress('indexed', v_phase);

    -- The dashboard rollups (45_dashboard_rollups.sql) did not see the load: rebuilt on the next refresh.
    PERFORM dashboard_rollups_reset();
    ANALYZE users;
    ANALYZE products;
    ANALYZE inventory;
    ANALYZE orders;
    ANALYZE order_items;
    ANALYZE audit_logs;
    DROP TABLE syn_calendar, syn_customers, syn_orders, syn_lines, syn_product_ids, syn_user_ids;
    PERFORM synthesis_progress('done', v_started, v_total);
END
$proc$;

COMMENT ON PROCEDURE synthesize_commerce(integer, double precision, date, integer, integer, boolean, boolean) IS
    'Task 5: fills users, products, inventory, audit_logs, orders and order_items with seeded synthetic data ending p_until (default yesterday, UTC). Same seed + scale + p_until = same rows. See CONTRACT.md (Tasks 5 and 6).';
