/**
 * Writes an order history (helpers/oracles/order-history.ts) into the solution's tables, and the
 * SQL helpers that read it back exactly. The oracle side stays pure; this is the database side.
 */
import type pg from 'pg';
import { isoOf } from '../oracles/calendar.js';
import { MAX_LINES_PER_ORDER, type OrderHistory } from '../oracles/order-history.js';
import type { Queryable } from './queryable.js';

/** Products for order lines (line k of every order uses product k), created once per spec file. */
export async function createLineProducts(db: Queryable, tag: string, count = MAX_LINES_PER_ORDER): Promise<string[]> {
  const { rows } = await db.query<{ product_id: string }>(
    `INSERT INTO products (sku, name, price, metadata)
     SELECT 'GROWTH-' || $1 || '-' || g, 'Growth report line product ' || g, 10.00, '{}'::jsonb
     FROM generate_series(1, $2::int) AS g ORDER BY g
     RETURNING product_id`,
    [tag, count],
  );
  return rows.map((r) => r.product_id);
}

/** Inserts users, orders and lines through the contract's columns, in three statements. */
export async function insertHistory(db: Queryable, history: OrderHistory, lineProducts: readonly string[]): Promise<void> {
  if (history.users.length > 0) {
    await db.query(
      `INSERT INTO users (user_id, email, full_name, country_code, registered_at, signup_channel)
       SELECT r.user_id, 'growth.' || r.user_id || '@example.test', 'Growth Customer', 'PT', r.registered_at, 'web'
       FROM jsonb_to_recordset($1::jsonb) AS r(user_id uuid, registered_at timestamptz)`,
      [JSON.stringify(history.users.map((u) => ({ user_id: u.userId, registered_at: isoOf(u.registeredAt) })))],
    );
  }
  if (history.orders.length === 0) return;
  await db.query(
    `INSERT INTO orders (order_id, user_id, order_date)
     SELECT r.order_id, r.user_id, r.order_date FROM jsonb_to_recordset($1::jsonb) AS r(order_id uuid, user_id uuid, order_date timestamptz)`,
    [JSON.stringify(history.orders.map((o) => ({ order_id: o.orderId, user_id: o.userId, order_date: isoOf(o.at) })))],
  );
  const lines = history.orders.flatMap((o) =>
    o.lines.map((l, k) => {
      const productId = lineProducts[k];
      if (!productId)
        throw new Error(`order ${o.orderId} has ${o.lines.length} lines but only ${lineProducts.length} line products exist`);
      return { order_id: o.orderId, product_id: productId, quantity: l.quantity, unit_price: l.unitPrice };
    }),
  );
  if (lines.length > 0) {
    await db.query(
      `INSERT INTO order_items (order_id, product_id, quantity, unit_price)
       SELECT r.order_id, r.product_id, r.quantity, r.unit_price
       FROM jsonb_to_recordset($1::jsonb) AS r(order_id uuid, product_id uuid, quantity int, unit_price numeric)`,
      [JSON.stringify(lines)],
    );
  }
}

/** Runs `work` in a transaction that is always rolled back, so property runs share one database. */
export async function inRolledBackTransaction<T>(client: pg.Client, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    return await work();
  } finally {
    await client.query('ROLLBACK');
  }
}

/** A timestamptz column as exact microseconds since the epoch (text, to survive `pg` and JSON). */
export const epochMicrosSql = (column: string): string => `(extract(epoch FROM ${column}) * 1000000)::bigint::text`;
