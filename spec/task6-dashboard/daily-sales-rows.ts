/** Task 6 checks' shared reads: refresh far from UTC, the view's rows, the oracle's rows, a have/want comparison. */
import type pg from 'pg';
import type { SpecDatabase } from '../../helpers/db/spec-database.js';
import { type DailySalesRow, dailySalesStats } from '../../helpers/oracles/dashboard.js';
import { canonicalDecimal, canonicalOrNull } from '../../helpers/oracles/decimal.js';
import { failHaveWant } from '../../helpers/vitest/have-want.js';

export const DAY_MS = 86_400_000;

/**
 * CALL refresh_dashboard() from a session in UTC+14, returning the UTC date the refresh ran on;
 * `inside` runs in the refresh's transaction before it commits (same now()).
 */
export async function refreshFarFromUtc(db: SpecDatabase, inside?: (client: pg.Client) => Promise<void>): Promise<string> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL TimeZone = 'Pacific/Kiritimati'`);
    await client.query('CALL refresh_dashboard()');
    const { rows } = await client.query<{ today: string }>(
      `SELECT to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS today`,
    );
    await inside?.(client);
    await client.query('COMMIT');
    return rows[0]!.today;
  } finally {
    await client.end();
  }
}

export async function viewRows(db: pg.Pool | pg.Client): Promise<DailySalesRow[]> {
  const { rows } = await db.query<DailySalesRow>(`
    SELECT to_char(s.day, 'YYYY-MM-DD') AS day, s.revenue::text AS revenue, s.orders::int AS orders, s.customers::int AS customers,
           s.units::int AS units, s.revenue_7d_avg::text AS revenue_7d_avg,
           s.churn_base_customers::int AS churn_base_customers, s.churned_customers::int AS churned_customers,
           s.churn_rate::text AS churn_rate,
           (SELECT coalesce(json_agg(json_build_object('product_id', t.e ->> 'product_id', 'name', t.e ->> 'name',
                                                       'revenue', t.e ->> 'revenue', 'units', (t.e ->> 'units')::int) ORDER BY t.n), '[]')
              FROM jsonb_array_elements(s.top_products) WITH ORDINALITY AS t(e, n)) AS top_products
      FROM daily_sales_stats AS s ORDER BY s.day`);
  // money and rates by value: 10.00, 10.0000 and 10 are the same amount
  const value = (text: string) => canonicalDecimal(String(text));
  return rows.map((r) => ({
    ...r,
    revenue: value(r.revenue),
    revenue_7d_avg: value(r.revenue_7d_avg),
    churn_rate: canonicalOrNull(r.churn_rate),
    top_products: r.top_products.map((p) => ({ ...p, revenue: value(p.revenue) })),
  }));
}

export async function oracleRows(db: pg.Pool | pg.Client, today: string): Promise<DailySalesRow[]> {
  const orders = (
    await db.query<{ order_id: string; user_id: string; order_date: Date }>('SELECT order_id, user_id, order_date FROM orders')
  ).rows;
  const lines = (
    await db.query<{ order_id: string; product_id: string; quantity: number; unit_price: string }>(
      'SELECT order_id, product_id, quantity, unit_price::text AS unit_price FROM order_items',
    )
  ).rows;
  const products = (await db.query<{ product_id: string; name: string }>('SELECT product_id, name FROM products')).rows;
  return dailySalesStats({ orders, lines, products, today });
}

export function compareDailyRows(have: DailySalesRow[], want: DailySalesRow[], context: string): void {
  if (have.length !== want.length) {
    failHaveWant(
      `${context}: number of days in daily_sales_stats`,
      `${have.length} (${have[0]?.day ?? '—'} … ${have.at(-1)?.day ?? '—'})`,
      `${want.length} (${want[0]?.day ?? '—'} … ${want.at(-1)?.day ?? '—'})`,
      'one row per UTC day from the first order through yesterday, days without sales included',
    );
  }
  for (let i = 0; i < want.length; i++) {
    for (const key of Object.keys(want[i]!) as (keyof DailySalesRow)[]) {
      if (JSON.stringify(have[i]![key]) !== JSON.stringify(want[i]![key])) {
        failHaveWant(
          `${context}: daily_sales_stats.${key} on ${want[i]!.day}`,
          have[i]![key],
          want[i]![key],
          'see the definitions in CONTRACT.md (Tasks 5 and 6) (UTC days, unit_price snapshots, churn windows)',
        );
      }
    }
  }
}
