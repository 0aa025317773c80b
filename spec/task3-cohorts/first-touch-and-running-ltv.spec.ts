/**
 * Task 3, Steps 1 and 2 — the views first_touch and running_ltv against independent TypeScript
 * oracles (helpers/oracles/cohorts.ts) on fast-check order histories: ties at one instant,
 * anniversaries to the microsecond, midnight UTC, gaps of weeks, one-order users. Every run
 * inserts its history in a transaction that is rolled back, under a random session TimeZone.
 */
import fc from 'fast-check';
import type pg from 'pg';
import { beforeAll, describe, it } from 'vitest';
import { readFirstTouch, readRunningLtv, setLocalTimeZone } from '../../helpers/db/growth-queries.js';
import { createLineProducts, inRolledBackTransaction, insertHistory } from '../../helpers/db/order-history-rows.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { isoOf } from '../../helpers/oracles/calendar.js';
import { firstTouch, runningLtv } from '../../helpers/oracles/cohorts.js';
import { canonicalDecimal, formatCents } from '../../helpers/oracles/decimal.js';
import { describeHistory, oracleOrders } from '../../helpers/oracles/order-history.js';
import { orderHistory, sessionTimeZone } from '../../helpers/oracles/order-history-arbitrary.js';
import { expectSameRows } from '../../helpers/vitest/compare-rows.js';
import { propertyOptions } from '../../helpers/vitest/property.js';

const db = useSpecDatabase({ requires: ['users', 'products', 'orders', 'order_items', 'first_touch', 'running_ltv'] });
const RUNS = 100;
let client: pg.Client;
let lineProducts: string[];

beforeAll(async () => {
  client = await db.connect();
  lineProducts = await createLineProducts(client, 'steps');
});

describe('Task 3 · Step 1 first touch and Step 2 running LTV', { tags: ['task3', 'deliverable-growth-report'] }, () => {
  // clause: t3.first-touch t3.first-purchase
  it(`first_touch gives every order its user's first purchase date (${RUNS} random histories)`, async () => {
    await fc.assert(
      fc.asyncProperty(orderHistory, sessionTimeZone, async (history, zone) =>
        inRolledBackTransaction(client, async () => {
          await setLocalTimeZone(client, zone);
          await insertHistory(client, history, lineProducts);
          const render = (r: { userId: string; orderId: string; at: bigint; firstAt: bigint }) =>
            `order ${r.orderId} of ${r.userId} at ${isoOf(r.at)}: first_order_date ${isoOf(r.firstAt)}`;
          const have = (await readFirstTouch(client)).map(render).sort();
          const want = firstTouch(oracleOrders(history)).map(render).sort();
          expectSameRows(
            `first_touch (session TimeZone ${zone})`,
            have,
            want,
            'one row per order; first_order_date = MIN(order_date) OVER (PARTITION BY user_id)',
            describeHistory(history),
          );
        }),
      ),
      propertyOptions({ numRuns: RUNS }),
    );
  });

  // clause: t3.running-ltv t3.order-of-orders t3.revenue
  it(`running_ltv accumulates each user's revenue in (order_date, order_id) order (${RUNS} random histories)`, async () => {
    await fc.assert(
      fc.asyncProperty(orderHistory, sessionTimeZone, async (history, zone) =>
        inRolledBackTransaction(client, async () => {
          await setLocalTimeZone(client, zone);
          await insertHistory(client, history, lineProducts);
          const line = (userId: string, orderId: string, at: bigint, revenue: string, cumulative: string) =>
            `${userId} ${isoOf(at)} order ${orderId}: order_revenue ${revenue}, cumulative_revenue ${cumulative}`;
          const have = (await readRunningLtv(client)).map((r) => line(r.userId, r.orderId, r.at, r.revenue, r.cumulative)).sort();
          const want = runningLtv(oracleOrders(history))
            .map((r) =>
              line(
                r.userId,
                r.orderId,
                r.at,
                canonicalDecimal(formatCents(r.revenueCents)),
                canonicalDecimal(formatCents(r.cumulativeCents)),
              ),
            )
            .sort();
          expectSameRows(
            `running_ltv (session TimeZone ${zone})`,
            have,
            want,
            'order_revenue = sum(quantity * unit_price) of the order; cumulative_revenue = SUM(order_revenue) OVER (PARTITION BY user_id ORDER BY order_date, order_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) — two orders at one instant are two steps, the lower order_id first',
            describeHistory(history),
          );
        }),
      ),
      propertyOptions({ numRuns: RUNS }),
    );
  });
});
