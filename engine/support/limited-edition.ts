/**
 * The limited-edition mode's books as the engine specs read them: shards, audit rows,
 * reservations and the orders settling made, each as plain values for the oracle to compare.
 */
import type { Queryable } from '../../helpers/db/queryable.js';
import type { Reservation, SettledOrder, ShardChange } from '../../helpers/oracles/limited-edition.js';

export const LIMITED_EDITION_OBJECTS = [
  'inventory',
  'orders',
  'order_items',
  'audit_logs',
  'process_limited_order()',
  'limited_edition_open()',
  'limited_edition_close()',
  'limited_edition_settle()',
];

/** Shard quantities in shard order. */
export async function shardQuantities(db: Queryable, product: string): Promise<number[]> {
  const { rows } = await db.query<{ quantity: number }>(
    'SELECT quantity FROM inventory_shards WHERE product_id = $1 ORDER BY shard',
    [product],
  );
  return rows.map((r) => r.quantity);
}

/** The product's shard audit rows of one operation, as (shard, before, after). */
export async function shardAudit(
  db: Queryable,
  product: string,
  operation: 'INSERT' | 'UPDATE' | 'DELETE',
): Promise<ShardChange[]> {
  const { rows } = await db.query<{ shard: number; before: number | null; after: number | null }>(
    `SELECT coalesce(after_state, before_state) ->> 'shard' AS shard,
            (before_state ->> 'quantity')::int AS before, (after_state ->> 'quantity')::int AS after
       FROM audit_logs
      WHERE table_name = 'inventory_shards' AND operation = $2 AND coalesce(after_state, before_state) ->> 'product_id' = $1::text`,
    [product, operation],
  );
  return rows.map((r) => ({ shard: Number(r.shard), before: r.before ?? 0, after: r.after ?? 0 }));
}

export async function reservations(db: Queryable, product?: string): Promise<(Reservation & { reserved_at: string })[]> {
  const { rows } = await db.query<Reservation & { reserved_at: string }>(
    `SELECT reservation_id::text, user_id::text, product_id::text, quantity, unit_price::text, reserved_at::text
       FROM limited_edition_reservations WHERE $1::uuid IS NULL OR product_id = $1 ORDER BY reservation_id`,
    [product ?? null],
  );
  return rows;
}

/** Orders with the given ids and their lines, as the oracle writes them. */
export async function settledOrders(db: Queryable, orderIds: string[]): Promise<SettledOrder[]> {
  const { rows } = await db.query<{ order_id: string; user_id: string; order_date: string; lines: SettledOrder['lines'] }>(
    `SELECT o.order_id::text, o.user_id::text, o.order_date::text,
            coalesce((SELECT jsonb_agg(jsonb_build_object('product_id', i.product_id::text, 'quantity', i.quantity,
                                                          'unit_price', i.unit_price::text) ORDER BY i.product_id)
                        FROM order_items AS i WHERE i.order_id = o.order_id), '[]') AS lines
       FROM orders AS o WHERE o.order_id = ANY ($1::uuid[]) ORDER BY o.order_id`,
    [orderIds],
  );
  return rows;
}

/** Orders and lines of a product, counted (settling twice would show here). */
export async function productSales(db: Queryable, product: string): Promise<{ orders: number; lines: number; units: number }> {
  const { rows } = await db.query<{ orders: number; lines: number; units: number }>(
    `SELECT count(DISTINCT order_id)::int AS orders, count(*)::int AS lines, coalesce(sum(quantity), 0)::int AS units
       FROM order_items WHERE product_id = $1`,
    [product],
  );
  return rows[0]!;
}
