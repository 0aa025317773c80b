/**
 * Deliverable checkout — the price snapshot: order_items.unit_price is the catalog price per unit
 * at the moment of purchase. A later price change (up or down) changes the price of later orders
 * only; what was sold keeps the price it was sold at.
 */
import { beforeAll, describe, it } from 'vitest';
import { centsOf } from '../../helpers/oracles/shop-model.js';
import { failHaveWant } from '../../helpers/vitest/have-want.js';
import { processOrder, seedBuyers, seedStockedProducts, useCheckoutDatabase } from './support/checkout.js';

const db = useCheckoutDatabase();
let buyers: [string, string];
let product: string;

beforeAll(async () => {
  buyers = (await seedBuyers(db.pool, 2)) as [string, string];
  [product] = (await seedStockedProducts(db.pool, [{ stock: 10, price: '19.99' }])) as [string];
});

async function unitPrice(orderId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ unit_price: string }>(
    'SELECT unit_price::text AS unit_price FROM order_items WHERE order_id = $1 AND product_id = $2',
    [orderId, product],
  );
  return rows[0]?.unit_price;
}

/** Exact comparison in cents (numeric arrives as a string). */
const same = (have: string | undefined, want: string) => have !== undefined && centsOf(have) === centsOf(want);

describe('Atomic checkout · price snapshot', { tags: ['task4', 'deliverable-checkout'] }, () => {
  // clause: t4.price-snapshot
  it('a later price change leaves the ordered unit price untouched; new orders get the new price', async () => {
    const first = await processOrder(db.pool, buyers[0], [{ product_id: product, quantity: 2 }]);
    const firstPrice = await unitPrice(first);
    if (!same(firstPrice, '19.99'))
      failHaveWant(
        'unit_price of 2 units bought at 19.99',
        firstPrice,
        '19.99',
        'copy products.price (per unit, not the line total) into order_items.unit_price at checkout',
      );

    await db.query('UPDATE products SET price = 24.50 WHERE product_id = $1', [product]);
    const afterRise = await unitPrice(first);
    if (!same(afterRise, '19.99'))
      failHaveWant(
        'unit_price of the first order after the price rose to 24.50',
        afterRise,
        '19.99',
        'never rewrite order_items.unit_price when the catalog price changes: it is history',
      );

    const second = await processOrder(db.pool, buyers[1], [{ product_id: product, quantity: 1 }]);
    const secondPrice = await unitPrice(second);
    if (!same(secondPrice, '24.50'))
      failHaveWant(
        'unit_price of an order placed after the change',
        secondPrice,
        '24.50',
        'read products.price at checkout time',
      );

    await db.query('UPDATE products SET price = 5.00 WHERE product_id = $1', [product]);
    const prices = [await unitPrice(first), await unitPrice(second)];
    if (!same(prices[0], '19.99') || !same(prices[1], '24.50'))
      failHaveWant('unit prices of both orders after a price cut to 5.00', prices, ['19.99', '24.50']);
  });
});
