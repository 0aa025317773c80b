-- Task 5, synthesis: every number that shapes the synthetic data, named, in one place. The
-- synthesis functions read them with SELECT * INTO shape FROM synthesis_constants. Decimals stay
-- numeric, as the literals they name were, so the arithmetic (and the data) is the same.
CREATE VIEW synthesis_constants AS
SELECT
    -- the calendar (day weights: synthetic_day_weight)
    0.8   AS growth,                -- the business grows 80 % over the span
    0.9   AS noise_floor,           -- day-to-day noise: weight x [0.9, 1.1)
    0.2   AS noise_width,
    -- customers: P(another order after the k-th) = first_repeat * repeat_decay^(k-1)
    0.5   AS first_repeat,
    0.9   AS repeat_decay,
    40    AS max_orders,            -- orders of one customer at the most
    1.6   AS candidates_per_order,  -- candidates drawn per expected buyer (recent ones buy less)
    100   AS spare_candidates,
    0.11  AS never_buyers,          -- sign-ups who never buy, per buyer
    0.02  AS gap_floor,             -- calendar-quantile gap between two orders of a customer
    0.1   AS gap_width,
    ARRAY[0, 0.40, 0.65, 0.82, 0.93] AS lines_buckets,     -- 1-5 lines: 40 %, 25, 17, 11, 7
    -- products: popularity rank = floor(P * u^popularity_power), spread over the catalog
    3     AS popularity_power,
    7919  AS rank_stride,           -- first stride tried (a prime), +2 until coprime with P
    17    AS rank_offset,
    ARRAY[0, 0.75, 0.92, 0.97] AS quantity_buckets,        -- quantity 1-4: 75 %, 17, 5, 3
    400   AS catalog_age_days,      -- products created up to 400 days before the first day
    -- inventory
    20    AS stock_initial_floor,   -- initial stock 20 .. 219
    200   AS stock_initial_width,
    0.03  AS sold_out_share,        -- restocked to 0
    500   AS restock_width,         -- restocked to 0 .. 499
    30    AS restock_days,          -- restocked in the last 30 days
    -- users
    30    AS signup_days,           -- registered up to 30 days before the first order
    -- unit prices: the price snapshot
    0.75  AS black_friday_price,    -- Black Friday to Cyber Monday
    0.08  AS promotion_share,
    0.90  AS promotion_price,
    180   AS price_rise_days,       -- orders older than this were before the last price rise
    0.95  AS old_price,
    -- loading: orders in chunks of p_orders / order_chunks (at least min_chunk), for progress
    20    AS order_chunks,
    10000 AS min_chunk,
    -- key tags: synthetic_uuidv7's key is tag + row number, one tag per table
    1::bigint << 40 AS product_key,
    2::bigint << 40 AS audit_key,
    3::bigint << 40 AS user_key,
    4::bigint << 40 AS order_key,
    5::bigint << 40 AS order_item_key;
COMMENT ON VIEW synthesis_constants IS 'Task 5: the numbers that shape synthesize_commerce''s data (one row).';
