/**
 * Oracle for daily_sales_stats, written from the definitions in CONTRACT.md (Tasks 5 and 6) (not from
 * the SQL): plain loops over the raw rows, money as exact BigInt units at any scale, churn by set
 * membership per day. Rounding is PostgreSQL's round(x, n): half away from zero. Money and rates are
 * rendered canonically (no trailing zeros), so they compare by value whatever scale the solution stores.
 */

import { canonicalDecimal, divideRoundHalfAwayFromZero, formatScaled, toScaled } from './decimal.js';

export interface OracleOrder {
  order_id: string;
  user_id: string;
  order_date: Date;
}

export interface OracleLine {
  order_id: string;
  product_id: string;
  quantity: number;
  /** numeric as text at any scale, e.g. "19.90" or "19.9000" */
  unit_price: string;
}

export interface OracleProduct {
  product_id: string;
  name: string;
}

export interface TopProduct {
  product_id: string;
  name: string;
  revenue: string;
  units: number;
}

export interface DailySalesRow {
  day: string;
  revenue: string;
  orders: number;
  customers: number;
  units: number;
  top_products: TopProduct[];
  revenue_7d_avg: string;
  churn_base_customers: number;
  churned_customers: number;
  churn_rate: string | null;
}

const DAY_MS = 86_400_000;
const dayNumber = (d: Date) => Math.floor(d.getTime() / DAY_MS);
const dayText = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** Exact units of 10^-EXACT_SCALE: any money scale a solution stores (numeric, numeric(12,2), numeric(14,4)) fits. */
const EXACT_SCALE = 12;
const exact = (price: string): bigint => toScaled(price, EXACT_SCALE);
/** The value as canonical text (no trailing zeros): money is compared by value. */
const valueText = (units: bigint): string => canonicalDecimal(formatScaled(units, EXACT_SCALE));

/** round(units / denominator, decimals) half away from zero, as canonical text. */
function roundedText(units: bigint, denominator: bigint, decimals: number): string {
  const rounded = divideRoundHalfAwayFromZero(units, denominator * 10n ** BigInt(EXACT_SCALE - decimals));
  return canonicalDecimal(formatScaled(rounded, decimals));
}

/**
 * The rows daily_sales_stats must hold after a refresh on UTC date `today`: one per day from the
 * first order's UTC day through today - 1.
 */
export function dailySalesStats(input: {
  orders: OracleOrder[];
  lines: OracleLine[];
  products: OracleProduct[];
  today: string;
}): DailySalesRow[] {
  if (input.orders.length === 0) return [];
  const today = dayNumber(new Date(`${input.today}T00:00:00Z`));
  const names = new Map(input.products.map((p) => [p.product_id, p.name]));
  const orderDay = new Map(input.orders.map((o) => [o.order_id, dayNumber(o.order_date)]));
  const first = Math.min(...orderDay.values());

  // customer -> the set of UTC days with at least one order
  const activeDays = new Map<string, Set<number>>();
  for (const o of input.orders) {
    const set = activeDays.get(o.user_id) ?? new Set<number>();
    set.add(dayNumber(o.order_date));
    activeDays.set(o.user_id, set);
  }
  const orderedOn = (user: string, from: number, to: number) => {
    for (const d of activeDays.get(user)!) if (d >= from && d <= to) return true;
    return false;
  };

  const rows: DailySalesRow[] = [];
  const revenueByDay: bigint[] = [];
  for (let day = first; day < today; day++) {
    const dayOrders = input.orders.filter((o) => dayNumber(o.order_date) === day);
    const dayOrderIds = new Set(dayOrders.map((o) => o.order_id));
    const perProduct = new Map<string, { revenue: bigint; units: number }>();
    let revenue = 0n;
    let units = 0;
    for (const line of input.lines) {
      if (!dayOrderIds.has(line.order_id)) continue;
      const amount = BigInt(line.quantity) * exact(line.unit_price);
      revenue += amount;
      units += line.quantity;
      const p = perProduct.get(line.product_id) ?? { revenue: 0n, units: 0 };
      p.revenue += amount;
      p.units += line.quantity;
      perProduct.set(line.product_id, p);
    }
    const top = [...perProduct]
      .sort(([aId, a], [bId, b]) =>
        a.revenue !== b.revenue ? (a.revenue > b.revenue ? -1 : 1) : aId < bId ? -1 : aId > bId ? 1 : 0,
      )
      .slice(0, 3)
      .map(([product_id, p]) => ({ product_id, name: names.get(product_id)!, revenue: valueText(p.revenue), units: p.units }));

    revenueByDay.push(revenue);
    const week = revenueByDay.slice(-7).reduce((a, b) => a + b, 0n); // days before the first order are 0

    const base = [...activeDays.keys()].filter((u) => orderedOn(u, day - 59, day - 30));
    const churned = base.filter((u) => !orderedOn(u, day - 29, day));

    rows.push({
      day: dayText(day),
      revenue: valueText(revenue),
      orders: dayOrders.length,
      customers: new Set(dayOrders.map((o) => o.user_id)).size,
      units,
      top_products: top,
      revenue_7d_avg: roundedText(week, 7n, 2),
      churn_base_customers: base.length,
      churned_customers: churned.length,
      churn_rate:
        base.length === 0
          ? null
          : canonicalDecimal(formatScaled(divideRoundHalfAwayFromZero(BigInt(churned.length) * 10_000n, BigInt(base.length)), 4)),
    });
  }
  return rows;
}
