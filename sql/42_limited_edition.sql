-- Limited-edition mode: 5,000 buyers of one item at the same second (the assignment's "Inventory
-- Sharding"). Not part of the certified checkout: process_order (40_checkout.sql) neither reads
-- nor knows these objects. A student solution need not have them (CONTRACT.md, Task 4).
--
-- Strict mode keeps one stock row per product, so every buyer of a hot item queues on that one
-- row lock, for the length of a transaction including its commit. Here the stock of a product in
-- limited-edition mode is split into shards (sub-rows). A buyer takes a unit from the first shard,
-- starting at a random one, that has enough and is not locked by another buyer (FOR UPDATE SKIP
-- LOCKED): N shards serve N buyers at once. Only when no such shard is found does a buyer lock
-- every shard, in shard order, and take what is left wherever it is, so "sold out" is still
-- decided under locks: no oversell, and the last units are sold even when spread thin.
--
--   CALL limited_edition_open(product_id, 16);                    -- inventory stock -> 16 shards
--   CALL process_limited_order(user_id, product_id, 1);           -- returns p_order_id
--   CALL limited_edition_close(product_id);                       -- what is left -> inventory
--
-- Conservation: inventory.quantity + sum(shard quantity) + units sold = the stock before opening.
-- Every change of a shard is audited like a change of inventory (one audit row per changed row).
-- Errors: the SQLSTATEs of process_order (CONTRACT.md, Task 4): 22004, 22023, 23503, SK001
-- (insufficient stock across all shards), SK002 (the product is not in limited-edition mode).

CREATE TABLE inventory_shards (
    shard_id    uuid        PRIMARY KEY DEFAULT uuidv7(),
    -- No foreign key: the contract's tables stay truncatable without CASCADE (the specs and the
    -- synthesis empty them); limited_edition_open checks that the inventory row exists.
    product_id  uuid        NOT NULL,
    shard       smallint    NOT NULL CHECK (shard >= 0),
    quantity    integer     NOT NULL CHECK (quantity >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT inventory_shards_product_shard_key UNIQUE (product_id, shard)
);
COMMENT ON TABLE inventory_shards IS 'Stock of products in limited-edition mode, split into sub-rows that buyers lock independently.';

CREATE TRIGGER inventory_shards_audit
AFTER INSERT OR UPDATE OR DELETE ON inventory_shards
FOR EACH ROW EXECUTE FUNCTION audit_inventory_change();

CREATE PROCEDURE limited_edition_open(p_product_id uuid, p_shards integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_stock integer;
BEGIN
    IF p_shards IS NULL OR p_shards NOT BETWEEN 1 AND 1024 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format('limited_edition_open: shards must be 1 .. 1024, got %s', p_shards);
    END IF;
    SELECT i.quantity INTO v_stock FROM inventory AS i WHERE i.product_id = p_product_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'SK002',
            MESSAGE = format('limited_edition_open: product %s has no inventory row', p_product_id);
    END IF;
    IF EXISTS (SELECT FROM inventory_shards AS s WHERE s.product_id = p_product_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
            MESSAGE = format('limited_edition_open: product %s is already in limited-edition mode', p_product_id);
    END IF;
    INSERT INTO inventory_shards (product_id, shard, quantity)
    SELECT p_product_id, g, v_stock / p_shards + CASE WHEN g < v_stock % p_shards THEN 1 ELSE 0 END
    FROM generate_series(0, p_shards - 1) AS g;
    UPDATE inventory SET quantity = 0, updated_at = now() WHERE product_id = p_product_id;
END
$$;

CREATE PROCEDURE limited_edition_close(p_product_id uuid)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_left bigint;
BEGIN
    PERFORM FROM inventory AS i WHERE i.product_id = p_product_id FOR UPDATE;
    SELECT sum(s.quantity) INTO v_left
      FROM (SELECT s.quantity FROM inventory_shards AS s WHERE s.product_id = p_product_id ORDER BY s.shard FOR UPDATE) AS s;
    IF v_left IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'SK002',
            MESSAGE = format('limited_edition_close: product %s is not in limited-edition mode', p_product_id);
    END IF;
    DELETE FROM inventory_shards WHERE product_id = p_product_id;
    UPDATE inventory SET quantity = quantity + v_left, updated_at = now() WHERE product_id = p_product_id;
END
$$;

CREATE PROCEDURE process_limited_order(p_user_id uuid, p_product_id uuid, p_quantity integer, INOUT p_order_id uuid DEFAULT NULL)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_shards  integer;
    v_chosen  smallint;
    v_need    integer;
    v_shard   record;
    v_start   integer;
BEGIN
    p_order_id := NULL;
    IF p_user_id IS NULL OR p_product_id IS NULL OR p_quantity IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'null_value_not_allowed',
            MESSAGE = 'process_limited_order: buyer, product and quantity are required';
    END IF;
    IF p_quantity < 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format('process_limited_order: quantity %s must be at least 1', p_quantity);
    END IF;
    IF NOT EXISTS (SELECT FROM users AS u WHERE u.user_id = p_user_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('process_limited_order: unknown buyer %s', p_user_id);
    END IF;
    SELECT count(*) INTO v_shards FROM inventory_shards AS s WHERE s.product_id = p_product_id;
    IF v_shards = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'SK002',
            MESSAGE = format('process_limited_order: product %s is not in limited-edition mode', p_product_id),
            HINT    = 'CALL limited_edition_open(product_id, shards) first, or sell it with process_order';
    END IF;

    -- Fast path: one free shard with enough stock, starting at a random one. Locked by the SELECT
    -- (which re-checks the quantity on the latest row version), then written. A shard that changed
    -- under the SELECT and failed that re-check stays locked: when nothing is found, the block's
    -- subtransaction is rolled back to release such locks, so no buyer enters the slow path (and
    -- waits) while holding a shard out of order.
    v_start := floor(random() * v_shards)::integer;
    BEGIN
        SELECT s.shard INTO v_chosen
          FROM inventory_shards AS s
         WHERE s.product_id = p_product_id AND s.quantity >= p_quantity
         ORDER BY (s.shard + v_start) % v_shards
         LIMIT 1
           FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = 'SK001';   -- caught below: try the slow path
        END IF;
        UPDATE inventory_shards SET quantity = quantity - p_quantity, updated_at = now()
         WHERE product_id = p_product_id AND shard = v_chosen;
    EXCEPTION
        WHEN SQLSTATE 'SK001' THEN v_chosen := NULL;
    END;

    -- Slow path: every shard locked in shard order (no deadlock), the units taken wherever they are.
    IF v_chosen IS NULL THEN
        v_need := p_quantity;
        FOR v_shard IN
            SELECT s.shard, s.quantity FROM inventory_shards AS s
             WHERE s.product_id = p_product_id ORDER BY s.shard FOR UPDATE
        LOOP
            v_need := v_need - v_shard.quantity;
        END LOOP;
        IF v_need > 0 THEN
            RAISE EXCEPTION USING ERRCODE = 'SK001',
                MESSAGE = format('process_limited_order: insufficient stock for product %s: requested %s, available %s',
                                 p_product_id, p_quantity, p_quantity - v_need),
                HINT    = 'nothing was ordered';
        END IF;
        v_need := p_quantity;
        FOR v_shard IN
            SELECT s.shard, s.quantity FROM inventory_shards AS s
             WHERE s.product_id = p_product_id AND s.quantity > 0 ORDER BY s.shard
        LOOP
            EXIT WHEN v_need = 0;
            UPDATE inventory_shards SET quantity = quantity - least(v_need, v_shard.quantity), updated_at = now()
             WHERE product_id = p_product_id AND shard = v_shard.shard;
            v_need := v_need - least(v_need, v_shard.quantity);
        END LOOP;
    END IF;

    INSERT INTO orders (user_id, order_date) VALUES (p_user_id, now()) RETURNING order_id INTO p_order_id;
    INSERT INTO order_items (order_id, product_id, quantity, unit_price)
    SELECT p_order_id, p.product_id, p_quantity, p.price FROM products AS p WHERE p.product_id = p_product_id;
END
$$;
COMMENT ON PROCEDURE process_limited_order(uuid, uuid, integer, uuid) IS
    'Limited-edition checkout of one product: takes the units from a free inventory shard (SKIP LOCKED), else locks every shard in order; SK001 when all shards together are short. Independent of process_order.';

REVOKE ALL ON PROCEDURE process_limited_order(uuid, uuid, integer, uuid) FROM PUBLIC;
REVOKE ALL ON PROCEDURE limited_edition_open(uuid, integer) FROM PUBLIC;
REVOKE ALL ON PROCEDURE limited_edition_close(uuid) FROM PUBLIC;
