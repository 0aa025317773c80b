/**
 * Deliverable checkout, model-based: random sequences of checkouts (each buyer on a session of
 * its own), restocks and price changes run against the database and against an independent
 * TypeScript model of the shop (helpers/oracles/shop-model.ts). After every command the database
 * must equal the model: stock per product, catalog prices, every order with its lines and the
 * unit prices they were sold at, and one inventory audit row (with its before state) per stock change.
 */
import fc from 'fast-check';
import type pg from 'pg';
import { describe, it } from 'vitest';
import { type CheckoutLine, centsOf, formatCents, ShopModel } from '../../helpers/oracles/shop-model.js';
import { failHaveWant } from '../../helpers/vitest/have-want.js';
import { propertyOptions } from '../../helpers/vitest/property.js';
import { inventoryAudit, processOrder, SQLSTATE, seedStockedProducts, useCheckoutRace } from './support/checkout.js';

const PRODUCTS = 3;
const BUYERS = 3;
const RUNS = 25;
const { db, buyers: buyerIds, sessions } = useCheckoutRace(BUYERS);

interface RealShop {
  productIds: string[];
  /** Parallel to model.orders. */
  orderIds: string[];
}

async function expectSameState(model: ShopModel, real: RealShop, after: string): Promise<void> {
  const { rows: products } = await db.query<{ product_id: string; quantity: number; price: string }>(
    'SELECT p.product_id, i.quantity, p.price::text AS price FROM products AS p JOIN inventory AS i USING (product_id) WHERE p.product_id = ANY ($1::uuid[])',
    [real.productIds],
  );
  const have = real.productIds.map((id) => {
    const row = products.find((r) => r.product_id === id);
    return row ? { stock: row.quantity, price: formatCents(centsOf(row.price)) } : null;
  });
  const want = model.products.map((p) => ({ stock: p.stock, price: formatCents(p.priceCents) }));
  if (JSON.stringify(have) !== JSON.stringify(want)) failHaveWant(`after ${after}: stock and price per product`, have, want);

  const { rows: items } = await db.query<{
    order_id: string;
    user_id: string;
    product_id: string;
    quantity: number;
    unit_price: string;
  }>(
    `SELECT i.order_id, o.user_id, i.product_id, i.quantity, i.unit_price::text AS unit_price
       FROM order_items AS i JOIN orders AS o USING (order_id)
      WHERE i.product_id = ANY ($1::uuid[])`,
    [real.productIds],
  );
  const describeOrder = (buyer: string, lines: { product: number; quantity: number; cents: bigint }[]) =>
    `${buyer}: ${lines
      .map((l) => `p${l.product}×${l.quantity}@${formatCents(l.cents)}`)
      .sort()
      .join(' ')}`;
  const haveOrders = [...new Set(items.map((i) => i.order_id))]
    .map((id) => {
      const lines = items.filter((i) => i.order_id === id);
      return describeOrder(
        `buyer${buyerIds.indexOf(lines[0]!.user_id)}`,
        lines.map((l) => ({
          product: real.productIds.indexOf(l.product_id),
          quantity: l.quantity,
          cents: centsOf(l.unit_price),
        })),
      );
    })
    .sort();
  const wantOrders = model.orders
    .map((o) =>
      describeOrder(
        `buyer${o.buyer}`,
        o.lines.map((l) => ({ product: l.product, quantity: l.quantity, cents: l.unitPriceCents })),
      ),
    )
    .sort();
  if (JSON.stringify(haveOrders) !== JSON.stringify(wantOrders))
    failHaveWant(`after ${after}: orders and their lines (unit price snapshots)`, haveOrders, wantOrders);

  const audit = await inventoryAudit(db.pool, real.productIds);
  if (audit.length !== model.stockChanges)
    failHaveWant(
      `after ${after}: inventory UPDATE rows in audit_logs`,
      audit.length,
      model.stockChanges,
      'one audit row per changed inventory row',
    );
  const blind = audit.find((a) => a.before_quantity === null || a.after_quantity === null);
  if (blind)
    failHaveWant(
      `after ${after}: an inventory audit row`,
      { before_state: blind.before_state, after_state: blind.after_state },
      'both before_state and after_state as JSONB rows',
      'before_state = to_jsonb(OLD), after_state = to_jsonb(NEW)',
    );
}

class Checkout implements fc.AsyncCommand<ShopModel, RealShop> {
  constructor(
    readonly buyer: number,
    readonly lines: CheckoutLine[],
  ) {}
  check = () => true;
  async run(model: ShopModel, real: RealShop): Promise<void> {
    const cart = this.lines.map((l) => ({ product_id: real.productIds[l.product]!, quantity: l.quantity }));
    const verdict = model.checkout(this.buyer, this.lines);
    let orderId: string | undefined;
    let error: pg.DatabaseError | undefined;
    try {
      orderId = await processOrder(sessions[this.buyer]!.client, buyerIds[this.buyer]!, cart);
    } catch (e) {
      error = e as pg.DatabaseError;
    }
    if (verdict.ok) {
      if (!orderId) failHaveWant(`${this}: with every line in stock`, `SQLSTATE ${error?.code}: ${error?.message}`, 'an order');
      real.orderIds.push(orderId);
    } else if (error?.code !== SQLSTATE.insufficientStock) {
      failHaveWant(
        `${this}: products ${verdict.shortProducts.map((p) => `p${p}`).join(', ')} are short`,
        error ? `SQLSTATE ${error.code}: ${error.message}` : `an order (${orderId})`,
        `SQLSTATE ${SQLSTATE.insufficientStock}`,
      );
    }
    await expectSameState(model, real, String(this));
  }
  toString = () => `checkout(buyer${this.buyer}, ${this.lines.map((l) => `p${l.product}×${l.quantity}`).join(' ')})`;
}

/** A command outside checkout: one UPDATE of one product's row, the same change in the model. */
class ProductUpdate implements fc.AsyncCommand<ShopModel, RealShop> {
  constructor(
    readonly label: string,
    readonly product: number,
    readonly update: { sql: string; value: number | string },
    readonly applyToModel: (model: ShopModel) => void,
  ) {}
  check = () => true;
  async run(model: ShopModel, real: RealShop): Promise<void> {
    await db.query(this.update.sql, [real.productIds[this.product], this.update.value]);
    this.applyToModel(model);
    await expectSameState(model, real, String(this));
  }
  toString = () => this.label;
}

const restock = (product: number, units: number) =>
  new ProductUpdate(
    `restock(p${product} +${units})`,
    product,
    { sql: 'UPDATE inventory SET quantity = quantity + $2 WHERE product_id = $1', value: units },
    (model) => model.restock(product, units),
  );

const priceChange = (product: number, cents: number) =>
  new ProductUpdate(
    `price(p${product} = ${formatCents(BigInt(cents))})`,
    product,
    { sql: 'UPDATE products SET price = $2::numeric WHERE product_id = $1', value: formatCents(BigInt(cents)) },
    (model) => model.setPrice(product, BigInt(cents)),
  );

const product = fc.integer({ min: 0, max: PRODUCTS - 1 });
const commands = fc.commands(
  [
    fc
      .tuple(
        fc.integer({ min: 0, max: BUYERS - 1 }),
        fc.uniqueArray(fc.record({ product, quantity: fc.integer({ min: 1, max: 4 }) }), {
          selector: (l) => l.product,
          minLength: 1,
          maxLength: PRODUCTS,
        }),
      )
      .map(([b, lines]) => new Checkout(b, lines)),
    fc.tuple(product, fc.integer({ min: 1, max: 5 })).map(([p, u]) => restock(p, u)),
    fc.tuple(product, fc.integer({ min: 0, max: 20_000 })).map(([p, c]) => priceChange(p, c)),
  ],
  { maxCommands: 30, size: '+1' },
);
const initial = fc.array(fc.record({ stock: fc.integer({ min: 0, max: 6 }), cents: fc.integer({ min: 1, max: 20_000 }) }), {
  minLength: PRODUCTS,
  maxLength: PRODUCTS,
});

describe('Atomic checkout · model-based (checkout, restock, price change)', { tags: ['task4', 'deliverable-checkout'] }, () => {
  // clause: t4.all-or-nothing t4.price-snapshot t4.stock-decrement t4.audit-row t4.audit-operations
  it(`the database follows the shop model through random command sequences (${RUNS} runs)`, async () => {
    let commandsRun = 0;
    await fc.assert(
      fc.asyncProperty(initial, commands, async (start, cmds) => {
        const productIds = await seedStockedProducts(
          db.pool,
          start.map((p) => ({ stock: p.stock, price: formatCents(BigInt(p.cents)) })),
        );
        const setup = () => ({
          model: new ShopModel(start.map((p) => ({ stock: p.stock, priceCents: BigInt(p.cents) }))),
          real: { productIds, orderIds: [] } as RealShop,
        });
        await fc.asyncModelRun(setup, cmds);
        commandsRun += [...cmds].length;
      }),
      propertyOptions({ numRuns: RUNS }),
    );
    console.log(`[task4] model-based: ${RUNS} runs, ${commandsRun} commands`);
  });
});
