-- Task 4: the atomic checkout engine.
--
--   CALL process_order(p_user_id, p_cart);   -- returns one row: p_order_id
--   cart = '[{"product_id": "<uuid>", "quantity": 2}, ...]'
--
-- One call = one order, all or nothing. The cart's inventory rows are locked with
-- SELECT ... FOR UPDATE in product_id order (never cart order: two carts naming the same products
-- in opposite orders would otherwise each hold one row and wait for the other, a deadlock). Under
-- the lock the stock is re-read, so two buyers of the last unit are serialized: the second one
-- sees 0 and fails. Any error is raised, never swallowed, so the caller's transaction rolls back
-- as a whole: no order, no items, no stock change, no audit row.
--
-- Errors (SQLSTATE, documented in CONTRACT.md (Task 4)):
--   22004 null_value_not_allowed    buyer or cart is NULL
--   22023 invalid_parameter_value   cart not an array, empty, malformed line, bad product_id,
--                                   quantity not a positive whole number, duplicate product line
--   22003 numeric_value_out_of_range quantity beyond the integer range
--   23503 foreign_key_violation     unknown buyer, unknown product
--   SK002 (custom class SK, stock)  product has no inventory row
--   SK001 (custom class SK, stock)  insufficient stock: the buyer-facing "sold out" answer
-- Class SK lies in the implementation-defined range (first character I-Z, not reserved by the SQL
-- standard) and PostgreSQL uses no class starting with S, so a client can tell "sold out" from a bug.

-- Every change of a stock row, as JSONB before and after. SECURITY DEFINER so the audit row is
-- written even for a caller who may change inventory but may not touch audit_logs.
CREATE FUNCTION audit_inventory_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO audit_logs (table_name, operation, before_state, after_state)
    VALUES (TG_TABLE_NAME,
            TG_OP,
            CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END,
            CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END);
    RETURN NULL;
END
$$;

CREATE TRIGGER inventory_audit
AFTER INSERT OR UPDATE OR DELETE ON inventory
FOR EACH ROW EXECUTE FUNCTION audit_inventory_change();

-- The audit log is append-only for everyone but its owner. Privileges already say so (nobody
-- else is granted UPDATE/DELETE/TRUNCATE); the trigger holds even after a careless GRANT.
CREATE FUNCTION audit_logs_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF NOT pg_has_role(current_user, (SELECT c.relowner FROM pg_class AS c WHERE c.oid = TG_RELID), 'USAGE') THEN
        RAISE EXCEPTION USING
            ERRCODE = 'insufficient_privilege',
            MESSAGE = format('audit_logs is append-only: %s by role %s refused', TG_OP, current_user),
            HINT    = 'audit rows are written by the inventory trigger and never changed';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD WHEN 'UPDATE' THEN NEW END;
END
$$;

CREATE TRIGGER audit_logs_no_rewrite
BEFORE UPDATE OR DELETE ON audit_logs
FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only();

CREATE TRIGGER audit_logs_no_truncate
BEFORE TRUNCATE ON audit_logs
FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_append_only();

CREATE PROCEDURE process_order(p_user_id uuid, p_cart jsonb, INOUT p_order_id uuid DEFAULT NULL)
LANGUAGE plpgsql
-- Runs with the owner's rights, so the application role needs no write access to any table.
-- search_path is pinned (pg_temp last) so a caller's temp table cannot stand in for inventory.
SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_line        jsonb;
    v_position    integer;
    v_product_id  uuid;
    v_quantity    numeric;
    v_product_ids uuid[]    := '{}';   -- in cart order
    v_quantities  integer[] := '{}';   -- parallel to v_product_ids
    v_stock       record;
    v_requested   integer;
    v_locked      integer := 0;
BEGIN
    p_order_id := NULL;   -- an output only; whatever the caller passed is ignored

    -- 1. Shape of the input, before touching any table.
    IF p_user_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
            MESSAGE = 'process_order: buyer (p_user_id) is NULL';
    END IF;
    IF p_cart IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
            MESSAGE = 'process_order: cart (p_cart) is NULL';
    END IF;
    IF jsonb_typeof(p_cart) <> 'array' THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format('process_order: cart must be a JSON array of lines, got a JSON %s: %s', jsonb_typeof(p_cart), left(p_cart::text, 200)),
            HINT    = 'cart = [{"product_id": "<uuid>", "quantity": <positive integer>}, ...]';
    END IF;
    IF jsonb_array_length(p_cart) = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = 'process_order: cart is empty ([])';
    END IF;

    FOR v_line, v_position IN SELECT e.value, e.ordinality FROM jsonb_array_elements(p_cart) WITH ORDINALITY AS e LOOP
        IF jsonb_typeof(v_line) <> 'object' THEN
            RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
                MESSAGE = format('process_order: cart line %s must be an object {"product_id", "quantity"}, got %s', v_position, left(v_line::text, 200));
        END IF;
        IF EXISTS (SELECT FROM jsonb_object_keys(v_line) AS k WHERE k NOT IN ('product_id', 'quantity')) THEN
            RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
                MESSAGE = format('process_order: cart line %s has unknown key(s) %s: %s', v_position,
                                 (SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys(v_line) AS k WHERE k NOT IN ('product_id', 'quantity')),
                                 left(v_line::text, 200));
        END IF;
        IF jsonb_typeof(v_line -> 'product_id') IS DISTINCT FROM 'string'
           OR (v_line ->> 'product_id') !~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' THEN
            RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
                MESSAGE = format('process_order: cart line %s: product_id must be a uuid string, got %s', v_position, coalesce((v_line -> 'product_id')::text, 'nothing')),
                HINT    = 'write the product id as "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"';
        END IF;
        v_product_id := (v_line ->> 'product_id')::uuid;
        IF jsonb_typeof(v_line -> 'quantity') IS DISTINCT FROM 'number' THEN
            RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
                MESSAGE = format('process_order: cart line %s: quantity must be a JSON number, got %s', v_position, coalesce((v_line -> 'quantity')::text, 'nothing'));
        END IF;
        v_quantity := (v_line -> 'quantity')::numeric;
        IF v_quantity <> trunc(v_quantity) THEN
            RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
                MESSAGE = format('process_order: cart line %s: quantity %s is not a whole number', v_position, v_quantity);
        END IF;
        IF v_quantity <= 0 THEN
            RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
                MESSAGE = format('process_order: cart line %s: quantity %s must be at least 1', v_position, v_quantity);
        END IF;
        IF v_quantity > 2147483647 THEN
            RAISE EXCEPTION USING ERRCODE = 'numeric_value_out_of_range',
                MESSAGE = format('process_order: cart line %s: quantity %s is beyond the integer range (max 2147483647)', v_position, v_quantity);
        END IF;
        -- Duplicate lines are rejected, not merged: "2 + 3 of X" is more likely a client bug than intent.
        IF v_product_id = ANY (v_product_ids) THEN
            RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
                MESSAGE = format('process_order: product %s appears in cart lines %s and %s', v_product_id,
                                 array_position(v_product_ids, v_product_id), v_position),
                HINT    = 'send one line per product with the total quantity';
        END IF;
        v_product_ids := v_product_ids || v_product_id;
        v_quantities  := v_quantities  || v_quantity::integer;
    END LOOP;

    -- 2. Every name in the input must exist.
    IF NOT EXISTS (SELECT FROM users AS u WHERE u.user_id = p_user_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('process_order: unknown buyer %s', p_user_id);
    END IF;
    SELECT c.product_id, c.position INTO v_product_id, v_position
      FROM unnest(v_product_ids) WITH ORDINALITY AS c(product_id, position)
     WHERE NOT EXISTS (SELECT FROM products AS p WHERE p.product_id = c.product_id)
     ORDER BY c.position LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('process_order: unknown product %s (cart line %s)', v_product_id, v_position);
    END IF;
    SELECT c.product_id, c.position INTO v_product_id, v_position
      FROM unnest(v_product_ids) WITH ORDINALITY AS c(product_id, position)
     WHERE NOT EXISTS (SELECT FROM inventory AS i WHERE i.product_id = c.product_id)
     ORDER BY c.position LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'SK002',
            MESSAGE = format('process_order: product %s has no inventory row (cart line %s)', v_product_id, v_position),
            HINT    = 'stock the product (INSERT INTO inventory) before selling it';
    END IF;

    -- 3. The order and its lines with the price snapshot, before the stock is locked: other buyers
    --    of the same products wait only for the lock, the decrement and the commit, not for these
    --    inserts (and their index and trigger work). A short line below rolls them back with the rest.
    INSERT INTO orders (user_id, order_date) VALUES (p_user_id, now())
    RETURNING order_id INTO p_order_id;

    INSERT INTO order_items (order_id, product_id, quantity, unit_price)
    SELECT p_order_id, c.product_id, c.quantity, p.price
      FROM unnest(v_product_ids, v_quantities) AS c(product_id, quantity)
      JOIN products AS p ON p.product_id = c.product_id;

    -- 4. Lock the cart's stock rows in product_id order, then check every line under the lock.
    FOR v_stock IN
        SELECT i.product_id, i.quantity
          FROM inventory AS i
         WHERE i.product_id = ANY (v_product_ids)
         ORDER BY i.product_id
           FOR UPDATE OF i
    LOOP
        v_locked := v_locked + 1;
        v_requested := v_quantities[array_position(v_product_ids, v_stock.product_id)];
        IF v_stock.quantity < v_requested THEN
            RAISE EXCEPTION USING ERRCODE = 'SK001',
                MESSAGE = format('process_order: insufficient stock for product %s: requested %s, available %s',
                                 v_stock.product_id, v_requested, v_stock.quantity),
                HINT    = 'nothing was ordered; offer the available quantity or remove the line';
        END IF;
    END LOOP;
    IF v_locked < cardinality(v_product_ids) THEN   -- an inventory row deleted since step 2
        RAISE EXCEPTION USING ERRCODE = 'SK002',
            MESSAGE = 'process_order: a product of the cart lost its inventory row during checkout';
    END IF;

    -- 5. The stock decrement (audited by trigger), still under the lock.
    UPDATE inventory AS i
       SET quantity = i.quantity - c.quantity,
           updated_at = now()
      FROM unnest(v_product_ids, v_quantities) AS c(product_id, quantity)
     WHERE i.product_id = c.product_id;
END
$$;

COMMENT ON PROCEDURE process_order(uuid, jsonb, uuid) IS
    'Atomic checkout: locks the cart''s inventory rows FOR UPDATE in product_id order, fails with SQLSTATE SK001 on any short line (nothing changes), else creates the order with price snapshots and decrements stock. Errors: see CONTRACT.md (Task 4).';

-- Least privilege: the application connects as (a login role granted) arcane_app. It may read the
-- catalog and check out through process_order; every write goes through the procedure.
-- Roles are cluster-wide while this file runs once per database, so the role is created only once;
-- the certification harness creates it before applying this folder (as a role that may not create
-- roles), so the CREATE runs only when this file is applied by hand to a server without it.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'arcane_app') THEN
        CREATE ROLE arcane_app NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;   -- a concurrent CREATE
END
$$;

GRANT USAGE ON SCHEMA public TO arcane_app;
GRANT SELECT ON products, inventory TO arcane_app;
REVOKE ALL ON PROCEDURE process_order(uuid, jsonb, uuid) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE process_order(uuid, jsonb, uuid) TO arcane_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_logs FROM PUBLIC;
