-- Task 1: the 3NF foundation for accounts, catalog and transactions.
--
-- Every table's key is a uuid defaulting to uuidv7() (see 00_uuidv7.sql). inventory is keyed by
-- its product (1:1), so its key is the product's id, not a new surrogate.
--
-- Personal data (email, name, phone, street address) exists in users only; everything else
-- reaches it through user_id. The one deliberate copy is order_items.unit_price, the price
-- at the moment of purchase: products.price changes later, history must not.

CREATE TABLE users (
    user_id          uuid        PRIMARY KEY DEFAULT uuidv7(),
    email            text        NOT NULL,
    full_name        text        NOT NULL,
    phone            text,
    -- geography: ISO 3166-1 alpha-2 country, free-form region and city, postal code and street
    -- as the customer typed them (postal codes do not determine cities worldwide, so no lookup
    -- table), and an optional WGS84 point for distance analytics.
    country_code     char(2)     NOT NULL CHECK (country_code ~ '^[A-Z]{2}$'),
    region           text,
    city             text,
    postal_code      text,
    street_address   text,
    latitude         numeric(8,6)  CHECK (latitude  BETWEEN -90  AND 90),
    longitude        numeric(9,6)  CHECK (longitude BETWEEN -180 AND 180),
    -- account age is now() - registered_at
    registered_at    timestamptz NOT NULL DEFAULT now(),
    -- registration metadata
    signup_channel   text        NOT NULL DEFAULT 'web'
                     CHECK (signup_channel IN ('web', 'ios', 'android', 'marketplace', 'referral', 'import')),
    signup_device    text,
    signup_referrer  text,
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_email_shape CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    CONSTRAINT users_coordinates_paired CHECK ((latitude IS NULL) = (longitude IS NULL))
);
COMMENT ON TABLE users IS 'Accounts. The only table holding personal data (PII).';

CREATE TABLE products (
    product_id  uuid          PRIMARY KEY DEFAULT uuidv7(),
    sku         text          NOT NULL CHECK (sku <> ''),
    name        text          NOT NULL,
    price       numeric(12,2) NOT NULL CHECK (price >= 0),
    -- custom attributes per category ("fabric", "screen_type", ...): see 20_catalog.sql
    metadata    jsonb         NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    created_at  timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT products_sku_key UNIQUE (sku)
);

CREATE TABLE inventory (
    product_id  uuid        PRIMARY KEY REFERENCES products (product_id) ON DELETE CASCADE,
    quantity    integer     NOT NULL CHECK (quantity >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN inventory.product_id IS 'Stock of a product that no longer exists means nothing: it goes with the product.';

CREATE TABLE orders (
    order_id    uuid        PRIMARY KEY DEFAULT uuidv7(),
    -- RESTRICT: an order is a financial record; a customer with orders is anonymised, never deleted.
    user_id     uuid        NOT NULL REFERENCES users (user_id) ON DELETE RESTRICT,
    order_date  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE order_items (
    order_item_id  uuid          PRIMARY KEY DEFAULT uuidv7(),
    -- CASCADE: a line has no meaning without its order.
    order_id       uuid          NOT NULL REFERENCES orders (order_id) ON DELETE CASCADE,
    -- RESTRICT: a product that was sold stays in the catalog (retire it, don't delete it).
    product_id     uuid          NOT NULL REFERENCES products (product_id) ON DELETE RESTRICT,
    quantity       integer       NOT NULL CHECK (quantity > 0),
    -- the price snapshot taken at purchase: the one intended copy of a product attribute
    unit_price     numeric(12,2) NOT NULL CHECK (unit_price >= 0),
    CONSTRAINT order_items_one_line_per_product UNIQUE (order_id, product_id)
);

CREATE TABLE audit_logs (
    audit_log_id  uuid        PRIMARY KEY DEFAULT uuidv7(),
    table_name    text        NOT NULL,
    operation     text        NOT NULL CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE')),
    -- the changed row as JSONB before and after; NULL before an INSERT or after a DELETE
    before_state  jsonb,
    after_state   jsonb,
    changed_at    timestamptz NOT NULL DEFAULT now(),
    changed_by    text        NOT NULL DEFAULT current_user,
    CONSTRAINT audit_logs_has_state CHECK (before_state IS NOT NULL OR after_state IS NOT NULL)
);
COMMENT ON TABLE audit_logs IS 'Append-only change history; no foreign keys, so it outlives the rows it describes.';

-- Foreign keys are not indexed automatically; every join and ON DELETE check needs one.
CREATE INDEX orders_user_id_idx        ON orders (user_id);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);
-- order_items (order_id, ...) is served by the UNIQUE (order_id, product_id) index.
