/**
 * Deliverable "atomic checkout with ROLLBACK logic": a multi-line cart with one short line fails
 * with the insufficient-stock SQLSTATE and leaves every table byte-for-byte unchanged (md5 of each
 * table's ordered contents before and after) — no order, no items, no stock change, no audit row,
 * wherever the short line sits in the cart. A cart that fits changes exactly what it should.
 */
import { beforeAll, describe, it } from 'vitest';
import { failHaveWant } from '../../helpers/vitest/have-want.js';
import { refusal } from '../../helpers/vitest/sqlstate.js';
import { inventoryAudit, processOrder, SQLSTATE, seedShop, stockOf, useCheckoutDatabase } from './support/checkout.js';
import { changedTables, tableChecksums } from './support/table-checksums.js';

const db = useCheckoutDatabase();
let buyer: string;
let products: [string, string, string];

beforeAll(async () => {
  const shop = await seedShop(db.pool, 1, [
    { stock: 5, price: '3.50' },
    { stock: 5, price: '7.25' },
    { stock: 2, price: '19.99' },
  ]);
  buyer = shop.buyers[0]!;
  products = shop.products as [string, string, string];
  await processOrder(db.pool, buyer, [{ product_id: products[0], quantity: 1 }]); // some history to protect
});

describe('Atomic checkout · all or nothing', { tags: ['task4', 'deliverable-checkout'] }, () => {
  // clause: t4.all-or-nothing
  it.each([
    { short: 3, why: 'the last line is short' },
    { short: 2, why: 'the middle line is short' },
    { short: 1, why: 'the first line is short' },
  ])('a 3-line cart where $why leaves every table unchanged', async ({ short }) => {
    const [a, b, c] = products;
    const stock = await stockOf(db.pool, products);
    // lines 1-3 = a, b, c; the short line asks for one unit more than is in stock
    const cart = [a, b, c].map((id, i) => ({ product_id: id, quantity: i + 1 === short ? stock.get(id)! + 1 : 1 }));
    const shortProduct = cart[short - 1]!.product_id;
    const before = await tableChecksums(db.pool);
    const error = await refusal(
      `CALL process_order(buyer, ${JSON.stringify(cart.map((l) => l.quantity))} with line ${short} short)`,
      () => processOrder(db.pool, buyer, cart),
      SQLSTATE.insufficientStock,
      'check every line under the lock and RAISE EXCEPTION with SQLSTATE SK001 when any line is short; never skip the line or swallow the error',
    );
    if (!error.message.includes(shortProduct))
      failHaveWant(
        'the insufficient-stock message names the short product',
        error.message,
        `a message containing ${shortProduct}`,
      );
    const changed = changedTables(before, await tableChecksums(db.pool));
    if (changed.length > 0)
      failHaveWant(
        'tables changed by the refused checkout',
        changed,
        'none',
        'raise the exception so the whole call rolls back: no order, no items, no stock change, no audit row',
      );
  });

  // clause: t4.all-or-nothing t4.stock-decrement t4.audit-row t4.procedure t4.order-id-output
  it('a cart that fits: one order, its lines, the stock decrements and one audit row per line', async () => {
    const [a, b, c] = products;
    const stock = await stockOf(db.pool, products);
    const before = await tableChecksums(db.pool);
    const auditBefore = (await inventoryAudit(db.pool, products)).length;
    const { rows: counted } = await db.query<{ orders: number; items: number }>(
      'SELECT (SELECT count(*) FROM orders)::int AS orders, (SELECT count(*) FROM order_items)::int AS items',
    );
    const orderId = await processOrder(db.pool, buyer, [
      { product_id: c, quantity: 2 },
      { product_id: a, quantity: 1 },
      { product_id: b, quantity: 3 },
    ]);
    const changed = changedTables(before, await tableChecksums(db.pool))
      .map((t) => t.split(':')[0])
      .sort();
    const { rows: after } = await db.query<{ orders: number; items: number }>(
      'SELECT (SELECT count(*) FROM orders)::int AS orders, (SELECT count(*) FROM order_items)::int AS items',
    );
    const want = { orders: counted[0]!.orders + 1, items: counted[0]!.items + 3 };
    if (JSON.stringify(after[0]) !== JSON.stringify(want))
      failHaveWant('orders and order_items after a 3-line checkout', after[0], want);
    for (const t of ['audit_logs', 'inventory', 'order_items', 'orders'])
      if (!changed.includes(t))
        failHaveWant('tables changed by a successful checkout', changed, 'audit_logs, inventory, order_items, orders');
    const now = await stockOf(db.pool, products);
    const decrements = [a, b, c].map((id) => stock.get(id)! - now.get(id)!);
    if (JSON.stringify(decrements) !== JSON.stringify([1, 3, 2]))
      failHaveWant('stock decrements of a, b, c', decrements, [1, 3, 2]);
    const audit = (await inventoryAudit(db.pool, products)).slice(auditBefore);
    if (audit.length !== 3) failHaveWant('audit rows for the 3 changed inventory rows', audit.length, 3);
    const { rows } = await db.query<{ user_id: string }>('SELECT user_id FROM orders WHERE order_id = $1', [orderId]);
    if (rows[0]?.user_id !== buyer) failHaveWant('the buyer of the returned order', rows[0]?.user_id, buyer);
  });
});
