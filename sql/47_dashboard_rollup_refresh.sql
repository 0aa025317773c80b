-- Task 6: bringing the rollups of 45_dashboard_rollups.sql up to date; CALL refresh_dashboard()
-- does it before refreshing the views. A NULL list means "everything" (the rebuild). Each
-- statement is planned for the list it gets (plan_cache_mode), so "everything" scans and a short
-- list probes the indexes.

-- The sales figures of one UTC day (NULL: every day, in one pass), recomputed from its orders.
-- The day's statement is planned with its bounds as constants (plan_cache_mode), so it reads the
-- day's orders by the order_date index and their lines by order_id.
CREATE PROCEDURE dashboard_rollup_sales_day(p_day date)
LANGUAGE plpgsql
SET search_path = public, pg_temp
SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
    DELETE FROM dashboard.sales_days AS r WHERE p_day IS NULL OR r.day = p_day;
    DELETE FROM dashboard.top_products AS t WHERE p_day IS NULL OR t.day = p_day;
    WITH day_orders AS (
        SELECT o.order_id, o.user_id, o.order_date
          FROM orders AS o
         WHERE p_day IS NULL
            OR (o.order_date >= p_day::timestamp AT TIME ZONE 'UTC' AND o.order_date < (p_day + 1)::timestamp AT TIME ZONE 'UTC')
    ),
    order_days AS (
        SELECT o.order_id, o.user_id, (o.order_date AT TIME ZONE 'UTC')::date AS day
        FROM day_orders AS o
    ),
    -- Money in integer cents inside the big aggregate: bigint sums keep the hash table half the
    -- size of numeric ones; back to numeric(…, 2) in the view.
    product_days AS (
        SELECT od.day, i.product_id, sum(i.quantity * (i.unit_price * 100)::bigint) AS cents, sum(i.quantity) AS units
        FROM order_days AS od
        JOIN order_items AS i ON i.order_id = od.order_id
        GROUP BY od.day, i.product_id
    ),
    top_products AS (
        INSERT INTO dashboard.top_products (day, rank, product_id, cents, units)
        SELECT r.day, r.rank, r.product_id, r.cents, r.units
        FROM (SELECT pd.*, row_number() OVER (PARTITION BY pd.day ORDER BY pd.cents DESC, pd.product_id) AS rank
              FROM product_days AS pd) AS r
        WHERE r.rank <= 3
    ),
    day_lines AS (
        SELECT pd.day, sum(pd.cents) AS cents, sum(pd.units) AS units
        FROM product_days AS pd
        GROUP BY pd.day
    ),
    day_totals AS (
        SELECT od.day, count(*) AS orders, count(DISTINCT od.user_id) AS customers
        FROM order_days AS od
        GROUP BY od.day
    )
    INSERT INTO dashboard.sales_days (day, cents, orders, customers, units)
    SELECT t.day, coalesce(l.cents, 0), t.orders, t.customers, coalesce(l.units, 0)
    FROM day_totals AS t
    LEFT JOIN day_lines AS l ON l.day = t.day;
END
$$;

-- The sales figures of the given UTC days (NULL: every day), one day at a time. (One statement
-- joining the whole list to orders hid the bounds from the planner: it guessed a third of all
-- orders and scanned every order line, 2.3 s for one changed day at 1M orders.)
CREATE PROCEDURE dashboard_rollup_sales_days(p_days date[])
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    v_day date;
BEGIN
    IF p_days IS NULL THEN
        CALL dashboard_rollup_sales_day(NULL);
        RETURN;
    END IF;
    FOREACH v_day IN ARRAY ARRAY(SELECT DISTINCT d FROM unnest(p_days) AS d) LOOP
        CALL dashboard_rollup_sales_day(v_day);
    END LOOP;
END
$$;

-- Churn without a 60-day self-join per day. For a customer's order day x followed by their next
-- order day n (NULL if none), x is the latest order in [d-59, d-30] exactly for
-- d in [x+30, min(x+59, n+29)]: the customer is in d's base then. Of those days, the customer has
-- churned on d in [x+30, min(x+59, n-1)] (no order in [d-29, d]). Each interval becomes +1/-1
-- events, a running sum over the calendar counts the customers per day. Here the changed buyers'
-- old days count -1 and their new days +1: the sums move by exactly their difference. The buyers'
-- order days are then brought up to date by their difference too (a new order usually adds one
-- day to a history that stays), instead of rewriting every changed buyer's whole history.
CREATE PROCEDURE dashboard_rollup_churn(p_users uuid[])
LANGUAGE plpgsql
SET search_path = public, pg_temp
SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
    -- One statement: every part reads the rollup as it was before it (one snapshot), so the
    -- old days below are the ones the churn counts were built from.
    WITH new_days AS MATERIALIZED (
        SELECT DISTINCT o.user_id, (o.order_date AT TIME ZONE 'UTC')::date AS day
        FROM orders AS o
        WHERE p_users IS NULL OR o.user_id = ANY (p_users)
    ),
    old_days AS MATERIALIZED (
        SELECT c.user_id, c.day
        FROM dashboard.customer_days AS c
        WHERE p_users IS NULL OR c.user_id = ANY (p_users)
    ),
    spans AS (
        SELECT 1 AS sign, d.day, lead(d.day) OVER (PARTITION BY d.user_id ORDER BY d.day) AS next_day
        FROM new_days AS d
        UNION ALL
        SELECT -1, c.day, lead(c.day) OVER (PARTITION BY c.user_id ORDER BY c.day)
        FROM old_days AS c
    ),
    events AS (
        SELECT e.day, sum(e.base) AS base, sum(e.churned) AS churned
        FROM (SELECT s.day + 30 AS day, s.sign AS base,
                     CASE WHEN s.next_day IS NULL OR s.next_day > s.day + 30 THEN s.sign ELSE 0 END AS churned
              FROM spans AS s
              UNION ALL
              SELECT least(s.day + 59, s.next_day + 29) + 1, -s.sign, 0
              FROM spans AS s
              UNION ALL
              SELECT least(s.day + 59, s.next_day - 1) + 1, 0, -s.sign
              FROM spans AS s WHERE s.next_day IS NULL OR s.next_day > s.day + 30) AS e
        GROUP BY e.day
    ),
    calendar AS (
        SELECT b.first_day + g AS day
        FROM (SELECT min(e.day) AS first_day, max(e.day) AS last_day FROM events AS e) AS b
        CROSS JOIN LATERAL generate_series(0, b.last_day - b.first_day) AS g
    ),
    deltas AS (
        SELECT c.day,
               sum(coalesce(e.base, 0)) OVER running AS base,
               sum(coalesce(e.churned, 0)) OVER running AS churned
        FROM calendar AS c
        LEFT JOIN events AS e ON e.day = c.day
        WINDOW running AS (ORDER BY c.day ROWS UNBOUNDED PRECEDING)
    ),
    days_gone AS (
        DELETE FROM dashboard.customer_days AS c
        USING old_days AS d
        WHERE c.user_id = d.user_id AND c.day = d.day
          AND NOT EXISTS (SELECT FROM new_days AS n WHERE n.user_id = d.user_id AND n.day = d.day)
    ),
    days_added AS (
        INSERT INTO dashboard.customer_days (user_id, day)
        SELECT n.user_id, n.day
        FROM new_days AS n
        WHERE NOT EXISTS (SELECT FROM old_days AS d WHERE d.user_id = n.user_id AND d.day = n.day)
    )
    INSERT INTO dashboard.churn_days AS r (day, churn_base_customers, churned_customers)
    SELECT d.day, d.base, d.churned FROM deltas AS d WHERE d.base <> 0 OR d.churned <> 0
    ON CONFLICT (day) DO UPDATE
       SET churn_base_customers = r.churn_base_customers + excluded.churn_base_customers,
           churned_customers = r.churned_customers + excluded.churned_customers;
END
$$;

-- The cohort months' sums moved by the given buyers' per-user figures (dashboard.cohort_users),
-- times p_sign: -1 takes their figures out, +1 puts them in.
CREATE PROCEDURE dashboard_rollup_cohort_months(p_users uuid[], p_sign integer)
LANGUAGE plpgsql
SET search_path = public, pg_temp
SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
    INSERT INTO dashboard.cohort_months AS m (cohort_month, members, sum_3m, sum_6m, sum_12m)
    SELECT date_trunc('month', u.first_order_date AT TIME ZONE 'UTC')::date,
           p_sign * count(*), p_sign * sum(u.ltv_3m), p_sign * sum(u.ltv_6m), p_sign * sum(u.ltv_12m)
    FROM dashboard.cohort_users AS u
    WHERE p_users IS NULL OR u.user_id = ANY (p_users)
    GROUP BY 1
    ON CONFLICT (cohort_month) DO UPDATE
       SET members = m.members + excluded.members, sum_3m = m.sum_3m + excluded.sum_3m,
           sum_6m = m.sum_6m + excluded.sum_6m, sum_12m = m.sum_12m + excluded.sum_12m;
END
$$;

-- Step 3's per-user figures for the changed buyers (the same expressions as cohort_ltv()), and
-- their cohort months' sums moved by the difference.
CREATE PROCEDURE dashboard_rollup_cohorts(p_users uuid[])
LANGUAGE plpgsql
SET search_path = public, pg_temp
SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
    CALL dashboard_rollup_cohort_months(p_users, -1);   -- their old figures out
    DELETE FROM dashboard.cohort_users AS u WHERE p_users IS NULL OR u.user_id = ANY (p_users);

    INSERT INTO dashboard.cohort_users (user_id, first_order_date, ltv_3m, ltv_6m, ltv_12m)
    SELECT t.user_id,
           min(t.first_order_date),
           max(t.cumulative_revenue) FILTER (WHERE t.order_date < cohort_horizon_end(t.first_order_date, 3)),
           max(t.cumulative_revenue) FILTER (WHERE t.order_date < cohort_horizon_end(t.first_order_date, 6)),
           max(t.cumulative_revenue) FILTER (WHERE t.order_date < cohort_horizon_end(t.first_order_date, 12))
    FROM (SELECT l.user_id, l.order_date, l.cumulative_revenue,
                 min(l.order_date) OVER (PARTITION BY l.user_id) AS first_order_date
          FROM running_ltv AS l
          WHERE p_users IS NULL OR l.user_id = ANY (p_users)) AS t
    GROUP BY t.user_id;

    CALL dashboard_rollup_cohort_months(p_users, 1);    -- their new figures in
    DELETE FROM dashboard.cohort_months AS m WHERE m.members = 0;
END
$$;

-- Consume the change log and bring every rollup up to date (a rebuild when marked invalid).
-- The state row's lock makes concurrent refreshes take turns.
CREATE PROCEDURE dashboard_rollups_update()
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    v_valid boolean;
    v_days  date[];
    v_users uuid[];
BEGIN
    SELECT s.valid INTO v_valid FROM dashboard.rollup_state AS s FOR UPDATE;
    IF NOT v_valid THEN
        DELETE FROM dashboard.changes;
        TRUNCATE dashboard.sales_days, dashboard.top_products, dashboard.customer_days, dashboard.churn_days,
                 dashboard.cohort_users, dashboard.cohort_months;
        CALL dashboard_rollup_sales_days(NULL);
        CALL dashboard_rollup_churn(NULL);
        CALL dashboard_rollup_cohorts(NULL);
        -- Freshly filled: the planner gets their statistics now, not when autovacuum comes by, so
        -- the next refreshes probe the changed buyers by key instead of scanning whole rollups.
        ANALYZE dashboard.sales_days, dashboard.top_products, dashboard.customer_days, dashboard.churn_days,
                dashboard.cohort_users, dashboard.cohort_months;
        UPDATE dashboard.rollup_state SET valid = true;
        RETURN;
    END IF;
    WITH consumed AS (DELETE FROM dashboard.changes RETURNING day, user_id)
    SELECT array_agg(DISTINCT c.day), array_agg(DISTINCT c.user_id) INTO v_days, v_users FROM consumed AS c;
    IF v_days IS NOT NULL THEN
        CALL dashboard_rollup_sales_days(v_days);
        CALL dashboard_rollup_churn(v_users);
        CALL dashboard_rollup_cohorts(v_users);
    END IF;
END
$$;
COMMENT ON PROCEDURE dashboard_rollups_update() IS
    'Brings the dashboard rollups up to date with the orders changed since the last call (called by refresh_dashboard()).';
