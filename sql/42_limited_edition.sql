-- Limited-edition mode: 5,000 buyers of one item at the same second (the assignment's "Inventory
-- Sharding or Soft-Reservation Logs", both). Not part of the certified checkout: process_order
-- (40_checkout.sql) neither reads nor knows these objects. A student solution need not have them
-- (CONTRACT.md, Task 4).
--
-- Strict mode keeps one stock row per product, so every buyer of a hot item queues on that one
-- row lock, for the length of a transaction including its commit. Here a buyer's transaction
-- does two small things and waits for nobody:
--   1. takes the units from one shard of the product's stock (sub-rows: a random free shard with
--      enough, FOR UPDATE SKIP LOCKED), audited like inventory, and
--   2. appends a reservation (the soft-reservation log) whose id is the buyer's order number.
-- No order row, no order line, no foreign-key lock on the hot products row, no rollup trigger:
-- those are written later, for many buyers at once, by limited_edition_settle.
--
--   CALL limited_edition_open(product_id, 64);                 -- inventory stock -> 64 shards
--   CALL process_limited_order(user_id, product_id, 1);        -- returns p_order_id (reserved)
--   CALL limited_edition_settle(1000);                         -- up to 1,000 reservations -> orders
--   CALL limited_edition_close(product_id);                    -- what is left -> inventory
--
-- Settling: one call = one transaction = one batch. It deletes the oldest reservations it can lock
-- (SKIP LOCKED: concurrent settlers take disjoint batches) and inserts, in the same statement, one
-- order per reservation whose order_id IS the reservation id (order_date = reservation time) and
-- its line (the price snapshot taken at reservation). A crash or an error rolls the whole batch
-- back; a reservation settled twice would collide on orders' primary key. Call it until it
-- returns 0 (p_settled). Pending reservations outlive limited_edition_close; they are sold units.
-- Buyers are anonymised, never deleted (orders RESTRICT), so a reservation's buyer still exists
-- when it settles.
--
-- Conservation, per product: inventory.quantity + sum(shards) + reserved (pending reservations)
-- + sold (order lines since opening) = the stock before opening. Every change of a shard is
-- audited like a change of inventory (one audit row per changed row); settling changes no stock.
-- Errors: the SQLSTATEs of process_order (CONTRACT.md, Task 4): 22004, 22023, 23503, SK001
-- (insufficient stock across all shards), SK002 (the product is not in limited-edition mode).

CREATE TABLE inventory_shards (
    shard_id    uuid        PRIMARY KEY DEFAULT uuidv7(),
    -- No foreign key: the contract's tables stay truncatable without CASCADE (the specs and the
    -- synthesis empty them); limited_edition_open checks that the inventory row exists.
    product_id  uuid        NOT NULL,
    shard       smallint    NOT NULL CHECK (shard >= 0),
    quantity    integer     NOT NULL CHECK (quantity >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now()
)
-- A few shards per page: every buyer writes a shard, and one page for all of them would make
-- its buffer lock the next queue.
WITH (fillfactor = 10);
ALTER TABLE inventory_shards ADD CONSTRAINT inventory_shards_product_shard_key UNIQUE (product_id, shard);
COMMENT ON TABLE inventory_shards IS 'Stock of products in limited-edition mode, split into sub-rows that buyers lock independently.';

CREATE TRIGGER inventory_shards_audit
AFTER INSERT OR UPDATE OR DELETE ON inventory_shards
FOR EACH ROW EXECUTE FUNCTION audit_inventory_change();

-- The soft-reservation log: units taken from the shards, not yet an order. No foreign keys, for
-- the same reason as the shards, and so that no buyer locks the hot products row.
CREATE TABLE limited_edition_reservations (
    reservation_id  uuid          PRIMARY KEY DEFAULT uuidv7(),   -- becomes the order's order_id
    user_id         uuid          NOT NULL,
    product_id      uuid          NOT NULL,
    quantity        integer       NOT NULL CHECK (quantity > 0),
    unit_price      numeric(12,2) NOT NULL CHECK (unit_price >= 0),  -- the price snapshot at reservation
    reserved_at     timestamptz   NOT NULL DEFAULT now()             -- becomes order_date
);
COMMENT ON TABLE limited_edition_reservations IS
    'Units taken from inventory_shards by process_limited_order, waiting for limited_edition_settle to become orders (order_id = reservation_id).';

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
    v_price   numeric(12,2);
    v_taken   smallint;
    v_total   bigint;
    v_fitting bigint;
    v_shards  bigint;
    v_wait    uuid;
    v_need    integer;
    v_shard   record;
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
    SELECT p.price INTO v_price FROM products AS p WHERE p.product_id = p_product_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
            MESSAGE = format('process_limited_order: unknown product %s', p_product_id);
    END IF;

    -- Each attempt runs in a block (a subtransaction): when it takes nothing, rolling the block
    -- back releases any shard its locking read kept (a shard that changed under the read and then
    -- failed its re-check stays locked otherwise), so a buyer never waits while holding a shard it
    -- did not take, and waits cannot form a cycle.
    LOOP
        -- 1. A random free shard with enough: no waiting at all.
        BEGIN
            UPDATE inventory_shards AS s SET quantity = s.quantity - p_quantity, updated_at = now()
             WHERE s.shard_id = (SELECT c.shard_id FROM inventory_shards AS c
                                  WHERE c.product_id = p_product_id AND c.quantity >= p_quantity
                                  ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED)
               AND s.quantity >= p_quantity
            RETURNING s.shard INTO v_taken;
            IF NOT FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'SK001';   -- caught below: nothing was taken
            END IF;
        EXCEPTION
            WHEN SQLSTATE 'SK001' THEN v_taken := NULL;
        END;
        EXIT WHEN v_taken IS NOT NULL;

        -- Taken nothing: every shard with enough was busy, or no single shard has enough. Shard stock
        -- only goes down while the mode is open, so a total short on this statement's snapshot is
        -- short for good: sold out, decided without waiting.
        SELECT coalesce(sum(s.quantity), 0), count(*) FILTER (WHERE s.quantity >= p_quantity), count(*)
          INTO v_total, v_fitting, v_shards
          FROM inventory_shards AS s WHERE s.product_id = p_product_id;
        IF v_shards = 0 THEN
            RAISE EXCEPTION USING ERRCODE = 'SK002',
                MESSAGE = format('process_limited_order: product %s is not in limited-edition mode', p_product_id),
                HINT    = 'CALL limited_edition_open(product_id, shards) first, or sell it with process_order';
        END IF;
        IF v_total < p_quantity THEN
            RAISE EXCEPTION USING ERRCODE = 'SK001',
                MESSAGE = format('process_limited_order: insufficient stock for product %s: requested %s, available %s',
                                 p_product_id, p_quantity, v_total),
                HINT    = 'nothing was ordered';
        END IF;
        EXIT WHEN v_fitting = 0;   -- enough in total, spread thin: step 3

        -- 2. Busy: queue on one shard that had enough, holding no shard at all (step 1 was rolled
        --    back), then try again. The shard is chosen by a plain read and locked by the UPDATE alone:
        --    a locking read could keep a shard that failed its re-check while waiting for the next.
        SELECT s.shard_id INTO v_wait FROM inventory_shards AS s
         WHERE s.product_id = p_product_id AND s.quantity >= p_quantity ORDER BY random() LIMIT 1;
        CONTINUE WHEN NOT FOUND;
        BEGIN
            UPDATE inventory_shards AS s SET quantity = s.quantity - p_quantity, updated_at = now()
             WHERE s.shard_id = v_wait AND s.quantity >= p_quantity
            RETURNING s.shard INTO v_taken;
            IF NOT FOUND THEN
                RAISE EXCEPTION USING ERRCODE = 'SK001';
            END IF;
        EXCEPTION
            WHEN SQLSTATE 'SK001' THEN v_taken := NULL;
        END;
        EXIT WHEN v_taken IS NOT NULL;
    END LOOP;

    -- 3. Spread thin: every shard locked in shard order (no deadlock: the only buyers that wait
    --    while holding shards are these, and they lock in one order), the total re-checked under
    --    the locks, the units taken wherever they are.
    IF v_taken IS NULL THEN
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

    INSERT INTO limited_edition_reservations (user_id, product_id, quantity, unit_price)
    VALUES (p_user_id, p_product_id, p_quantity, v_price)
    RETURNING reservation_id INTO p_order_id;
END
$$;
COMMENT ON PROCEDURE process_limited_order(uuid, uuid, integer, uuid) IS
    'Limited-edition checkout of one product: takes the units from a free inventory shard (SKIP LOCKED) and appends a reservation whose id is the future order_id; SK001 when all shards together are short. Independent of process_order.';

CREATE PROCEDURE limited_edition_settle(p_batch integer DEFAULT 1000, INOUT p_settled integer DEFAULT NULL)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF p_batch IS NULL OR p_batch < 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format('limited_edition_settle: batch must be at least 1, got %s', p_batch);
    END IF;
    -- One statement: the reservations leave the log and their orders and lines appear together
    -- (the lines' foreign key sees the orders: it is checked at the end of the statement).
    WITH taken AS (
        DELETE FROM limited_edition_reservations AS r
         WHERE r.reservation_id IN (SELECT q.reservation_id FROM limited_edition_reservations AS q
                                     ORDER BY q.reservation_id LIMIT p_batch FOR UPDATE SKIP LOCKED)
        RETURNING r.*
    ), new_orders AS (
        INSERT INTO orders (order_id, user_id, order_date)
        SELECT t.reservation_id, t.user_id, t.reserved_at FROM taken AS t
        RETURNING order_id
    )
    INSERT INTO order_items (order_id, product_id, quantity, unit_price)
    SELECT t.reservation_id, t.product_id, t.quantity, t.unit_price FROM taken AS t;
    GET DIAGNOSTICS p_settled = ROW_COUNT;
END
$$;
COMMENT ON PROCEDURE limited_edition_settle(integer, integer) IS
    'Turns up to p_batch limited-edition reservations into orders (order_id = reservation_id) with their lines, in the caller''s transaction; concurrent calls take disjoint batches. Call until p_settled = 0.';

REVOKE ALL ON PROCEDURE process_limited_order(uuid, uuid, integer, uuid) FROM PUBLIC;
REVOKE ALL ON PROCEDURE limited_edition_open(uuid, integer) FROM PUBLIC;
REVOKE ALL ON PROCEDURE limited_edition_close(uuid) FROM PUBLIC;
REVOKE ALL ON PROCEDURE limited_edition_settle(integer, integer) FROM PUBLIC;
