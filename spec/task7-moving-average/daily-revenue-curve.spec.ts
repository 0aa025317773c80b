/**
 * Task 7 — daily_revenue_curve(from_day, to_day) against an independent TypeScript oracle
 * (helpers/oracles/moving-average.ts): one row per UTC calendar day, 0 on days without sales,
 * moving_avg_7d = (that day + the six before) / 7 rounded to cents — the first six rows too,
 * whose window reaches back before from_day. Histories have gaps of weeks and same-day bursts;
 * orders sit at midnight UTC and on the last microsecond of a day; session time zones vary.
 */
import fc from 'fast-check';
import type pg from 'pg';
import { beforeAll, describe, it } from 'vitest';
import { readCurve, type SqlCurveRow, setLocalTimeZone } from '../../helpers/db/growth-queries.js';
import { createLineProducts, inRolledBackTransaction, insertHistory } from '../../helpers/db/order-history-rows.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { canonicalDecimal } from '../../helpers/oracles/decimal.js';
import { dailyRevenueCurve } from '../../helpers/oracles/moving-average.js';
import { describeHistory, oracleOrders } from '../../helpers/oracles/order-history.js';
import { curveRange, orderHistory, sessionTimeZone } from '../../helpers/oracles/order-history-arbitrary.js';
import { expectSameRows } from '../../helpers/vitest/compare-rows.js';
import { propertyOptions } from '../../helpers/vitest/property.js';

const db = useSpecDatabase({ requires: ['users', 'products', 'orders', 'order_items', 'daily_revenue_curve()'] });
const RUNS = 150;
let client: pg.Client;
let lineProducts: string[];

beforeAll(async () => {
  client = await db.connect();
  lineProducts = await createLineProducts(client, 'curve');
});

const render = (r: SqlCurveRow) => `${r.day}: revenue ${r.revenue}, moving_avg_7d ${r.movingAvg7d ?? 'NULL'}`;

describe('Task 7 · the 7-day revenue curve', { tags: ['task7', 'deliverable-growth-report'] }, () => {
  // clause: t7.daily-revenue-curve t7.moving-average t3.utc
  it(`daily_revenue_curve equals the oracle day by day, zero-revenue days included (${RUNS} random histories)`, async () => {
    const scenario = orderHistory.chain((history) =>
      fc.record({ history: fc.constant(history), range: curveRange(history), zone: sessionTimeZone }),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ history, range, zone }) =>
        inRolledBackTransaction(client, async () => {
          await setLocalTimeZone(client, zone);
          await insertHistory(client, history, lineProducts);
          const have = (await readCurve(client, range.fromDay, range.toDay)).map(render);
          const want = dailyRevenueCurve(oracleOrders(history), range.fromDay, range.toDay).map((r) =>
            render({ day: r.day, revenue: canonicalDecimal(r.revenue), movingAvg7d: canonicalDecimal(r.movingAvg7d) }),
          );
          expectSameRows(
            `daily_revenue_curve('${range.fromDay}', '${range.toDay}') (session TimeZone ${zone})`,
            have,
            want,
            [
              'one row per UTC day from from_day to to_day (a generate_series calendar), revenue 0 on days without sales;',
              'moving_avg_7d = round(avg(revenue) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW), 2) over a calendar that starts 6 days before from_day;',
              "a day is order_date AT TIME ZONE 'UTC', never the session's zone",
            ].join('\n       '),
            describeHistory(history),
          );
        }),
      ),
      propertyOptions({ numRuns: RUNS }),
    );
  });
});
