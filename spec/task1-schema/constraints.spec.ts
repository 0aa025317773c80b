/**
 * Task 1 — integrity the schema enforces by itself: CHECK constraints on prices, quantities and
 * stock, unique SKUs and emails, and foreign keys whose ON DELETE keeps order history intact.
 * Behavioural (pgTAP throws_ok): any constraint, domain or trigger that refuses the row passes.
 */
import { beforeAll, describe, it } from 'vitest';
import { insertOrder, insertProducts, insertUsers, sampleProduct, sampleUser } from '../../helpers/data/contract-rows.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { expectSqlState } from '../../helpers/vitest/sqlstate.js';

const db = useSpecDatabase({ requires: ['users', 'products', 'inventory', 'orders', 'order_items'] });
const CHECK_VIOLATION = '23514';
/** foreign_key_violation (NO ACTION) or restrict_violation (RESTRICT): both refuse the delete. */
const DELETE_REFUSED = ['23503', '23001'];
let userId: string;
let productId: string;
let orderId: string;

beforeAll(async () => {
  [userId] = (await insertUsers(db.pool, [sampleUser()])) as [string];
  [productId] = (await insertProducts(db.pool, [sampleProduct({ price: '25.00' })], 5)) as [string];
  orderId = await insertOrder(db.pool, userId, '2026-03-01T12:00:00Z', [
    { product_id: productId, quantity: 1, unit_price: '25.00' },
  ]);
});

// clause: general.extra-columns
describe('Task 1 · constraints', { tags: ['task1', 'deliverable-schema'] }, () => {
  // clause: t1.checks
  it('products.price cannot be negative', () =>
    expectSqlState(
      'INSERT INTO products (…, price) VALUES (…, -0.01)',
      () => insertProducts(db.pool, [sampleProduct({ price: '-0.01' })]),
      CHECK_VIOLATION,
      'add CHECK (price >= 0) to products.price',
    ));

  // clause: t1.checks
  it('inventory.quantity cannot go below zero', () =>
    expectSqlState(
      'UPDATE inventory SET quantity = -1',
      () => db.query('UPDATE inventory SET quantity = -1 WHERE product_id = $1', [productId]),
      CHECK_VIOLATION,
      'add CHECK (quantity >= 0) to inventory.quantity',
    ));

  // clause: t1.checks
  it.each([0, -3])('order_items.quantity must be positive (tried %i)', (quantity) =>
    expectSqlState(
      `INSERT INTO order_items (…, quantity) VALUES (…, ${quantity})`,
      () =>
        db.query('INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES ($1, $2, $3, 1)', [
          orderId,
          productId,
          quantity,
        ]),
      CHECK_VIOLATION,
      'add CHECK (quantity > 0) to order_items.quantity',
    ),
  );

  // clause: t1.checks
  it('order_items.unit_price cannot be negative', () =>
    expectSqlState(
      'INSERT INTO order_items (…, unit_price) VALUES (…, -1)',
      async () => {
        const [other] = await insertProducts(db.pool, [sampleProduct()]);
        await db.query('INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES ($1, $2, 1, -1)', [
          orderId,
          other,
        ]);
      },
      CHECK_VIOLATION,
      'add CHECK (unit_price >= 0) to order_items.unit_price',
    ));

  // clause: t1.unique
  it('two products cannot share a SKU', () =>
    expectSqlState(
      'INSERT two products with SKU "DUP-1"',
      () => insertProducts(db.pool, [sampleProduct({ sku: 'DUP-1' }), sampleProduct({ sku: 'DUP-1' })]),
      '23505',
      'add UNIQUE (sku) to products',
    ));

  // clause: t1.unique
  it('two accounts cannot share an email', () =>
    expectSqlState(
      'INSERT two users with one email',
      () => insertUsers(db.pool, [sampleUser({ email: 'same@example.test' }), sampleUser({ email: 'same@example.test' })]),
      '23505',
      'add UNIQUE (email) to users',
    ));

  // clause: t1.columns
  it('an order cannot name a user that does not exist', () =>
    expectSqlState(
      'INSERT INTO orders (user_id) VALUES (<unknown uuid>)',
      () => db.query(`INSERT INTO orders (user_id, order_date) VALUES ('00000000-0000-7000-8000-000000000000', now())`),
      '23503',
      'orders.user_id REFERENCES users (user_id)',
    ));

  // clause: t1.columns
  it('an order item cannot name a product that does not exist', () =>
    expectSqlState(
      'INSERT INTO order_items (product_id) VALUES (<unknown uuid>)',
      () =>
        db.query(
          `INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES ($1, '00000000-0000-7000-8000-000000000000', 1, 1)`,
          [orderId],
        ),
      '23503',
      'order_items.product_id REFERENCES products (product_id)',
    ));

  // clause: t1.restrict-delete
  it('a customer with orders cannot be deleted (order history is a financial record)', () =>
    expectSqlState(
      'DELETE FROM users WHERE user_id = <a buyer>',
      () => db.query('DELETE FROM users WHERE user_id = $1', [userId]),
      DELETE_REFUSED,
      'orders.user_id REFERENCES users ON DELETE RESTRICT (not CASCADE: deleting a customer must not erase revenue)',
    ));

  // clause: t1.restrict-delete
  it('a product that was sold cannot be deleted (its order lines would lose their product)', () =>
    expectSqlState(
      'DELETE FROM products WHERE product_id = <a sold product>',
      () => db.query('DELETE FROM products WHERE product_id = $1', [productId]),
      DELETE_REFUSED,
      'order_items.product_id REFERENCES products ON DELETE RESTRICT',
    ));
});
