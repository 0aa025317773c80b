import type { Queryable } from '../db/queryable.js';

/** Inserts rows through the columns CONTRACT.md names, so any conforming solution accepts them. */

export interface UserRow {
  email: string;
  full_name: string;
  phone: string | null;
  street_address: string | null;
  postal_code: string | null;
  city: string | null;
  country_code: string;
  registered_at: string;
  signup_channel: 'web' | 'ios' | 'android';
}

export interface ProductRow {
  sku: string;
  name: string;
  price: string;
  metadata: Record<string, unknown>;
}

export interface OrderLine {
  product_id: string;
  quantity: number;
  unit_price: string;
}

let counter = 0;
const unique = () => `${process.pid.toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export function sampleUser(overrides: Partial<UserRow> = {}): UserRow {
  const id = unique();
  return {
    email: `user.${id}@example.test`,
    full_name: `Test Person ${id}`,
    phone: null,
    street_address: null,
    postal_code: null,
    city: 'Lisbon',
    country_code: 'PT',
    registered_at: '2026-01-15T10:00:00Z',
    signup_channel: 'web',
    ...overrides,
  };
}

export function sampleProduct(overrides: Partial<ProductRow> = {}): ProductRow {
  const id = unique();
  return { sku: `SKU-${id}`, name: `Product ${id}`, price: '10.00', metadata: {}, ...overrides };
}

export async function insertUsers(db: Queryable, users: UserRow[]): Promise<string[]> {
  if (users.length === 0) return [];
  const { rows } = await db.query<{ user_id: string }>(
    `INSERT INTO users (email, full_name, phone, street_address, postal_code, city, country_code, registered_at, signup_channel)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(email text, full_name text, phone text, street_address text,
            postal_code text, city text, country_code text, registered_at timestamptz, signup_channel text)
     RETURNING user_id`,
    [JSON.stringify(users)],
  );
  return rows.map((r) => r.user_id);
}

export async function insertProducts(db: Queryable, products: ProductRow[], stock?: number): Promise<string[]> {
  if (products.length === 0) return [];
  const { rows } = await db.query<{ product_id: string }>(
    `INSERT INTO products (sku, name, price, metadata)
     SELECT sku, name, price, metadata FROM jsonb_to_recordset($1::jsonb) AS r(sku text, name text, price numeric, metadata jsonb)
     RETURNING product_id`,
    [JSON.stringify(products)],
  );
  const ids = rows.map((r) => r.product_id);
  if (stock !== undefined) {
    await db.query(`INSERT INTO inventory (product_id, quantity) SELECT unnest($1::uuid[]), $2`, [ids, stock]);
  }
  return ids;
}

export async function insertOrder(db: Queryable, userId: string, orderDate: string, lines: OrderLine[]): Promise<string> {
  const { rows } = await db.query<{ order_id: string }>(
    `INSERT INTO orders (user_id, order_date) VALUES ($1, $2) RETURNING order_id`,
    [userId, orderDate],
  );
  const orderId = rows[0]!.order_id;
  if (lines.length > 0) {
    await db.query(
      `INSERT INTO order_items (order_id, product_id, quantity, unit_price)
       SELECT $1, product_id, quantity, unit_price FROM jsonb_to_recordset($2::jsonb) AS r(product_id uuid, quantity int, unit_price numeric)`,
      [orderId, JSON.stringify(lines)],
    );
  }
  return orderId;
}
