/**
 * Task 6 — every dashboard query file returns the right rows, not only fast ones: after
 * refresh_dashboard(), each file of CONTRACT.md's dashboard table runs with generated parameters
 * (yesterday and another day, the busiest customer and a one-order one, the best seller and
 * another product) from a session whose date is not the UTC date, and its key columns are
 * compared with an oracle (helpers/oracles/dashboard.ts and plain loops). The data puts the
 * limits and orderings to work: a customer with 26 orders, a product with 24 sales, more than
 * three products on a day with revenue order unlike unit order and a revenue tie at rank 3,
 * cohorts in five months and a customer whose first purchase is a minute before the refresh.
 */
import { beforeAll, describe, inject, it } from 'vitest';
import { DASHBOARD_QUERY_FILES } from '../../contract/required-files.js';
import { insertOrder, insertProducts, insertUsers, sampleProduct, sampleUser } from '../../helpers/data/contract-rows.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { type DailySalesRow, dailySalesStats } from '../../helpers/oracles/dashboard.js';
import { canonicalOrNull } from '../../helpers/oracles/decimal.js';
import { dashboardQueries } from '../../helpers/plan/dashboard-queries.js';
import { fail, failHaveWant } from '../../helpers/vitest/have-want.js';

const db = useSpecDatabase({
  requires: ['users', 'products', 'orders', 'order_items', 'daily_sales_stats', 'cohort_ltv_summary', 'refresh_dashboard()'],
});
const queries = dashboardQueries(inject('suite').sqlDir);
const DAY_MS = 86_400_000;
const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let today: string;
let daily: DailySalesRow[];
let orders: { order_id: string; user_id: string; order_date: Date }[];
let lines: { order_id: string; product_id: string }[];
let busyUser: string;
let quietUser: string;
let bestSeller: string;
let otherProduct: string;

beforeAll(async () => {
  const now = Date.now();
  const midnight = Math.floor(now / DAY_MS) * DAY_MS;
  const users = await insertUsers(
    db.pool,
    Array.from({ length: 7 }, () => sampleUser()),
  );
  const prices = ['30.00', '5.00', '12.50', '12.50', '7.25', '99.99'];
  const products = await insertProducts(
    db.pool,
    prices.map((price) => sampleProduct({ price })),
  );
  [busyUser, quietUser] = users as [string, string];
  [bestSeller, otherProduct] = products as [string, string];
  const at = (daysAgo: number, minute: number) => new Date(midnight - daysAgo * DAY_MS + minute * 60_000).toISOString();
  // The busy customer: 26 orders on distinct instants over 50 days, each with the best seller (24 of them).
  for (let k = 0; k < 26; k++) {
    const withBest = k % 13 !== 5;
    await insertOrder(db.pool, busyUser, at(2 + k * 2, 37 + k), [
      ...(withBest ? [{ product_id: bestSeller, quantity: 1 + (k % 3), unit_price: '30.00' }] : []),
      { product_id: products[2 + (k % 4)]!, quantity: 1, unit_price: prices[2 + (k % 4)]! },
    ]);
  }
  // Yesterday: revenue order P6 > P1 > (P3 = P4 tie at rank 3) > P2; units order P2 first.
  const y = 1;
  await insertOrder(db.pool, users[2]!, at(y, 60), [
    { product_id: products[5]!, quantity: 1, unit_price: '99.99' },
    { product_id: products[1]!, quantity: 9, unit_price: '5.00' },
  ]);
  await insertOrder(db.pool, users[3]!, at(y, 600), [
    { product_id: bestSeller, quantity: 2, unit_price: '30.00' },
    { product_id: products[2]!, quantity: 4, unit_price: '12.50' },
    { product_id: products[3]!, quantity: 4, unit_price: '12.50' },
  ]);
  await insertOrder(db.pool, quietUser, at(y, 1439), [{ product_id: products[4]!, quantity: 1, unit_price: '7.25' }]);
  // Older cohorts: first purchases months back.
  for (let m = 2; m <= 6; m++)
    await insertOrder(db.pool, users[4 + (m % 2)]!, at(m * 31, 100 + m), [
      { product_id: products[5]!, quantity: 1, unit_price: '99.99' },
    ]);
  await insertOrder(db.pool, users[4]!, at(200, 5), [{ product_id: products[4]!, quantity: 3, unit_price: '7.25' }]);
  // A customer whose first purchase is a minute old: in the cohorts as of the refresh, not in the days.
  await insertOrder(db.pool, users[6]!, new Date(now - 60_000).toISOString(), [
    { product_id: products[4]!, quantity: 1, unit_price: '7.25' },
  ]);

  const refresh = await db.connect();
  await refresh.query('CALL refresh_dashboard()');
  today = (await refresh.query<{ d: string }>(`SELECT to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS d`)).rows[0]!.d;
  await refresh.end();
  orders = (
    await db.query<{ order_id: string; user_id: string; order_date: Date }>('SELECT order_id, user_id, order_date FROM orders')
  ).rows;
  const allLines = (
    await db.query<{ order_id: string; product_id: string; quantity: number; unit_price: string }>(
      'SELECT order_id, product_id, quantity, unit_price::text AS unit_price FROM order_items',
    )
  ).rows;
  lines = allLines;
  const names = (await db.query<{ product_id: string; name: string }>('SELECT product_id, name FROM products')).rows;
  daily = dailySalesStats({ orders, lines: allLines, products: names, today });
});

/** Runs a dashboard file with its variables bound, from a session whose local date is not the UTC date. */
async function run(name: string, values: Record<string, string>): Promise<Record<string, unknown>[]> {
  const query = queries.find((q) => q.name === name);
  if (!query) fail(`the dashboard query file ${name}.sql does not exist`, 'write it; CONTRACT.md lists every dashboard file');
  const bound = query.query.bind(values);
  const client = await db.connect();
  try {
    const hour = new Date().getUTCHours();
    // At any UTC hour one of these zones is on another calendar date than UTC.
    await client.query(`SET TimeZone = '${hour >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago'}'`);
    return (await client.query(bound.text, bound.values)).rows;
  } finally {
    await client.end();
  }
}

const text = (v: unknown) => (v instanceof Date ? dayText(v.getTime() - v.getTimezoneOffset() * 60_000) : String(v));
function column(rows: Record<string, unknown>[], name: string, file: string): string[] {
  if (rows.length > 0 && !(name in rows[0]!))
    failHaveWant(
      `columns of ${file}.sql`,
      Object.keys(rows[0]!),
      `a column named ${name}`,
      'name the key columns as CONTRACT.md does',
    );
  return rows.map((r) => text(r[name]));
}
function same(check: string, have: unknown, want: unknown, fix: string): void {
  if (JSON.stringify(have) !== JSON.stringify(want)) failHaveWant(check, have, want, fix);
}
const addDays = (day: string, n: number) => dayText(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);

describe('Task 6 · dashboard query files return the right rows', { tags: ['task6', 'deliverable-materialized-view'] }, () => {
  // clause: ip.query-files
  it('every dashboard file of the contract exists', () => {
    const missing = DASHBOARD_QUERY_FILES.filter((name) => !queries.some((q) => q.name === name));
    same('dashboard query files missing', missing, [], 'write every file of the dashboard table in CONTRACT.md');
  });

  // clause: ip.q.yesterday-stats
  it("yesterday_stats.sql: yesterday's (UTC) row, whatever the session's time zone", async () => {
    const rows = await run('yesterday_stats', {});
    const yesterday = addDays(today, -1);
    same(
      'days returned by yesterday_stats.sql',
      column(rows, 'day', 'yesterday_stats'),
      [yesterday],
      "yesterday is (now() AT TIME ZONE 'UTC')::date - 1",
    );
    const want = daily.find((d) => d.day === yesterday)!;
    same(
      'revenue of yesterday_stats.sql',
      canonicalOrNull(text(rows[0]!.revenue)),
      canonicalOrNull(want.revenue),
      "read daily_sales_stats' row",
    );
  });

  // clause: ip.q.top-products
  it.each([1, 4, 6])("top_products.sql for the day %i days ago: that day's top products by revenue", async (daysAgo) => {
    const day = addDays(today, -daysAgo);
    const rows = await run('top_products', { day });
    const want = (daily.find((d) => d.day === day)?.top_products ?? []).map((t) => t.product_id);
    same(
      `top products of ${day} (product_id)`,
      column(rows, 'product_id', 'top_products').sort(),
      want.sort(),
      'read top_products of that day from daily_sales_stats (by revenue, ties by product_id)',
    );
  });

  // clause: ip.q.revenue-curve-7d
  it.each([1, 9])('revenue_curve_7d.sql ending %i days ago: the 30 days ending that day', async (daysAgo) => {
    const day = addDays(today, -daysAgo);
    const rows = (await run('revenue_curve_7d', { day })).sort((a, b) => text(a.day).localeCompare(text(b.day)));
    const want = daily.filter((d) => d.day > addDays(day, -30) && d.day <= day);
    same(
      `days of revenue_curve_7d.sql for ${day}`,
      column(rows, 'day', 'revenue_curve_7d'),
      want.map((d) => d.day),
      'the 30 days ending day',
    );
    same(
      `revenue and revenue_7d_avg of revenue_curve_7d.sql for ${day}`,
      rows.map((r) => [canonicalOrNull(text(r.revenue)), canonicalOrNull(text(r.revenue_7d_avg))]),
      want.map((d) => [canonicalOrNull(d.revenue), canonicalOrNull(d.revenue_7d_avg)]),
      'read revenue and revenue_7d_avg from daily_sales_stats',
    );
  });

  // clause: ip.q.cohort-summary t6.cohort-summary
  it('cohort_summary.sql: one row per cohort month with its size, as of the refresh', async () => {
    const first = new Map<string, number>();
    for (const o of orders) first.set(o.user_id, Math.min(first.get(o.user_id) ?? Infinity, o.order_date.getTime()));
    const sizes = new Map<string, number>();
    for (const t of first.values()) {
      const month = `${dayText(t).slice(0, 7)}-01`;
      sizes.set(month, (sizes.get(month) ?? 0) + 1);
    }
    const want = [...sizes].sort(([a], [b]) => a.localeCompare(b)).map(([m, n]) => `${m}:${n}`);
    const rows = await run('cohort_summary', {});
    const have = column(rows, 'cohort_month', 'cohort_summary')
      .map((m, i) => `${m}:${text(rows[i]!.cohort_size)}`)
      .sort();
    same(
      'cohort months and sizes of cohort_summary.sql',
      have,
      want,
      'read cohort_ltv_summary (cohort_ltv(now()) at refresh), every cohort',
    );
  });

  // clause: ip.q.user-order-history
  it("user_order_history.sql: the customer's 20 latest orders (of 26), and all of a one-order customer", async () => {
    for (const user of [busyUser, quietUser]) {
      const rows = await run('user_order_history', { user_id: user });
      const want = orders
        .filter((o) => o.user_id === user)
        .sort((a, b) => b.order_date.getTime() - a.order_date.getTime())
        .slice(0, 20)
        .map((o) => o.order_id)
        .sort();
      same(
        'orders returned by user_order_history.sql',
        [...new Set(column(rows, 'order_id', 'user_order_history'))].sort(),
        want,
        'the last 20 orders: LIMIT the orders, not their joined lines',
      );
    }
  });

  // clause: ip.q.product-sales
  it("product_sales.sql: the product's 20 latest sales (of 24), and all of a product sold once", async () => {
    for (const product of [bestSeller, otherProduct]) {
      const rows = await run('product_sales', { product_id: product });
      const when = new Map(orders.map((o) => [o.order_id, o.order_date.getTime()]));
      const want = lines
        .filter((l) => l.product_id === product)
        .sort((a, b) => when.get(b.order_id)! - when.get(a.order_id)!)
        .slice(0, 20)
        .map((l) => l.order_id)
        .sort();
      same(
        'sales (order_id) returned by product_sales.sql',
        column(rows, 'order_id', 'product_sales').sort(),
        want,
        'the latest 20 sales: ORDER BY order_date DESC before LIMIT 20',
      );
    }
  });
});
