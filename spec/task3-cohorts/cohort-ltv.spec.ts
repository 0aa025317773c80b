/**
 * Task 3, Step 3 — cohort_ltv(as_of) against an independent TypeScript oracle
 * (helpers/oracles/cohorts.ts): cohort = UTC month of the first purchase; average revenue per
 * user within 3, 6 and 12 months of their own first purchase; NULL until the horizon has closed
 * for the whole cohort (as_of ≥ cohort month + N + 1 months), never a partial figure. Report
 * moments are drawn at, and a microsecond before, those closing instants.
 */
import fc from 'fast-check';
import type pg from 'pg';
import { beforeAll, describe, it } from 'vitest';
import { oracleCohortAsSqlRow, readCohortLtv, type SqlCohortRow, setLocalTimeZone } from '../../helpers/db/growth-queries.js';
import { createLineProducts, inRolledBackTransaction, insertHistory } from '../../helpers/db/order-history-rows.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { isoOf } from '../../helpers/oracles/calendar.js';
import { cohortLtv } from '../../helpers/oracles/cohorts.js';
import { describeHistory, oracleOrders } from '../../helpers/oracles/order-history.js';
import { orderHistory, reportMoment, sessionTimeZone } from '../../helpers/oracles/order-history-arbitrary.js';
import { expectSameRows } from '../../helpers/vitest/compare-rows.js';
import { propertyOptions } from '../../helpers/vitest/property.js';

const db = useSpecDatabase({ requires: ['users', 'products', 'orders', 'order_items', 'cohort_ltv()'] });
const RUNS = 150;
let client: pg.Client;
let lineProducts: string[];

beforeAll(async () => {
  client = await db.connect();
  lineProducts = await createLineProducts(client, 'cohorts');
});

const render = (r: SqlCohortRow) =>
  `cohort ${r.cohortMonth}: size ${r.cohortSize}, avg_revenue_3m ${r.avg3m ?? 'NULL'}, avg_revenue_6m ${r.avg6m ?? 'NULL'}, avg_revenue_12m ${r.avg12m ?? 'NULL'}`;

describe('Task 3 · Step 3 monthly cohorts', { tags: ['task3', 'deliverable-growth-report'] }, () => {
  // clause: t3.cohort-ltv t3.cohort t3.horizon t3.as-of t3.rounding t3.utc t3.first-purchase t3.revenue
  it(`cohort_ltv(as_of) equals the oracle: sizes, 3/6/12-month averages, NULL for open horizons (${RUNS} random histories)`, async () => {
    await fc.assert(
      fc.asyncProperty(orderHistory, reportMoment, sessionTimeZone, async (history, asOf, zone) =>
        inRolledBackTransaction(client, async () => {
          await setLocalTimeZone(client, zone);
          await insertHistory(client, history, lineProducts);
          const have = (await readCohortLtv(client, isoOf(asOf))).map(render);
          const want = cohortLtv(oracleOrders(history), asOf).map(oracleCohortAsSqlRow).map(render);
          expectSameRows(
            `cohort_ltv('${isoOf(asOf)}') (session TimeZone ${zone})`,
            have,
            want,
            [
              "cohort_month = UTC month of the first purchase (date_trunc('month', first_order_date AT TIME ZONE 'UTC')), only users whose first purchase is before as_of;",
              'avg_revenue_Nm = round(avg over the cohort of the revenue of orders with order_date < first_order_date + N months (UTC), 2);',
              'NULL unless as_of >= cohort_month + (N + 1) months (UTC midnight)',
            ].join('\n       '),
            describeHistory(history),
          );
        }),
      ),
      propertyOptions({ numRuns: RUNS }),
    );
  });
});
