-- Task 6, the work behind a one-second refresh: per-day rollups that daily_sales_stats and
-- cohort_ltv_summary (50_dashboard.sql) aggregate, kept up to date in proportion to what changed.
--
-- Derived data only: numbers and keys (day, product_id, user_id), no personal data, nothing a
-- base table does not already determine. The base tables stay the single source of truth:
-- dashboard_rollups_reset() throws the rollups away and the next refresh rebuilds them whole.
--
--   1. Statement-level triggers with transition tables append the (UTC day, buyer) of every
--      changed order or order line to dashboard.changes: an append-only heap, no unique key, so
--      concurrent checkouts never wait for each other there (an upsert of "day X is dirty" would
--      make every checkout of the day queue on one row).
--   2. refresh_dashboard() consumes the change rows its snapshot sees (DELETE ... RETURNING:
--      rows of transactions still running stay for the next refresh) and recomputes the sales
--      figures of the changed days only. Churn and cohorts are sums over buyers, so only the
--      changed buyers' share is recomputed: their old contribution (from dashboard.customer_days and
--      dashboard.cohort_users) is subtracted and the new one (from orders) added, exactly.
--   No table lock on orders or order_items; the refreshes serialize among themselves on
--   dashboard.rollup_state's one row.

-- Derived data lives in a schema of its own: public holds the normalized contract tables only.
CREATE SCHEMA dashboard;
COMMENT ON SCHEMA dashboard IS 'Derived rollups behind daily_sales_stats and cohort_ltv_summary; rebuilt from the base tables at will.';

CREATE TABLE dashboard.changes (
    day      date NOT NULL,   -- UTC day of a changed order (before and after the change)
    user_id  uuid NOT NULL    -- its buyer
);
COMMENT ON TABLE dashboard.changes IS 'Append-only log of changed (UTC day, buyer) pairs, consumed by refresh_dashboard().';

-- valid = false: the rollups must be rebuilt from the base tables on the next refresh.
CREATE TABLE dashboard.rollup_state (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    valid      boolean NOT NULL DEFAULT false
);
INSERT INTO dashboard.rollup_state DEFAULT VALUES;

-- Sales figures of each UTC day with orders.
CREATE TABLE dashboard.sales_days (
    day        date   PRIMARY KEY,
    cents      bigint NOT NULL,   -- revenue in cents: sum(quantity * unit_price * 100)
    orders     bigint NOT NULL,
    customers  bigint NOT NULL,
    units      bigint NOT NULL
);

-- The day's three best products by revenue (ties by product_id); names are joined at refresh.
CREATE TABLE dashboard.top_products (
    day         date     NOT NULL,
    rank        smallint NOT NULL,
    product_id  uuid     NOT NULL,
    cents       bigint   NOT NULL,
    units       bigint   NOT NULL,
    PRIMARY KEY (day, rank)
);

-- The UTC days on which each buyer ordered: what the churn figures are made of.
CREATE TABLE dashboard.customer_days (
    user_id  uuid NOT NULL,
    day      date NOT NULL,
    PRIMARY KEY (user_id, day)
);

-- Churn per UTC day (CONTRACT.md, Task 6), kept by adding each changed buyer's difference.
CREATE TABLE dashboard.churn_days (
    day                   date   PRIMARY KEY,
    churn_base_customers  bigint NOT NULL,
    churned_customers     bigint NOT NULL
);

-- One row per buyer: Step 3's per-user figures (first purchase, revenue within 3/6/12 months).
CREATE TABLE dashboard.cohort_users (
    user_id           uuid        PRIMARY KEY,
    first_order_date  timestamptz NOT NULL,
    ltv_3m            numeric     NOT NULL,
    ltv_6m            numeric     NOT NULL,
    ltv_12m           numeric     NOT NULL
);
CREATE INDEX cohort_users_first_order_idx ON dashboard.cohort_users (first_order_date);

-- Per UTC cohort month: members and the sums of their figures (avg = sum / members, as avg() computes it).
CREATE TABLE dashboard.cohort_months (
    cohort_month  date    PRIMARY KEY,
    members       bigint  NOT NULL,
    sum_3m        numeric NOT NULL,
    sum_6m        numeric NOT NULL,
    sum_12m       numeric NOT NULL
);

-- 1. The change log, fed by statement-level triggers (one INSERT per statement, not per row).
CREATE FUNCTION dashboard_log_order_changes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO dashboard.changes (day, user_id)
        SELECT DISTINCT (n.order_date AT TIME ZONE 'UTC')::date, n.user_id FROM new_orders AS n;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO dashboard.changes (day, user_id)
        SELECT DISTINCT (o.order_date AT TIME ZONE 'UTC')::date, o.user_id FROM old_orders AS o;
    END IF;
    RETURN NULL;
END
$$;

-- A line's day is its order's. A line deleted with its order (ON DELETE CASCADE) finds no order
-- here; the order's own trigger has logged that day and buyer.
CREATE FUNCTION dashboard_log_line_changes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO dashboard.changes (day, user_id)
        SELECT DISTINCT (o.order_date AT TIME ZONE 'UTC')::date, o.user_id
          FROM orders AS o WHERE o.order_id IN (SELECT n.order_id FROM new_lines AS n);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO dashboard.changes (day, user_id)
        SELECT DISTINCT (o.order_date AT TIME ZONE 'UTC')::date, o.user_id
          FROM orders AS o WHERE o.order_id IN (SELECT l.order_id FROM old_lines AS l);
    END IF;
    RETURN NULL;
END
$$;

-- Transition tables allow one event per trigger: three triggers per table.
CREATE TRIGGER orders_dashboard_insert AFTER INSERT ON orders REFERENCING NEW TABLE AS new_orders
FOR EACH STATEMENT EXECUTE FUNCTION dashboard_log_order_changes();
CREATE TRIGGER orders_dashboard_update AFTER UPDATE ON orders REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders
FOR EACH STATEMENT EXECUTE FUNCTION dashboard_log_order_changes();
CREATE TRIGGER orders_dashboard_delete AFTER DELETE ON orders REFERENCING OLD TABLE AS old_orders
FOR EACH STATEMENT EXECUTE FUNCTION dashboard_log_order_changes();
CREATE TRIGGER order_items_dashboard_insert AFTER INSERT ON order_items REFERENCING NEW TABLE AS new_lines
FOR EACH STATEMENT EXECUTE FUNCTION dashboard_log_line_changes();
CREATE TRIGGER order_items_dashboard_update AFTER UPDATE ON order_items REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines
FOR EACH STATEMENT EXECUTE FUNCTION dashboard_log_line_changes();
CREATE TRIGGER order_items_dashboard_delete AFTER DELETE ON order_items REFERENCING OLD TABLE AS old_lines
FOR EACH STATEMENT EXECUTE FUNCTION dashboard_log_line_changes();

-- After a bulk load with triggers off (synthesize_commerce) or a TRUNCATE: rebuild on the next refresh.
CREATE FUNCTION dashboard_rollups_reset() RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
BEGIN ATOMIC
    UPDATE dashboard.rollup_state SET valid = false;
END;

CREATE FUNCTION dashboard_rollups_reset_on_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM dashboard_rollups_reset();
    RETURN NULL;
END
$$;
CREATE TRIGGER orders_dashboard_truncate AFTER TRUNCATE ON orders
FOR EACH STATEMENT EXECUTE FUNCTION dashboard_rollups_reset_on_truncate();
CREATE TRIGGER order_items_dashboard_truncate AFTER TRUNCATE ON order_items
FOR EACH STATEMENT EXECUTE FUNCTION dashboard_rollups_reset_on_truncate();
