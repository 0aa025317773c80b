/**
 * Reads the growth report's views and functions (names from CONTRACT.md) into the
 * oracles' shapes, exactly: instants as microseconds, days as text, money as canonical decimals.
 */

import type { Instant } from '../oracles/calendar.js';
import type { CohortRow } from '../oracles/cohorts.js';
import { canonicalDecimal, canonicalOrNull } from '../oracles/decimal.js';
import { epochMicrosSql } from './order-history-rows.js';
import type { Queryable } from './queryable.js';

export interface SqlFirstTouchRow {
  userId: string;
  orderId: string;
  at: Instant;
  firstAt: Instant;
}

export async function readFirstTouch(db: Queryable): Promise<SqlFirstTouchRow[]> {
  const { rows } = await db.query<{ user_id: string; order_id: string; at: string; first_at: string }>(
    `SELECT user_id::text, order_id::text, ${epochMicrosSql('order_date')} AS at, ${epochMicrosSql('first_order_date')} AS first_at FROM first_touch`,
  );
  return rows.map((r) => ({ userId: r.user_id, orderId: r.order_id, at: BigInt(r.at), firstAt: BigInt(r.first_at) }));
}

export interface SqlRunningLtvRow {
  userId: string;
  orderId: string;
  at: Instant;
  revenue: string;
  cumulative: string;
}

export async function readRunningLtv(db: Queryable): Promise<SqlRunningLtvRow[]> {
  const { rows } = await db.query<{
    user_id: string;
    order_id: string;
    at: string;
    order_revenue: string;
    cumulative_revenue: string;
  }>(
    `SELECT user_id::text, order_id::text, ${epochMicrosSql('order_date')} AS at, order_revenue::text, cumulative_revenue::text FROM running_ltv`,
  );
  return rows.map((r) => ({
    userId: r.user_id,
    orderId: r.order_id,
    at: BigInt(r.at),
    revenue: canonicalDecimal(r.order_revenue),
    cumulative: canonicalDecimal(r.cumulative_revenue),
  }));
}

export interface SqlCohortRow {
  cohortMonth: string;
  cohortSize: number;
  avg3m: string | null;
  avg6m: string | null;
  avg12m: string | null;
}

export const COHORT_COLUMNS_SQL = `to_char(cohort_month, 'YYYY-MM-DD') AS cohort_month, cohort_size::text AS cohort_size,
  avg_revenue_3m::text AS avg_revenue_3m, avg_revenue_6m::text AS avg_revenue_6m, avg_revenue_12m::text AS avg_revenue_12m`;

interface RawCohortRow {
  cohort_month: string;
  cohort_size: string;
  avg_revenue_3m: string | null;
  avg_revenue_6m: string | null;
  avg_revenue_12m: string | null;
}

export const toSqlCohortRow = (r: RawCohortRow): SqlCohortRow => ({
  cohortMonth: r.cohort_month,
  cohortSize: Number(r.cohort_size),
  avg3m: canonicalOrNull(r.avg_revenue_3m),
  avg6m: canonicalOrNull(r.avg_revenue_6m),
  avg12m: canonicalOrNull(r.avg_revenue_12m),
});

/** The oracle's cohort (helpers/oracles/cohorts.ts) in the shape read from SQL, so the two compare. */
export const oracleCohortAsSqlRow = (c: CohortRow): SqlCohortRow => ({
  cohortMonth: c.cohortMonth,
  cohortSize: c.cohortSize,
  avg3m: canonicalOrNull(c.avgRevenue[3]),
  avg6m: canonicalOrNull(c.avgRevenue[6]),
  avg12m: canonicalOrNull(c.avgRevenue[12]),
});

/** cohort_ltv(as_of), ordered by cohort month (the function's own order is not relied on). */
export async function readCohortLtv(db: Queryable, asOfIso: string): Promise<SqlCohortRow[]> {
  const { rows } = await db.query<RawCohortRow>(`SELECT ${COHORT_COLUMNS_SQL} FROM cohort_ltv($1::timestamptz) ORDER BY 1`, [
    asOfIso,
  ]);
  return rows.map(toSqlCohortRow);
}

export interface SqlCurveRow {
  day: string;
  revenue: string;
  movingAvg7d: string | null;
}

export const CURVE_COLUMNS_SQL = `to_char(day, 'YYYY-MM-DD') AS day, revenue::text AS revenue, moving_avg_7d::text AS moving_avg_7d`;

export const toSqlCurveRow = (r: { day: string; revenue: string | null; moving_avg_7d: string | null }): SqlCurveRow => ({
  day: r.day,
  // a NULL revenue is kept visible as the text 'NULL': days without sales must show 0
  revenue: r.revenue === null ? 'NULL' : canonicalDecimal(r.revenue),
  movingAvg7d: canonicalOrNull(r.moving_avg_7d),
});

/** daily_revenue_curve(from_day, to_day), ordered by day. */
export async function readCurve(db: Queryable, fromDay: string, toDay: string): Promise<SqlCurveRow[]> {
  const { rows } = await db.query<{ day: string; revenue: string | null; moving_avg_7d: string | null }>(
    `SELECT ${CURVE_COLUMNS_SQL} FROM daily_revenue_curve($1::date, $2::date) ORDER BY 1`,
    [fromDay, toDay],
  );
  return rows.map(toSqlCurveRow);
}

/** Sets the session time zone for the current transaction only (SET LOCAL). */
export async function setLocalTimeZone(db: Queryable, zone: string): Promise<void> {
  await db.query(`SELECT set_config('TimeZone', $1, true)`, [zone]);
}
