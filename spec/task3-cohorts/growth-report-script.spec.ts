/**
 * Deliverable "a Growth Report SQL script utilizing LTV, Retention cohorts, and Moving Averages":
 * sql/queries/growth_report.sql runs unchanged, statement by statement as psql would, on a
 * history of sixteen months up to now; its lifetime-value, cohort and 7-day-curve result sets
 * equal the TypeScript oracles as of the transaction's now().
 */
import path from 'node:path';
import type pg from 'pg';
import { beforeAll, describe, inject, it } from 'vitest';
import { oracleCohortAsSqlRow, type SqlCohortRow, toSqlCohortRow, toSqlCurveRow } from '../../helpers/db/growth-queries.js';
import { createLineProducts, inRolledBackTransaction, insertHistory } from '../../helpers/db/order-history-rows.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { addDays, addMonths, type Instant, isoOf, MICROS_PER_DAY, utcDayOf } from '../../helpers/oracles/calendar.js';
import { cohortLtv } from '../../helpers/oracles/cohorts.js';
import { canonicalDecimal, formatCents } from '../../helpers/oracles/decimal.js';
import { dailyRevenueCurve } from '../../helpers/oracles/moving-average.js';
import { type HistoryOrder, type OrderHistory, oracleOrders } from '../../helpers/oracles/order-history.js';
import { readSubmissionFile, SubmissionFileError } from '../../helpers/safety/submission-files.js';
import { SqlSplitError, splitSql } from '../../helpers/sql/split.js';
import { expectSameRows } from '../../helpers/vitest/compare-rows.js';
import { fail, failHaveWant } from '../../helpers/vitest/have-want.js';

const db = useSpecDatabase({ requires: ['users', 'products', 'orders', 'order_items', 'cohort_ltv()', 'daily_revenue_curve()'] });
const SCRIPT = 'queries/growth_report.sql';
const USERS = 60;
let client: pg.Client;
let lineProducts: string[];
let statements: { text: string; line: number }[];

/** A small deterministic PRNG (mulberry32): the same history every run, relative to now(). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sixteen months of customers up to `now`: first purchases spread over the months, repeat orders after gaps, none in the future. */
function historyUpTo(now: Instant): OrderHistory {
  const random = prng(20_260_301);
  const pick = (n: number) => Math.floor(random() * n);
  const users: OrderHistory['users'] = [];
  const orders: HistoryOrder[] = [];
  for (let u = 0; u < USERS; u++) {
    const userId = `00000000-0000-4000-8000-${(u + 1).toString(16).padStart(12, '0')}`;
    const first = addMonths(now, -pick(16)) - BigInt(pick(28 * 86_400)) * 1_000_000n - 1n;
    users.push({ userId, registeredAt: first - BigInt(pick(200)) * MICROS_PER_DAY });
    let at = first;
    for (let k = 0, n = 1 + pick(6); k < n && at < now; k++) {
      orders.push({
        orderId: `${(orders.length + 1).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
        userId,
        at,
        lines: Array.from({ length: 1 + pick(3) }, () => ({
          quantity: 1 + pick(3),
          unitPrice: formatCents(BigInt(100 + pick(9_900))),
        })),
      });
      at += BigInt(pick(70 * 86_400)) * 1_000_000n + (pick(4) === 0 ? 0n : 1n); // sometimes the same instant
    }
  }
  return { users, orders };
}

beforeAll(async () => {
  const file = path.join(inject('suite').sqlDir, SCRIPT);
  let source: string;
  try {
    source = readSubmissionFile(file);
  } catch (error) {
    fail(
      error instanceof SubmissionFileError ? error.message : `${SCRIPT} does not exist`,
      'write the Growth Report as a plain SQL script there (LTV, cohorts, 7-day moving average)',
    );
  }
  try {
    statements = splitSql(source);
  } catch (error) {
    if (error instanceof SqlSplitError)
      fail(
        `${SCRIPT}:${error.line}: ${error.message}`,
        'keep the report plain SQL (no psql backslash commands), so it runs anywhere',
      );
    throw error;
  }
  client = await db.connect();
  lineProducts = await createLineProducts(client, 'script');
});

describe('Deliverable · the Growth Report script', { tags: ['deliverable-growth-report', 'task3', 'task7'] }, () => {
  // clause: t3.script t3.script-ltv t3.script-cohorts t3.script-curve
  it(`${SCRIPT} returns lifetime value, cohorts and the 7-day curve equal to the oracles as of now()`, () =>
    inRolledBackTransaction(client, async () => {
      const { rows: clock } = await client.query<{ now_us: string }>(
        'SELECT (extract(epoch FROM now()) * 1000000)::bigint::text AS now_us',
      );
      const now = BigInt(clock[0]!.now_us);
      const history = historyUpTo(now);
      await insertHistory(client, history, lineProducts);
      const orders = oracleOrders(history);

      const results: { line: number; columns: string[]; rows: Record<string, string | null>[] }[] = [];
      for (const statement of statements) {
        try {
          const result = await client.query({ text: statement.text, types: { getTypeParser: () => (value: string) => value } });
          for (const r of Array.isArray(result) ? result : [result])
            if (r.fields?.length)
              results.push({ line: statement.line, columns: r.fields.map((f: pg.FieldDef) => f.name), rows: r.rows });
        } catch (error) {
          fail(
            `${SCRIPT}:${statement.line} failed: ${(error as Error).message}`,
            'the script must run unchanged on a database built from your sql/ folder',
          );
        }
      }
      // CONTRACT.md's rule: a part is the one result set whose columns include all of that part's columns
      const find = (columns: readonly string[], what: string) => {
        const matching = results.filter((r) => columns.every((c) => r.columns.includes(c)));
        if (matching.length !== 1)
          failHaveWant(
            `the result set of ${SCRIPT} with the columns ${columns.join(', ')} (${what})`,
            `${matching.length} such result sets; all: ${results.map((r) => `line ${r.line}: ${r.columns.join(', ')}`).join(' | ') || 'none'}`,
            'exactly one',
            'see CONTRACT.md, "Growth Report script": each part is found by its columns',
          );
        return matching[0]!;
      };

      // 1. lifetime value
      const ltv = find(['user_id', 'lifetime_revenue'], 'customer lifetime value');
      const lifetime = new Map<string, bigint>();
      for (const o of orders) lifetime.set(o.userId, (lifetime.get(o.userId) ?? 0n) + o.revenueCents);
      const ranked = [...lifetime.values()].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
      const have = ltv.rows.map((r) => `${r['user_id']}: ${canonicalDecimal(r['lifetime_revenue'] ?? 'NaN')}`);
      const want = ltv.rows.map(
        (r) => `${r['user_id']}: ${canonicalDecimal(formatCents(lifetime.get(r['user_id'] ?? '') ?? -1n))}`,
      );
      expectSameRows(
        `${SCRIPT}:${ltv.line} lifetime_revenue per user`,
        have,
        want,
        "lifetime_revenue = the user's whole running total (the last cumulative_revenue of running_ltv)",
      );
      const shown = ltv.rows.map((r) => canonicalDecimal(r['lifetime_revenue']!));
      expectSameRows(
        `${SCRIPT}:${ltv.line} the most valuable customers, highest first`,
        shown,
        ranked.slice(0, shown.length).map((c) => canonicalDecimal(formatCents(c))),
        'ORDER BY lifetime_revenue DESC',
      );
      if (shown.length === 0) fail(`${SCRIPT}:${ltv.line} returned no customers`, 'list customers by lifetime value');

      // 2. cohorts as of now()
      const cohorts = find(
        ['cohort_month', 'cohort_size', 'avg_revenue_3m', 'avg_revenue_6m', 'avg_revenue_12m'],
        'retention cohorts',
      );
      const cohortLine = (c: SqlCohortRow) =>
        `cohort ${c.cohortMonth}: size ${c.cohortSize}, 3m ${c.avg3m ?? 'NULL'}, 6m ${c.avg6m ?? 'NULL'}, 12m ${c.avg12m ?? 'NULL'}`;
      const haveCohorts = cohorts.rows
        .map((r) =>
          toSqlCohortRow({
            cohort_month: (r['cohort_month'] ?? '').slice(0, 10),
            cohort_size: r['cohort_size']!,
            avg_revenue_3m: r['avg_revenue_3m'] ?? null,
            avg_revenue_6m: r['avg_revenue_6m'] ?? null,
            avg_revenue_12m: r['avg_revenue_12m'] ?? null,
          }),
        )
        .map(cohortLine)
        .sort();
      const wantCohorts = cohortLtv(orders, now).map(oracleCohortAsSqlRow).map(cohortLine).sort();
      expectSameRows(
        `${SCRIPT}:${cohorts.line} cohorts as of now() = ${isoOf(now)}`,
        haveCohorts,
        wantCohorts,
        'cohort_ltv(now()): every cohort, as of the moment the report runs',
      );

      // 3. the 7-day curve, over whatever run of days the script shows (at least a week, none in the future)
      const curve = find(['day', 'revenue', 'moving_avg_7d'], '7-day moving average');
      const days = curve.rows.map((r) =>
        toSqlCurveRow({
          day: (r['day'] ?? '').slice(0, 10),
          revenue: r['revenue'] ?? null,
          moving_avg_7d: r['moving_avg_7d'] ?? null,
        }),
      );
      const today = utcDayOf(now);
      if (days.length < 7 || days[days.length - 1]!.day > today) {
        failHaveWant(
          `${SCRIPT}:${curve.line} days shown`,
          days.length ? `${days.length} days, ${days[0]!.day} .. ${days[days.length - 1]!.day}` : 'none',
          `at least 7 consecutive days ending no later than today (${today}), in order`,
          'e.g. the last 90 complete UTC days',
        );
      }
      const fromDay = days[0]!.day;
      const toDay = addDays(fromDay, days.length - 1);
      const render = (r: { day: string; revenue: string; movingAvg7d: string | null }) =>
        `${r.day}: revenue ${r.revenue}, moving_avg_7d ${r.movingAvg7d ?? 'NULL'}`;
      expectSameRows(
        `${SCRIPT}:${curve.line} 7-day curve ${fromDay} .. ${toDay}`,
        days.map(render),
        dailyRevenueCurve(orders, fromDay, toDay).map((r) =>
          render({ day: r.day, revenue: canonicalDecimal(r.revenue), movingAvg7d: canonicalDecimal(r.movingAvg7d) }),
        ),
        'one row per consecutive UTC day in order, 0 on days without sales, moving_avg_7d over that day and the six before',
      );
    }));
});
