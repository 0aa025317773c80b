/**
 * Task 6 — daily_sales_stats holds the right numbers, exactly: compared row by row with an
 * oracle written from CONTRACT.md (Tasks 5 and 6) (helpers/oracles/dashboard.ts) on random small shops
 * (fast-check: midnight boundaries, ties, free items, orders without lines, orders today) and on
 * synthesized data. The refresh runs in a session whose TimeZone is not UTC: days are UTC days.
 * And the view is a cache: stale until refreshed.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { insertOrder, insertProducts, insertUsers, sampleProduct, sampleUser } from '../../helpers/data/contract-rows.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { failHaveWant } from '../../helpers/vitest/have-want.js';
import { propertyOptions } from '../../helpers/vitest/property.js';
import { compareDailyRows as compare, DAY_MS, oracleRows, refreshFarFromUtc, viewRows } from './daily-sales-rows.js';

const db = useSpecDatabase({
  requires: ['users', 'products', 'orders', 'order_items', 'daily_sales_stats', 'refresh_dashboard()'],
});

const shop = fc.record({
  users: fc.integer({ min: 1, max: 5 }),
  products: fc.array(fc.constantFrom('0.00', '5.00', '9.99', '10.00', '12.50'), { minLength: 1, maxLength: 5 }),
  orders: fc.array(
    fc.record({
      user: fc.nat(),
      daysAgo: fc.oneof(fc.integer({ min: 0, max: 75 }), fc.constantFrom(1, 30, 31, 59, 60)),
      msOfDay: fc.oneof(fc.constantFrom(0, 1, DAY_MS - 1), fc.integer({ min: 0, max: DAY_MS - 1 })),
      lines: fc.uniqueArray(
        fc.record({
          product: fc.nat(),
          quantity: fc.integer({ min: 1, max: 4 }),
          price: fc.constantFrom('0.00', '5.00', '9.99', '10.00', '12.50'),
        }),
        {
          maxLength: 4,
          selector: (l) => l.product,
        },
      ),
    }),
    { maxLength: 16 },
  ),
});

describe('Task 6 · daily_sales_stats matches the definitions exactly', {
  tags: ['task6', 'deliverable-materialized-view'],
}, () => {
  // clause: t6.calendar t6.snapshot-revenue t6.columns t6.top-products t6.revenue-7d t6.churn
  it('random shops (UTC midnights, ties, free items, orders without lines, orders placed today): equal to the oracle', async () => {
    await fc.assert(
      fc.asyncProperty(shop, async (s) => {
        // CASCADE: a solution may add tables that reference these (a price history, say)
        await db.query('TRUNCATE order_items, orders, inventory, products, users CASCADE');
        const userIds = await insertUsers(
          db.pool,
          Array.from({ length: s.users }, () => sampleUser()),
        );
        const productIds = await insertProducts(
          db.pool,
          s.products.map((price, i) => sampleProduct({ price, name: `Probe ${String.fromCharCode(65 + i)}` })),
        );
        const midnight = Math.floor(Date.now() / DAY_MS) * DAY_MS;
        for (const o of s.orders) {
          const lines = [...new Map(o.lines.map((l) => [l.product % productIds.length, l])).values()].map((l) => ({
            product_id: productIds[l.product % productIds.length]!,
            quantity: l.quantity,
            unit_price: l.price,
          }));
          await insertOrder(
            db.pool,
            userIds[o.user % userIds.length]!,
            new Date(midnight - o.daysAgo * DAY_MS + o.msOfDay).toISOString(),
            lines,
          );
        }
        const today = await refreshFarFromUtc(db);
        compare(await viewRows(db.pool), await oracleRows(db.pool, today), 'random shop');
      }),
      propertyOptions({ numRuns: 25 }),
    );
  });

  // clause: t6.calendar t6.columns t6.top-products t6.revenue-7d t6.churn
  it('synthesized data (3,000 orders over 120 days): equal to the oracle on every day', async () => {
    await db.query('CALL synthesize_commerce(3000, 0.11, NULL, 120, 300, true)');
    const today = await refreshFarFromUtc(db);
    const have = await viewRows(db.pool);
    expect(have.length).toBeGreaterThan(100);
    compare(have, await oracleRows(db.pool, today), 'synthesized data');
  });

  // clause: t6.refresh-concurrently
  it('is stale until refreshed: a new sale shows only after refresh_dashboard()', async () => {
    const today = await refreshFarFromUtc(db);
    const snapshot = await viewRows(db.pool);
    const [userId] = await insertUsers(db.pool, [sampleUser()]);
    const [productId] = await insertProducts(db.pool, [sampleProduct({ price: '99999.99', name: 'Stale Probe' })]);
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - DAY_MS / 2).toISOString();
    await insertOrder(db.pool, userId!, yesterday, [{ product_id: productId!, quantity: 1, unit_price: '99999.99' }]);
    const stale = await viewRows(db.pool);
    if (JSON.stringify(stale) !== JSON.stringify(snapshot)) {
      failHaveWant(
        'daily_sales_stats right after a new order, before any refresh',
        'changed',
        'unchanged (a materialized view is a cache)',
        'daily_sales_stats must be a MATERIALIZED view, refreshed by refresh_dashboard()',
      );
    }
    const refreshedOn = await refreshFarFromUtc(db);
    const fresh = await viewRows(db.pool);
    compare(fresh, await oracleRows(db.pool, refreshedOn), 'after refresh_dashboard()');
    expect(fresh.at(-1)!.top_products[0]!.name).toBe('Stale Probe');
  });
});
