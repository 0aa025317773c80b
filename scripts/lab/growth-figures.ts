/**
 * The figures the lab report plots from the synthesized shop: the 7-day revenue curve over the
 * whole order history (daily_revenue_curve) and the cohort LTV table (cohort_ltv as of now).
 */
import type { Queryable } from '../../helpers/db/queryable.js';

export interface GrowthFigures {
  curve: { day: string; revenue: number; movingAvg7d: number }[];
  cohorts: { cohortMonth: string; size: number; avg3m: number | null; avg6m: number | null; avg12m: number | null }[];
}

const num = (v: string | null) => (v === null ? null : Number(v));

export async function collectGrowthFigures(db: Queryable): Promise<GrowthFigures> {
  const curve = await db.query<{ day: string; revenue: string; moving_avg_7d: string }>(
    `WITH span AS (SELECT min(order_date AT TIME ZONE 'UTC')::date AS from_day, max(order_date AT TIME ZONE 'UTC')::date AS to_day FROM orders)
     SELECT c.day::text, c.revenue::text, c.moving_avg_7d::text
       FROM span, daily_revenue_curve(span.from_day, span.to_day) AS c ORDER BY c.day`,
  );
  const cohorts = await db.query<{
    cohort_month: string;
    cohort_size: string;
    avg_revenue_3m: string | null;
    avg_revenue_6m: string | null;
    avg_revenue_12m: string | null;
  }>(
    `SELECT cohort_month::text, cohort_size::text, avg_revenue_3m::text, avg_revenue_6m::text, avg_revenue_12m::text
       FROM cohort_ltv(now()) ORDER BY cohort_month`,
  );
  return {
    curve: curve.rows.map((r) => ({ day: r.day, revenue: Number(r.revenue), movingAvg7d: Number(r.moving_avg_7d) })),
    cohorts: cohorts.rows.map((r) => ({
      cohortMonth: r.cohort_month,
      size: Number(r.cohort_size),
      avg3m: num(r.avg_revenue_3m),
      avg6m: num(r.avg_revenue_6m),
      avg12m: num(r.avg_revenue_12m),
    })),
  };
}
