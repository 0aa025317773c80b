/**
 * fast-check generators for order histories that hit the growth report's edges: several orders
 * at one instant, orders exactly at / a microsecond around a user's 1/3/6/12-month anniversaries,
 * midnight UTC, the last microsecond of a month, days 29–31 (month-end clamping), gaps of weeks,
 * one-order users, cohorts younger than twelve months, registration months unlike first-purchase
 * months — and report moments at and just before a horizon closes.
 */
import fc from 'fast-check';
import { addDays, addMonths, daysInMonth, type Instant, instant, MICROS_PER_DAY, startOfDay, utcDayOf } from './calendar.js';
import { formatCents } from './decimal.js';
import {
  type HistoryLine,
  type HistoryOrder,
  type HistoryUser,
  MAX_LINES_PER_ORDER,
  type OrderHistory,
} from './order-history.js';

/** First purchases fall in these sixteen months, Nov 2024 – Feb 2026. */
export const FIRST_MONTH = '2024-11-01';
export const MONTH_COUNT = 16;
const MICROS_PER_SECOND = 1_000_000n;

const monthStart = (index: number): Instant => addMonths(startOfDay(FIRST_MONTH), index);

/** An instant in the generated months, biased to calendar edges. */
export const edgyInstant: fc.Arbitrary<Instant> = fc.oneof(
  // midnight UTC on the first of a month
  fc.integer({ min: 0, max: MONTH_COUNT - 1 }).map(monthStart),
  // the last microsecond of a month
  fc.integer({ min: 1, max: MONTH_COUNT }).map((m) => monthStart(m) - 1n),
  // late in the month (days 28–31, clamped): anniversaries land on shorter months
  fc
    .record({
      m: fc.integer({ min: 0, max: MONTH_COUNT - 1 }),
      day: fc.integer({ min: 28, max: 31 }),
      second: fc.integer({ min: 0, max: 86_399 }),
    })
    .map(({ m, day, second }) => {
      const start = monthStart(m);
      const first = utcDayOf(start);
      const length = daysInMonth(Number(first.slice(0, 4)), Number(first.slice(5, 7)));
      return start + BigInt(Math.min(day, length) - 1) * MICROS_PER_DAY + BigInt(second) * MICROS_PER_SECOND;
    }),
  // midnight UTC on any day
  fc.integer({ min: 0, max: MONTH_COUNT * 31 - 1 }).map((d) => startOfDay(addDays(FIRST_MONTH, d))),
  // anywhere, to the microsecond
  fc.bigInt({ min: startOfDay(FIRST_MONTH), max: monthStart(MONTH_COUNT) - 1n }),
);

/** How much later than the user's first purchase a further order is placed. */
const laterOrder = (first: Instant): fc.Arbitrary<Instant> =>
  fc.oneof(
    // the same instant: a tie the running total must break by order_id
    fc.constant(first),
    // at, or a microsecond around, an anniversary (the horizon boundaries)
    fc
      .record({ months: fc.constantFrom(1, 2, 3, 5, 6, 11, 12, 13), nudge: fc.constantFrom(-1n, 0n, 1n) })
      .map(({ months, nudge }) => addMonths(first, months) + nudge),
    // later the same day or within a few days, same-day bursts included
    fc.integer({ min: 1, max: 5 * 86_400 }).map((s) => first + BigInt(s) * MICROS_PER_SECOND),
    // after a gap of weeks
    fc
      .record({ weeks: fc.integer({ min: 2, max: 60 }), second: fc.integer({ min: 0, max: 86_399 }) })
      .map(({ weeks, second }) => first + BigInt(weeks * 7) * MICROS_PER_DAY + BigInt(second) * MICROS_PER_SECOND),
  );

const unitPrice: fc.Arbitrary<string> = fc
  .oneof(fc.constantFrom(0n, 1n, 5n, 99n, 1999n, 2000n, 6001n), fc.bigInt({ min: 0n, max: 99_999n }))
  .map(formatCents);

const line: fc.Arbitrary<HistoryLine> = fc.record({ quantity: fc.integer({ min: 1, max: 5 }), unitPrice });

/** Ids whose text order does not follow generation order, so ties are broken by id, not by luck. */
const orderIdFor = (index: number, tag: number) =>
  `${tag.toString(16).padStart(4, '0')}${index.toString(16).padStart(4, '0')}-0000-4000-8000-000000000000`;
const userIdFor = (index: number) => `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;

interface UserPlan {
  first: Instant;
  registeredDaysBefore: number;
  later: Instant[];
  lines: HistoryLine[][];
  tags: number[];
}

/** Somewhere in one given month: users who share a cohort. */
const instantInMonth = (m: number): fc.Arbitrary<Instant> => fc.bigInt({ min: monthStart(m), max: monthStart(m + 1) - 1n });

const userPlan = (focusMonth: number): fc.Arbitrary<UserPlan> =>
  fc.oneof(edgyInstant, instantInMonth(focusMonth)).chain((first) =>
    fc.record({
      first: fc.constant(first),
      registeredDaysBefore: fc.integer({ min: 0, max: 400 }),
      // one-order users are common: no later orders at all
      later: fc.array(laterOrder(first), { maxLength: 4 }),
      lines: fc.array(fc.array(line, { minLength: 1, maxLength: MAX_LINES_PER_ORDER }), { minLength: 5, maxLength: 5 }),
      tags: fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 5, maxLength: 5 }),
    }),
  );

export const orderHistory: fc.Arbitrary<OrderHistory> = fc
  .integer({ min: 0, max: MONTH_COUNT - 1 })
  .chain((focusMonth) => fc.array(userPlan(focusMonth), { minLength: 1, maxLength: 7 }))
  .map((plans) => {
    const users: HistoryUser[] = [];
    const orders: HistoryOrder[] = [];
    plans.forEach((plan, u) => {
      const userId = userIdFor(u + 1);
      users.push({ userId, registeredAt: plan.first - BigInt(plan.registeredDaysBefore) * MICROS_PER_DAY });
      [plan.first, ...plan.later].forEach((at, k) => {
        orders.push({ orderId: orderIdFor(orders.length, plan.tags[k]!), userId, at, lines: plan.lines[k]! });
      });
    });
    return { users, orders };
  });

/** Report moments: exactly when, or a microsecond before, a cohort's horizon closes; or anywhere. */
export const reportMoment: fc.Arbitrary<Instant> = fc.oneof(
  fc
    .record({ m: fc.integer({ min: 0, max: MONTH_COUNT - 1 }), n: fc.constantFrom(3, 6, 12), nudge: fc.constantFrom(0n, -1n) })
    .map(({ m, n, nudge }) => monthStart(m + n + 1) + nudge),
  fc.bigInt({ min: startOfDay(FIRST_MONTH), max: instant('2027-07-01T00:00:00Z') }),
  fc.constant(instant('2031-01-01T00:00:00Z')),
);

/** A day range for the revenue curve, usually around the history's orders. */
export const curveRange = (history: OrderHistory): fc.Arbitrary<{ fromDay: string; toDay: string }> =>
  fc
    .record({
      anchor: fc.oneof(
        { arbitrary: fc.constantFrom(...history.orders.map((o) => utcDayOf(o.at))), weight: 4 },
        { arbitrary: fc.integer({ min: 0, max: 600 }).map((d) => addDays(FIRST_MONTH, d)), weight: 1 },
      ),
      startOffset: fc.integer({ min: -8, max: 3 }),
      // 0 days: a single day; negative: an empty range
      length: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 25 }), weight: 9 }, { arbitrary: fc.constant(-1), weight: 1 }),
    })
    .map(({ anchor, startOffset, length }) => {
      const fromDay = addDays(anchor, startOffset);
      return { fromDay, toDay: addDays(fromDay, length) };
    });

/** Session time zones far from UTC: results must not change with them. */
export const sessionTimeZone = fc.constantFrom(
  'UTC',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'America/Los_Angeles',
  'Asia/Kathmandu',
  'Europe/Lisbon',
);
