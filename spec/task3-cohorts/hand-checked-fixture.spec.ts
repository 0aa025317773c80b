/**
 * Tasks 3 and 7 on a history small enough to check by hand (fixtures/growth/hand-checked.ts):
 * first_touch, running_ltv, cohort_ltv at three report moments and three stretches of the
 * revenue curve, compared with tables written out in the fixture. The TypeScript oracles the
 * property specs rely on are held to the same tables. Run under UTC and under a +14:00 session.
 */
import type pg from 'pg';
import { beforeAll, describe, it } from 'vitest';
import {
  EXPECTED_COHORTS,
  EXPECTED_CURVES,
  EXPECTED_FIRST_TOUCH,
  EXPECTED_RUNNING_LTV,
  type ExpectedCohort,
  ORDERS,
  USERS,
} from '../../fixtures/growth/hand-checked.js';
import { readCohortLtv, readCurve, readFirstTouch, readRunningLtv, setLocalTimeZone } from '../../helpers/db/growth-queries.js';
import { createLineProducts, inRolledBackTransaction, insertHistory } from '../../helpers/db/order-history-rows.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { instant, isoOf } from '../../helpers/oracles/calendar.js';
import { cohortLtv, firstTouch, runningLtv } from '../../helpers/oracles/cohorts.js';
import { canonicalDecimal, canonicalOrNull, formatCents } from '../../helpers/oracles/decimal.js';
import { dailyRevenueCurve } from '../../helpers/oracles/moving-average.js';
import { type OrderHistory, oracleOrders } from '../../helpers/oracles/order-history.js';
import { expectSameRows } from '../../helpers/vitest/compare-rows.js';

const db = useSpecDatabase({
  requires: ['users', 'products', 'orders', 'order_items', 'first_touch', 'running_ltv', 'cohort_ltv()', 'daily_revenue_curve()'],
});
const ZONES = ['UTC', 'Pacific/Kiritimati'];
let client: pg.Client;
let lineProducts: string[];

const history: OrderHistory = {
  users: Object.values(USERS).map((u) => ({ userId: u.userId, registeredAt: instant(u.registeredAt) })),
  orders: ORDERS.map((o) => ({
    orderId: o.orderId,
    userId: USERS[o.user as keyof typeof USERS].userId,
    at: instant(o.at),
    lines: o.lines,
  })),
};
const orders = oracleOrders(history);
const FIXTURE = 'fixtures/growth/hand-checked.ts';

beforeAll(async () => {
  client = await db.connect();
  lineProducts = await createLineProducts(client, 'fixture');
});

/** Runs `check` with the fixture loaded, once per session time zone, rolled back each time. */
async function withFixture(check: (zone: string) => Promise<void>): Promise<void> {
  for (const zone of ZONES) {
    await inRolledBackTransaction(client, async () => {
      await setLocalTimeZone(client, zone);
      await insertHistory(client, history, lineProducts);
      await check(zone);
    });
  }
}

const ftLine = (orderId: string, first: bigint) => `${orderId}: first_order_date ${isoOf(first)}`;
const ltvLine = (orderId: string, revenue: string, cumulative: string) =>
  `${orderId}: order_revenue ${canonicalDecimal(revenue)}, cumulative_revenue ${canonicalDecimal(cumulative)}`;
const cohortLine = (c: ExpectedCohort) =>
  `cohort ${c.cohortMonth}: size ${c.cohortSize}, 3m ${canonicalOrNull(c.avg3m) ?? 'NULL'}, 6m ${canonicalOrNull(c.avg6m) ?? 'NULL'}, 12m ${canonicalOrNull(c.avg12m) ?? 'NULL'}`;
const curveLine = (r: { day: string; revenue: string; movingAvg7d: string | null }) =>
  `${r.day}: revenue ${r.revenue === 'NULL' ? 'NULL' : canonicalDecimal(r.revenue)}, moving_avg_7d ${canonicalOrNull(r.movingAvg7d) ?? 'NULL'}`;

describe('Tasks 3 and 7 · the hand-checked growth fixture', { tags: ['task3', 'task7', 'deliverable-growth-report'] }, () => {
  it('the TypeScript oracles reproduce the hand-checked tables (guards the property specs)', () => {
    expectSameRows(
      'oracle first touch',
      firstTouch(orders)
        .map((r) => ftLine(r.orderId, r.firstAt))
        .sort(),
      EXPECTED_FIRST_TOUCH.map((r) => ftLine(r.orderId, instant(r.firstOrderDate))).sort(),
      `fix helpers/oracles/cohorts.ts or ${FIXTURE}`,
    );
    expectSameRows(
      'oracle running LTV',
      runningLtv(orders)
        .map((r) => ltvLine(r.orderId, formatCents(r.revenueCents), formatCents(r.cumulativeCents)))
        .sort(),
      EXPECTED_RUNNING_LTV.map((r) => ltvLine(r.orderId, r.orderRevenue, r.cumulativeRevenue)).sort(),
      `fix helpers/oracles/cohorts.ts or ${FIXTURE}`,
    );
    for (const { asOf, rows } of EXPECTED_COHORTS) {
      const have = cohortLtv(orders, instant(asOf)).map((c) =>
        cohortLine({
          cohortMonth: c.cohortMonth,
          cohortSize: c.cohortSize,
          avg3m: c.avgRevenue[3],
          avg6m: c.avgRevenue[6],
          avg12m: c.avgRevenue[12],
        }),
      );
      expectSameRows(`oracle cohorts as of ${asOf}`, have, rows.map(cohortLine), `fix helpers/oracles/cohorts.ts or ${FIXTURE}`);
    }
    for (const { fromDay, toDay, rows } of EXPECTED_CURVES) {
      expectSameRows(
        `oracle curve ${fromDay}..${toDay}`,
        dailyRevenueCurve(orders, fromDay, toDay).map(curveLine),
        rows.map(curveLine),
        `fix helpers/oracles/moving-average.ts or ${FIXTURE}`,
      );
    }
  });

  // clause: t3.first-touch t3.running-ltv t3.first-purchase t3.order-of-orders
  it('first_touch and running_ltv equal the hand-checked tables', () =>
    withFixture(async (zone) => {
      expectSameRows(
        `first_touch (TimeZone ${zone})`,
        (await readFirstTouch(client)).map((r) => ftLine(r.orderId, r.firstAt)).sort(),
        EXPECTED_FIRST_TOUCH.map((r) => ftLine(r.orderId, instant(r.firstOrderDate))).sort(),
        `see ${FIXTURE}: first_order_date = MIN(order_date) OVER (PARTITION BY user_id)`,
      );
      expectSameRows(
        `running_ltv (TimeZone ${zone})`,
        (await readRunningLtv(client)).map((r) => ltvLine(r.orderId, r.revenue, r.cumulative)).sort(),
        EXPECTED_RUNNING_LTV.map((r) => ltvLine(r.orderId, r.orderRevenue, r.cumulativeRevenue)).sort(),
        `see ${FIXTURE}: SUM(order_revenue) OVER (PARTITION BY user_id ORDER BY order_date, order_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`,
      );
    }));

  for (const { asOf, why, rows } of EXPECTED_COHORTS) {
    // clause: t3.cohort-ltv t3.cohort t3.horizon t3.as-of t3.utc
    it(`cohort_ltv('${asOf}') — ${why}`, () =>
      withFixture(async (zone) => {
        const have = (await readCohortLtv(client, asOf)).map((r) =>
          cohortLine({ cohortMonth: r.cohortMonth, cohortSize: r.cohortSize, avg3m: r.avg3m, avg6m: r.avg6m, avg12m: r.avg12m }),
        );
        expectSameRows(
          `cohort_ltv('${asOf}') (TimeZone ${zone})`,
          have,
          rows.map(cohortLine),
          `see the worked figures in ${FIXTURE} (EXPECTED_COHORTS)`,
        );
      }));
  }

  for (const { fromDay, toDay, why, rows } of EXPECTED_CURVES) {
    // clause: t7.daily-revenue-curve t7.moving-average t3.utc
    it(`daily_revenue_curve('${fromDay}', '${toDay}') — ${why}`, () =>
      withFixture(async (zone) => {
        expectSameRows(
          `daily_revenue_curve('${fromDay}', '${toDay}') (TimeZone ${zone})`,
          (await readCurve(client, fromDay, toDay)).map(curveLine),
          rows.map(curveLine),
          `see the worked figures in ${FIXTURE} (EXPECTED_CURVES)`,
        );
      }));
  }
});
