/**
 * Task 7 oracle, from the definition in CONTRACT.md: a day is a UTC calendar day; its
 * revenue is the revenue of the orders placed on it (0 when there were none); its 7-day moving
 * average is (revenue of that day and the six days before it) / 7, rounded half away from zero
 * to cents — for every day shown, including the first six, whose window reaches back before
 * from_day. A range with to_day before from_day has no days.
 */
import { addDays, daysBetween, utcDayOf } from './calendar.js';
import { divideRoundHalfAwayFromZero, formatCents } from './decimal.js';
import type { OracleOrder } from './order-history.js';

export interface CurveRow {
  day: string;
  revenue: string;
  movingAvg7d: string;
}

export function dailyRevenueCurve(orders: readonly OracleOrder[], fromDay: string, toDay: string): CurveRow[] {
  const revenueByDay = new Map<string, bigint>();
  for (const o of orders) {
    const day = utcDayOf(o.at);
    revenueByDay.set(day, (revenueByDay.get(day) ?? 0n) + o.revenueCents);
  }
  const revenueOn = (day: string) => revenueByDay.get(day) ?? 0n;
  const rows: CurveRow[] = [];
  for (let i = 0; i <= daysBetween(fromDay, toDay); i++) {
    const day = addDays(fromDay, i);
    let week = 0n;
    for (let back = 0; back < 7; back++) week += revenueOn(addDays(day, -back));
    rows.push({ day, revenue: formatCents(revenueOn(day)), movingAvg7d: formatCents(divideRoundHalfAwayFromZero(week, 7n)) });
  }
  return rows;
}
