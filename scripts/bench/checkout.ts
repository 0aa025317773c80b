/**
 * The checkout sides of the bench, each run through the same load driver:
 *   process_order, one-line carts over many products  vs  the TPC-B-like transaction
 *   process_order, every cart on one hot product      vs  the bare audited decrement of that row
 *   process_limited_order on one sharded product      vs  strict process_order on one product
 */
import type pg from 'pg';
import { pick, type Transaction } from './load.js';

export interface CheckoutFixture {
  users: string[];
  products: string[];
  hot: string;
  limited: string;
  shards: number;
  /** Units of the limited product sold before the bench (synthesized history). */
  soldBefore: bigint;
}

const PLENTY = 1_000_000_000;

/** Buyers, stocked products, a hot product and a limited-edition product with plenty of stock. */
export async function prepareCheckoutFixture(
  db: pg.ClientBase,
  shards: number,
  products = 1000,
  users = 1000,
): Promise<CheckoutFixture> {
  const productIds = (
    await db.query<{ product_id: string }>(
      `SELECT i.product_id::text FROM inventory AS i
        WHERE NOT EXISTS (SELECT FROM inventory_shards AS s WHERE s.product_id = i.product_id)
        ORDER BY i.product_id LIMIT $1`,
      [products + 1],
    )
  ).rows.map((r) => r.product_id);
  const userIds = (
    await db.query<{ user_id: string }>(`SELECT user_id::text FROM users ORDER BY user_id LIMIT $1`, [users])
  ).rows.map((r) => r.user_id);
  if (productIds.length < 2 || userIds.length === 0) throw new Error('bench: no stocked products or no users');
  const limited = productIds.pop()!;
  await db.query(`UPDATE inventory SET quantity = $2 WHERE product_id = ANY ($1::uuid[])`, [[...productIds, limited], PLENTY]);
  await db.query('CALL limited_edition_open($1, $2)', [limited, shards]);
  const sold = await db.query<{ sold: string }>(
    'SELECT coalesce(sum(quantity), 0)::text AS sold FROM order_items WHERE product_id = $1',
    [limited],
  );
  return { users: userIds, products: productIds, hot: productIds[0]!, limited, shards, soldBefore: BigInt(sold.rows[0]!.sold) };
}

const cart = (productId: string) => JSON.stringify([{ product_id: productId, quantity: 1 }]);

export const checkoutSpread =
  (f: CheckoutFixture): Transaction =>
  async (client) => {
    await client.query('CALL process_order($1, $2)', [pick(f.users), cart(pick(f.products))]);
  };

export const checkoutHot =
  (f: CheckoutFixture): Transaction =>
  async (client) => {
    await client.query('CALL process_order($1, $2)', [pick(f.users), cart(f.hot)]);
  };

/** The row lock, the write and its audit row: what any checkout of the hot product must do. */
export const bareAuditedUpdate =
  (f: CheckoutFixture): Transaction =>
  async (client) => {
    await client.query('UPDATE inventory SET quantity = quantity - 1, updated_at = now() WHERE product_id = $1', [f.hot]);
  };

export const limitedEdition =
  (f: CheckoutFixture): Transaction =>
  async (client) => {
    await client.query('CALL process_limited_order($1, $2, 1)', [pick(f.users), f.limited]);
  };

/** Oversell check after the limited-edition run: no shard below zero, stock + sold = initial. */
export async function limitedEditionAccount(
  db: pg.ClientBase,
  f: CheckoutFixture,
): Promise<{ oversold: number; conserved: boolean }> {
  const { rows } = await db.query<{ left: string; sold: string; negative: string }>(
    `SELECT (SELECT sum(quantity) FROM inventory_shards WHERE product_id = $1)::text AS left,
            (SELECT coalesce(sum(quantity), 0) FROM order_items WHERE product_id = $1)::text AS sold,
            (SELECT count(*) FROM inventory_shards WHERE product_id = $1 AND quantity < 0)::text AS negative`,
    [f.limited],
  );
  const r = rows[0]!;
  return { oversold: Number(r.negative), conserved: BigInt(r.left) + BigInt(r.sold) - f.soldBefore === BigInt(PLENTY) };
}
