/**
 * The checkout sides of the bench, each run through the same load driver:
 *   process_order, one-line carts over many products  vs  the TPC-B-like transaction
 *   process_order, every cart on one hot product      vs  the bare audited decrement of that row
 *   process_limited_order on one sharded product      vs  strict process_order on one product
 *     (the limited-edition side, with its settling, is in limited.ts)
 */
import type pg from 'pg';
import { pick, type Transaction } from './load.js';

export interface CheckoutFixture {
  users: string[];
  products: string[];
  hot: string;
  limited: string;
  shards: number;
  /** Stock of the limited product when its mode was opened. */
  limitedStock: number;
  /** Units and order lines of the limited product sold before the bench (synthesized history). */
  soldBefore: bigint;
  linesBefore: number;
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
  const sold = await db.query<{ sold: string; lines: string }>(
    'SELECT coalesce(sum(quantity), 0)::text AS sold, count(*)::text AS lines FROM order_items WHERE product_id = $1',
    [limited],
  );
  return {
    users: userIds,
    products: productIds,
    hot: productIds[0]!,
    limited,
    shards,
    limitedStock: PLENTY,
    soldBefore: BigInt(sold.rows[0]!.sold),
    linesBefore: Number(sold.rows[0]!.lines),
  };
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
