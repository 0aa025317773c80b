/**
 * Concurrency Safety, property-based: random stock (often scarce), random carts, random
 * concurrency on separate sessions (fast-check). Whatever the interleaving, the outcome must be
 * explainable by some serial order of the successful checkouts:
 *  - no stock goes negative, and initial stock = remaining stock + units sold, per product;
 *  - every successful call's order holds exactly its cart, at the catalog price;
 *  - every refused call was refused with the insufficient-stock SQLSTATE and really was short:
 *    stock only goes down here, so some line of it still exceeds the final stock;
 *  - the audit log holds one UPDATE row per line sold, and per product its rows chain from the
 *    initial stock down to the final stock (each before_state is the previous after_state).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { canonicalDecimal } from '../../helpers/oracles/decimal.js';
import { fireAtOnce, tally } from '../../helpers/race/fire-at-once.js';
import { failHaveWant } from '../../helpers/vitest/have-want.js';
import { propertyOptions } from '../../helpers/vitest/property.js';
import { inventoryAudit, processOrder, SQLSTATE, seedStockedProducts, stockOf, useCheckoutRace } from './support/checkout.js';

const MAX_SESSIONS = 16;
const MAX_BUYERS = 24;
const RUNS = 40;
const PRICE = '12.34';
const { db, buyers, sessions } = useCheckoutRace(MAX_BUYERS, MAX_SESSIONS);

const scenario = fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 4 }).chain((stocks) =>
  fc.record({
    stocks: fc.constant(stocks),
    carts: fc.array(
      fc.uniqueArray(
        fc.record({ product: fc.integer({ min: 0, max: stocks.length - 1 }), quantity: fc.integer({ min: 1, max: 4 }) }),
        {
          selector: (line) => line.product,
          minLength: 1,
          maxLength: Math.min(3, stocks.length),
        },
      ),
      { minLength: 4, maxLength: MAX_BUYERS },
    ),
    concurrency: fc.integer({ min: 2, max: MAX_SESSIONS }),
  }),
);

describe('Concurrency safety · scarce stock under random concurrency', { tags: ['task4', 'concurrency-safety'] }, () => {
  // clause: t4.lock-under-lock t4.stock-decrement
  it(`stock is conserved and every outcome is explained (${RUNS} random races)`, async () => {
    const figures: string[] = [];
    await fc.assert(
      fc.asyncProperty(scenario, async ({ stocks, carts, concurrency }) => {
        const products = await seedStockedProducts(
          db.pool,
          stocks.map((stock) => ({ stock, price: PRICE })),
        );
        const cartsById = carts.map((cart) => cart.map((l) => ({ product_id: products[l.product]!, quantity: l.quantity })));
        const outcomes = await fireAtOnce(
          sessions.slice(0, concurrency),
          cartsById.map((cart, i) => (client) => processOrder(client, buyers[i]!, cart)),
          { transaction: true },
        );
        figures.push(`${carts.length} carts/${concurrency} sessions ${JSON.stringify(tally(outcomes))}`);
        const where = `stocks ${JSON.stringify(stocks)}, ${carts.length} carts on ${concurrency} sessions`;

        const refused = outcomes.find((o) => !o.ok && o.code !== SQLSTATE.insufficientStock);
        if (refused && !refused.ok)
          failHaveWant(
            `${where}: a refused checkout`,
            `SQLSTATE ${refused.code}: ${refused.message}`,
            `SQLSTATE ${SQLSTATE.insufficientStock}`,
            'a short cart fails with the documented insufficient-stock error, nothing else',
          );

        const remaining = await stockOf(db.pool, products);
        const { rows: items } = await db.query<{ order_id: string; product_id: string; quantity: number; unit_price: string }>(
          'SELECT order_id, product_id, quantity, unit_price FROM order_items WHERE product_id = ANY ($1::uuid[])',
          [products],
        );
        products.forEach((id, i) => {
          const left = remaining.get(id) ?? NaN;
          const sold = items.filter((it) => it.product_id === id).reduce((s, it) => s + it.quantity, 0);
          if (!(left >= 0) || stocks[i] !== left + sold) {
            failHaveWant(
              `${where}: product ${i} (initial ${stocks[i]})`,
              `remaining ${left} + sold ${sold} = ${left + sold}`,
              `remaining ≥ 0 and remaining + sold = ${stocks[i]}`,
              'two checkouts decremented from the same stale stock (lost update): lock the row FOR UPDATE before reading it',
            );
          }
        });

        const successIds = new Set<string>();
        outcomes.forEach((o, i) => {
          const cart = cartsById[i]!;
          if (o.ok) {
            successIds.add(o.value);
            const got = items
              .filter((it) => it.order_id === o.value)
              .map((it) => `${it.product_id}×${it.quantity}@${canonicalDecimal(it.unit_price)}`) // money by value
              .sort();
            const want = cart.map((l) => `${l.product_id}×${l.quantity}@${canonicalDecimal(PRICE)}`).sort();
            if (JSON.stringify(got) !== JSON.stringify(want))
              failHaveWant(
                `${where}: items of the order of cart ${i}`,
                got,
                want,
                'a successful order holds every cart line, at the catalog price',
              );
          } else {
            const short = cart.some((l) => l.quantity > (remaining.get(l.product_id) ?? 0));
            if (!short)
              failHaveWant(
                `${where}: cart ${i} was refused`,
                `every line is still in stock at the end: ${JSON.stringify(cart.map((l) => [l.quantity, remaining.get(l.product_id)]))}`,
                'a refusal only when some line exceeds the stock',
                'refuse only what the stock cannot cover',
              );
          }
        });
        const stray = items.filter((it) => !successIds.has(it.order_id));
        if (stray.length > 0)
          failHaveWant(`${where}: order lines of calls that failed`, stray.length, 0, 'a failed checkout leaves no order behind');

        const audit = await inventoryAudit(db.pool, products);
        const linesSold = items.length;
        if (audit.length !== linesSold)
          failHaveWant(
            `${where}: inventory UPDATE rows in audit_logs`,
            audit.length,
            `${linesSold} (one per order line sold)`,
            'audit every changed inventory row, and only on success',
          );
        products.forEach((id, i) => {
          const rows = audit
            .filter((a) => a.product_id === id)
            .sort((p, q) => (q.before_quantity ?? -1) - (p.before_quantity ?? -1));
          let expected = stocks[i]!;
          for (const row of rows) {
            if (row.before_quantity !== expected) {
              failHaveWant(
                `${where}: audit chain of product ${i}`,
                rows.map((r) => `${r.before_quantity}→${r.after_quantity}`),
                `a chain starting at ${stocks[i]} where each before_state is the previous after_state`,
                'before_state = to_jsonb(OLD), after_state = to_jsonb(NEW), one row per decrement',
              );
            }
            expected = row.after_quantity ?? NaN;
          }
          if (expected !== remaining.get(id))
            failHaveWant(`${where}: last audited stock of product ${i}`, expected, remaining.get(id));
        });
      }),
      propertyOptions({ numRuns: RUNS }),
    );
    console.log(`[task4] scarce stock: ${RUNS} races: ${figures.join('; ')}`);
  });
});
