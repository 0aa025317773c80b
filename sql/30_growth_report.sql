-- Tasks 3 and 7: the growth report's building blocks. Definitions in CONTRACT.md.
--
-- Time zone: every calendar notion (cohort month, horizon month, day) is UTC, written out with
-- AT TIME ZONE 'UTC', so the session's TimeZone setting never changes a result.
-- Revenue of an order = sum of quantity × unit_price over its lines (the price snapshot).
--
-- The work_mem challenge. A window function needs its input grouped by the PARTITION BY and
-- ordered by the ORDER BY. Sorting 1,000,000 orders does not fit in the default 4MB work_mem
-- and spills to disk, and so does hashing them (a Hash Join or HashAggregate over all orders).
-- So the window input never gets sorted or hashed at all:
--   * orders_user_timeline_idx hands the orders over already in (user_id, order_date, order_id)
--     order, from the index alone (an Index Only Scan after VACUUM);
--   * each order's revenue is a per-order lookup in order_items_revenue_idx, which covers
--     quantity and unit_price (Index Only Scan again), so the ordered stream stays ordered;
--   * both windows share that order, the per-user aggregate is a GroupAggregate on the same
--     order, and only a handful of cohort rows or calendar days are ever hashed or sorted.
--
-- Measured at 1,000,000 orders (100,000 users, 2.5 million lines), default work_mem 4MB, after
-- VACUUM ANALYZE: first_touch, running_ltv, cohort_ltv, daily_revenue_curve (600 days) and the
-- growth report's queries write 0 temp blocks; the only sorts are top-N heapsorts or quicksorts
-- of at most a few hundred rows in memory; cohort_ltv hashes its cohorts in 56kB. The price is a
-- million index probes: running_ltv ~5.5 s, where JOIN + GROUP BY + Sort would take ~2.8 s on
-- this machine while writing 55MB of temp files (which the OS page cache absorbed).

CREATE INDEX orders_user_timeline_idx ON orders (user_id, order_date, order_id);
CREATE INDEX order_items_revenue_idx ON order_items (order_id) INCLUDE (quantity, unit_price);
-- The revenue curve reads a range of days: orders by date, with the key for the revenue lookup.
CREATE INDEX orders_order_date_idx ON orders (order_date) INCLUDE (order_id);

-- One row per order with its revenue. A per-order lookup (LATERAL), not JOIN + GROUP BY: the
-- lookup keeps whatever order the orders arrive in, where a grouped join needs a hash or a sort
-- of every order line. LATERAL rather than a scalar subquery in the select list, which a query
-- using the column twice (running_ltv) would evaluate twice. Orders without lines (the checkout
-- never writes one) count as revenue 0.
CREATE VIEW order_revenue AS
SELECT o.user_id,
       o.order_id,
       o.order_date,
       r.order_revenue
FROM orders AS o
CROSS JOIN LATERAL (
    SELECT COALESCE(sum(i.quantity * i.unit_price), 0) AS order_revenue
    FROM order_items AS i
    WHERE i.order_id = o.order_id
) AS r;
COMMENT ON VIEW order_revenue IS 'Each order with its revenue: sum(quantity * unit_price) of its lines, 0 without lines.';

-- Step 1, the first touch: every order with the date of its user's first purchase.
CREATE VIEW first_touch AS
SELECT o.user_id,
       o.order_id,
       o.order_date,
       MIN(o.order_date) OVER (PARTITION BY o.user_id) AS first_order_date
FROM orders AS o;
COMMENT ON VIEW first_touch IS 'Step 1: each order with first_order_date = MIN(order_date) OVER (PARTITION BY user_id).';

-- Step 2, the running total: each order with its user's cumulative revenue up to and including it.
-- ROWS, not the default RANGE frame, and order_id as tie-breaker: two orders of one user at the
-- same instant are two steps (earlier order_id first; UUID v7 ids follow creation order), not one
-- jump that shows both on each row. The ordering is total, so the result is deterministic.
CREATE VIEW running_ltv AS
SELECT r.user_id,
       r.order_id,
       r.order_date,
       r.order_revenue,
       SUM(r.order_revenue) OVER (PARTITION BY r.user_id
                                  ORDER BY r.order_date, r.order_id
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative_revenue
FROM order_revenue AS r;
COMMENT ON VIEW running_ltv IS 'Step 2: each order with cumulative_revenue = SUM(order_revenue) OVER (PARTITION BY user_id ORDER BY order_date, order_id ROWS UNBOUNDED PRECEDING).';

-- The end of a user's N-month horizon: the same UTC wall-clock instant N calendar months after
-- the first purchase (PostgreSQL month arithmetic: Jan 31 + 1 month = Feb 28/29). The horizon
-- holds the orders with first_order_date <= order_date < this instant.
CREATE FUNCTION cohort_horizon_end(first_order_date timestamptz, months integer)
RETURNS timestamptz
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ((first_order_date AT TIME ZONE 'UTC') + make_interval(months => months)) AT TIME ZONE 'UTC';

-- A cohort's N-month figure is final once every member's horizon has ended: members joined
-- before the cohort month's end, so that is the case from cohort_month + (N + 1) months (UTC)
-- on. Earlier the figure would be partial, and the report shows NULL instead.
CREATE FUNCTION cohort_horizon_closed(cohort_month date, months integer, as_of timestamptz)
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN as_of >= (cohort_month + make_interval(months => months + 1)) AT TIME ZONE 'UTC';

-- Step 3, monthly cohorts as of a moment: users whose first purchase is before as_of, grouped by
-- the UTC month of that first purchase; per cohort, the average over its users of their revenue
-- within 3, 6 and 12 months of their own first purchase, round(avg, 2) (half away from zero), or
-- NULL while the horizon has not closed for the whole cohort.
--
-- Rows come in no particular order: SELECT * FROM cohort_ltv() ORDER BY cohort_month.
--
-- SET enable_sort = off: the last step groups one row per user into a few cohort months. Hashing
-- them takes a few kilobytes; sorting 100,000 users by cohort month spills past 4MB. Both plans
-- read the same ordered stream first, so the planner rates them within its 1 % cost fuzz and keeps
-- the sorted one (measured: external merge, 4.6MB on disk at 1,000,000 orders). With sorting off
-- for this one function it hashes, and the ordered stream needs no Sort anyway. That is also why
-- there is no ORDER BY here: a sort for it would cost both plans the same "disabled" Sort and
-- bring the tie back. (A function with a SET clause is not inlined: EXPLAIN shows a Function
-- Scan, and its buffer and temp figures include everything the function ran.)
CREATE FUNCTION cohort_ltv(as_of timestamptz DEFAULT now())
RETURNS TABLE (cohort_month date, cohort_size bigint,
               avg_revenue_3m numeric, avg_revenue_6m numeric, avg_revenue_12m numeric)
LANGUAGE sql STABLE PARALLEL SAFE
SET enable_sort = off
-- pinned: REFRESH MATERIALIZED VIEW (17+) runs with search_path = pg_catalog, pg_temp
SET search_path = public, pg_temp
AS $$
    WITH timeline AS (
        -- Step 1 over Step 2: both windows partition by user_id, so the one stream that
        -- orders_user_timeline_idx delivers in (user_id, order_date, order_id) order feeds both.
        SELECT l.user_id,
               l.order_date,
               l.cumulative_revenue,
               MIN(l.order_date) OVER (PARTITION BY l.user_id) AS first_order_date
        FROM running_ltv AS l
    ),
    user_ltv AS (
        -- A user's revenue within N months is their running total at the last order inside the
        -- horizon. GROUP BY user_id follows the stream's order: a GroupAggregate, nothing held.
        SELECT t.user_id,
               min(t.first_order_date) AS first_order_date,
               max(t.cumulative_revenue) FILTER (WHERE t.order_date < cohort_horizon_end(t.first_order_date, 3))  AS ltv_3m,
               max(t.cumulative_revenue) FILTER (WHERE t.order_date < cohort_horizon_end(t.first_order_date, 6))  AS ltv_6m,
               max(t.cumulative_revenue) FILTER (WHERE t.order_date < cohort_horizon_end(t.first_order_date, 12)) AS ltv_12m
        FROM timeline AS t
        WHERE t.first_order_date < as_of
        GROUP BY t.user_id
    ),
    cohort_members AS (
        SELECT date_trunc('month', u.first_order_date AT TIME ZONE 'UTC')::date AS cohort_month,
               u.ltv_3m, u.ltv_6m, u.ltv_12m
        FROM user_ltv AS u
    )
    SELECT m.cohort_month,
           count(*) AS cohort_size,
           CASE WHEN cohort_horizon_closed(m.cohort_month, 3, as_of)  THEN round(avg(m.ltv_3m), 2)  END AS avg_revenue_3m,
           CASE WHEN cohort_horizon_closed(m.cohort_month, 6, as_of)  THEN round(avg(m.ltv_6m), 2)  END AS avg_revenue_6m,
           CASE WHEN cohort_horizon_closed(m.cohort_month, 12, as_of) THEN round(avg(m.ltv_12m), 2) END AS avg_revenue_12m
    FROM cohort_members AS m
    GROUP BY m.cohort_month
$$;
COMMENT ON FUNCTION cohort_ltv(timestamptz) IS 'Step 3: monthly cohorts (UTC month of first purchase) with average revenue per user within 3/6/12 months of joining; NULL until the horizon has closed for every member.';

-- Task 7: revenue per UTC calendar day from from_day to to_day, with the 7-day moving average.
-- The calendar comes from generate_series, so a day without sales is a row with revenue 0 and
-- seven rows are always seven days. It starts six days before from_day: the first six rows shown
-- average real data from before from_day (zeros only where there were no sales), so every row is
-- sum(revenue of day-6 .. day) / 7, round(…, 2) half away from zero.
--
-- The calendar drives the query: each day sums its own range of orders_order_date_idx. No join
-- of the calendar to a GROUP BY over orders, whose hash the planner sizes by the number of orders
-- (it cannot know how many days they fall on) and then splits into batches on disk.
CREATE FUNCTION daily_revenue_curve(from_day date, to_day date)
RETURNS TABLE (day date, revenue numeric, moving_avg_7d numeric)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH calendar AS (
        -- date + integer: no timestamps, so no session time zone involved
        SELECT from_day + g AS day
        FROM generate_series(-6, to_day - from_day) AS g
    ),
    daily AS (
        SELECT c.day, COALESCE(s.revenue, 0) AS revenue
        FROM calendar AS c
        CROSS JOIN LATERAL (
            SELECT sum(r.order_revenue) AS revenue
            FROM order_revenue AS r
            WHERE r.order_date >= c.day::timestamp AT TIME ZONE 'UTC'
              AND r.order_date <  (c.day + 1)::timestamp AT TIME ZONE 'UTC'
        ) AS s
    ),
    curve AS (
        SELECT d.day,
               d.revenue,
               round(avg(d.revenue) OVER (ORDER BY d.day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW), 2) AS moving_avg_7d
        FROM daily AS d
    )
    SELECT curve.day, curve.revenue, curve.moving_avg_7d
    FROM curve
    WHERE curve.day >= from_day
    ORDER BY curve.day
$$;
COMMENT ON FUNCTION daily_revenue_curve(date, date) IS 'Task 7: revenue per UTC day (0 on days without sales) and round(avg over ROWS BETWEEN 6 PRECEDING AND CURRENT ROW, 2); the window reaches six days back before from_day.';
