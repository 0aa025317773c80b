/**
 * Task 3 oracles, written from the definitions in CONTRACT.md (not from the SQL):
 *
 * - first touch: a user's first purchase is the earliest order_date among their orders;
 * - running LTV: a user's orders in (order_date, order_id) order, each with the sum of the
 *   revenue of that order and every order before it (ties at one instant: lower order_id first);
 * - cohorts as of an instant A: the users whose first purchase is before A, grouped by the UTC
 *   month of that purchase. A user's N-month revenue is the revenue of their orders before
 *   first purchase + N months (same UTC wall-clock time, day clamped to the month's length).
 *   The cohort's N-month figure is the average over its users, rounded half away from zero to
 *   cents, shown once A ≥ cohort month start + (N + 1) months (UTC midnight), NULL before.
 */
import { addMonths, type Instant, startOfDay, utcMonthOf } from './calendar.js';
import { divideRoundHalfAwayFromZero, formatCents } from './decimal.js';
import type { OracleOrder } from './order-history.js';

export const HORIZON_MONTHS = [3, 6, 12] as const;
export type HorizonMonths = (typeof HORIZON_MONTHS)[number];

export interface FirstTouchRow {
  userId: string;
  orderId: string;
  at: Instant;
  firstAt: Instant;
}

export interface RunningLtvRow {
  userId: string;
  orderId: string;
  at: Instant;
  revenueCents: bigint;
  cumulativeCents: bigint;
}

export interface CohortRow {
  /** 'YYYY-MM-01' */
  cohortMonth: string;
  cohortSize: number;
  /** Average revenue per user within N months, 'd.dd', or null while the horizon is open. */
  avgRevenue: Record<HorizonMonths, string | null>;
}

function ordersByUser(orders: readonly OracleOrder[]): Map<string, OracleOrder[]> {
  const byUser = new Map<string, OracleOrder[]>();
  for (const o of orders) {
    const list = byUser.get(o.userId);
    if (list) list.push(o);
    else byUser.set(o.userId, [o]);
  }
  return byUser;
}

/** Chronological, ties broken by order_id (uuid order is the order of its hex text). */
const chronological = (a: OracleOrder, b: OracleOrder) =>
  a.at !== b.at ? (a.at < b.at ? -1 : 1) : a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0;

export function firstTouch(orders: readonly OracleOrder[]): FirstTouchRow[] {
  const rows: FirstTouchRow[] = [];
  for (const [userId, list] of ordersByUser(orders)) {
    let firstAt = list[0]!.at;
    for (const o of list) if (o.at < firstAt) firstAt = o.at;
    for (const o of list) rows.push({ userId, orderId: o.orderId, at: o.at, firstAt });
  }
  return rows;
}

export function runningLtv(orders: readonly OracleOrder[]): RunningLtvRow[] {
  const rows: RunningLtvRow[] = [];
  for (const [userId, list] of ordersByUser(orders)) {
    let total = 0n;
    for (const o of [...list].sort(chronological)) {
      total += o.revenueCents;
      rows.push({ userId, orderId: o.orderId, at: o.at, revenueCents: o.revenueCents, cumulativeCents: total });
    }
  }
  return rows;
}

/** The instant from which a cohort's N-month figure is final: cohort month start + (N + 1) months. */
export function horizonClosesAt(cohortMonth: string, months: number): Instant {
  return addMonths(startOfDay(cohortMonth), months + 1);
}

export function cohortLtv(orders: readonly OracleOrder[], asOf: Instant): CohortRow[] {
  interface Member {
    revenueWithin: Record<HorizonMonths, bigint>;
  }
  const cohorts = new Map<string, Member[]>();
  for (const list of ordersByUser(orders).values()) {
    const first = list.reduce((min, o) => (o.at < min ? o.at : min), list[0]!.at); // bigint: Math.min does not apply
    if (!(first < asOf)) continue; // joined after the report's moment
    const revenueWithin = {} as Record<HorizonMonths, bigint>;
    for (const n of HORIZON_MONTHS) {
      const end = addMonths(first, n);
      revenueWithin[n] = list.filter((o) => o.at < end).reduce((sum, o) => sum + o.revenueCents, 0n);
    }
    const month = utcMonthOf(first);
    cohorts.set(month, [...(cohorts.get(month) ?? []), { revenueWithin }]);
  }
  return [...cohorts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([cohortMonth, members]) => {
      const avgRevenue = {} as Record<HorizonMonths, string | null>;
      for (const n of HORIZON_MONTHS) {
        const total = members.reduce((sum, m) => sum + m.revenueWithin[n], 0n);
        avgRevenue[n] =
          asOf >= horizonClosesAt(cohortMonth, n)
            ? formatCents(divideRoundHalfAwayFromZero(total, BigInt(members.length)))
            : null;
      }
      return { cohortMonth, cohortSize: members.length, avgRevenue };
    });
}
