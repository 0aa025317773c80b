/**
 * Task 6 — refresh after refresh stays exact. A solution may keep derived rollups and refresh only
 * what changed (the reference does: CONTRACT.md, Task 6); whatever it keeps, after any sequence of
 * new orders, deleted orders and lines, orders moved to another day or buyer, and changed
 * quantities, each refresh_dashboard() must give the figures a refresh from scratch would:
 * daily_sales_stats equal to the oracle, cohort_ltv_summary equal to cohort_ltv(now()) of the
 * same transaction.
 */
import fc from 'fast-check';
import type pg from 'pg';
import { describe, it } from 'vitest';
import { insertOrder, insertProducts, insertUsers, sampleProduct, sampleUser } from '../helpers/data/contract-rows.js';
import { useSpecDatabase } from '../helpers/db/spec-database.js';
import { failHaveWant } from '../helpers/vitest/have-want.js';
import { propertyOptions } from '../helpers/vitest/property.js';
import { compareDailyRows, DAY_MS, oracleRows, refreshFarFromUtc, viewRows } from '../spec/task6-dashboard/daily-sales-rows.js';

const db = useSpecDatabase({
  requires: ['users', 'products', 'orders', 'order_items', 'daily_sales_stats', 'cohort_ltv_summary', 'refresh_dashboard()'],
});

const PRICES = ['0.00', '5.00', '9.99', '10.00', '12.50'] as const;
const when = fc.record({
  daysAgo: fc.oneof(fc.integer({ min: 0, max: 420 }), fc.constantFrom(-1, 0, 1, 30, 31, 59, 60, 61)),
  msOfDay: fc.oneof(fc.constantFrom(0, DAY_MS - 1), fc.integer({ min: 0, max: DAY_MS - 1 })),
});
const newOrder = fc.record({
  user: fc.nat(),
  when,
  lines: fc.uniqueArray(
    fc.record({ product: fc.nat(), quantity: fc.integer({ min: 1, max: 4 }), price: fc.constantFrom(...PRICES) }),
    { maxLength: 3, selector: (l) => l.product },
  ),
});
const step = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), order: newOrder }),
  fc.record({ kind: fc.constant('delete order' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('delete line' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('move order' as const), pick: fc.nat(), when }),
  fc.record({ kind: fc.constant('change buyer' as const), pick: fc.nat(), user: fc.nat() }),
  fc.record({ kind: fc.constant('change quantity' as const), pick: fc.nat(), quantity: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ kind: fc.constant('refresh' as const) }),
);
const scenario = fc.record({
  users: fc.integer({ min: 1, max: 4 }),
  products: fc.integer({ min: 1, max: 4 }),
  initial: fc.array(newOrder, { maxLength: 10 }),
  steps: fc.array(step, { minLength: 1, maxLength: 10 }),
});

const instant = (w: { daysAgo: number; msOfDay: number }) =>
  new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - w.daysAgo * DAY_MS + w.msOfDay).toISOString();

async function pickRow(client: pg.Pool, sql: string, pick: number): Promise<string | undefined> {
  const ids = (await client.query<{ id: string }>(sql)).rows.map((r) => r.id);
  return ids.length ? ids[pick % ids.length] : undefined;
}

const COHORTS = `SELECT cohort_month::text, cohort_size::text, avg_revenue_3m::text, avg_revenue_6m::text, avg_revenue_12m::text`;

/** Refresh, then compare both views with what a refresh from scratch gives at the same instant. */
async function refreshAndCompare(context: string): Promise<void> {
  let cohorts: { have: string; want: string } | undefined;
  const today = await refreshFarFromUtc(db, async (client) => {
    const have = await client.query(`${COHORTS} FROM cohort_ltv_summary ORDER BY cohort_month`);
    const want = await client.query(`${COHORTS} FROM cohort_ltv(now()) ORDER BY cohort_month`);
    cohorts = { have: JSON.stringify(have.rows), want: JSON.stringify(want.rows) };
  });
  compareDailyRows(await viewRows(db.pool), await oracleRows(db.pool, today), context);
  if (cohorts!.have !== cohorts!.want)
    failHaveWant(
      `${context}: cohort_ltv_summary`,
      cohorts!.have,
      cohorts!.want,
      'cohort_ltv_summary must equal cohort_ltv(now()) as of the refresh, however it is computed',
    );
}

// The reference's rollup-backed refresh: a solution need not keep rollups, so this is an engine check, not a criterion.
describe('Task 6 · refreshes after changes stay exact', () => {
  it('after inserts, deletes, moved orders, changed buyers and quantities, every refresh equals a refresh from scratch', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        await db.query('TRUNCATE order_items, orders, inventory, products, users');
        const users = await insertUsers(
          db.pool,
          Array.from({ length: s.users }, () => sampleUser()),
        );
        const products = await insertProducts(
          db.pool,
          Array.from({ length: s.products }, (_, i) => sampleProduct({ price: PRICES[i % PRICES.length]!, name: `Probe ${i}` })),
        );
        const place = (o: (typeof s.initial)[number]) =>
          insertOrder(
            db.pool,
            users[o.user % users.length]!,
            instant(o.when),
            [...new Map(o.lines.map((l) => [l.product % products.length, l])).values()].map((l) => ({
              product_id: products[l.product % products.length]!,
              quantity: l.quantity,
              unit_price: l.price,
            })),
          );
        for (const o of s.initial) await place(o);
        await refreshAndCompare('first refresh');
        for (const [i, st] of s.steps.entries()) {
          const order = (pick: number) => pickRow(db.pool, 'SELECT order_id::text AS id FROM orders ORDER BY order_id', pick);
          const line = (pick: number) =>
            // a line is (order_id, product_id): the contract leaves the key column of order_items unnamed
            pickRow(
              db.pool,
              `SELECT order_id::text || ' ' || product_id::text AS id FROM order_items ORDER BY order_id, product_id`,
              pick,
            ).then((id) => id?.split(' ') ?? [null, null]);
          if (st.kind === 'insert') await place(st.order);
          else if (st.kind === 'delete order') await db.query('DELETE FROM orders WHERE order_id = $1', [await order(st.pick)]);
          else if (st.kind === 'delete line')
            await db.query('DELETE FROM order_items WHERE order_id = $1 AND product_id = $2', await line(st.pick));
          else if (st.kind === 'move order')
            await db.query('UPDATE orders SET order_date = $2 WHERE order_id = $1', [await order(st.pick), instant(st.when)]);
          else if (st.kind === 'change buyer')
            await db.query('UPDATE orders SET user_id = $2 WHERE order_id = $1', [
              await order(st.pick),
              users[st.user % users.length],
            ]);
          else if (st.kind === 'change quantity')
            await db.query('UPDATE order_items SET quantity = $3 WHERE order_id = $1 AND product_id = $2', [
              ...(await line(st.pick)),
              st.quantity,
            ]);
          else await refreshAndCompare(`refresh after step ${i + 1}`);
        }
        await refreshAndCompare('last refresh');
      }),
      propertyOptions({
        numRuns: 10,
        // Always tried: a buyer's order day is gone, refreshed, then the buyer orders again (a
        // rollup that kept the gone day counted it twice; ten random runs found it only sometimes).
        examples: [
          [
            {
              users: 1,
              products: 1,
              initial: [{ user: 0, when: { daysAgo: 31, msOfDay: 0 }, lines: [] }],
              steps: [
                { kind: 'delete order', pick: 0 },
                { kind: 'refresh' },
                { kind: 'insert', order: { user: 0, when: { daysAgo: 60, msOfDay: 0 }, lines: [] } },
              ],
            },
          ],
        ],
      }),
    );
  });

  it('a buyer whose first order lies after the refresh is in no cohort yet, and joins one once it is placed', async () => {
    await db.query('TRUNCATE order_items, orders, inventory, products, users');
    const [early, late] = await insertUsers(db.pool, [sampleUser(), sampleUser()]);
    const [product] = await insertProducts(db.pool, [sampleProduct({ price: '10.00', name: 'Probe' })]);
    const line = [{ product_id: product!, quantity: 1, unit_price: '10.00' }];
    await insertOrder(db.pool, early!, instant({ daysAgo: 40, msOfDay: 0 }), line);
    await insertOrder(db.pool, late!, instant({ daysAgo: -1, msOfDay: 0 }), line); // tomorrow
    await refreshAndCompare('a first order tomorrow');
    await db.query('UPDATE orders SET order_date = $2 WHERE user_id = $1', [late, instant({ daysAgo: 3, msOfDay: 0 })]);
    await refreshAndCompare('the same order moved three days back');
  });
});
