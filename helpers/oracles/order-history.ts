/**
 * An order history as the growth-report oracles and specs see it: users, their orders at exact
 * UTC instants, and order lines with snapshot prices. Ids are chosen here (not by the database)
 * so that an oracle can be computed without asking the database anything.
 */
import { type Instant, isoOf } from './calendar.js';
import { toCents } from './decimal.js';

export interface HistoryLine {
  quantity: number;
  /** The snapshot unit price, e.g. '19.99'. */
  unitPrice: string;
}

export interface HistoryUser {
  userId: string;
  registeredAt: Instant;
}

export interface HistoryOrder {
  orderId: string;
  userId: string;
  at: Instant;
  lines: HistoryLine[];
}

export interface OrderHistory {
  users: HistoryUser[];
  orders: HistoryOrder[];
}

/** What the oracles need of an order: who, when, and its revenue (sum of quantity × unit price). */
export interface OracleOrder {
  orderId: string;
  userId: string;
  at: Instant;
  revenueCents: bigint;
}

export function oracleOrders(history: OrderHistory): OracleOrder[] {
  return history.orders.map((o) => ({
    orderId: o.orderId,
    userId: o.userId,
    at: o.at,
    revenueCents: o.lines.reduce((sum, l) => sum + BigInt(l.quantity) * toCents(l.unitPrice), 0n),
  }));
}

/** The most lines any generated order has: each line of an order needs a product of its own. */
export const MAX_LINES_PER_ORDER = 3;

/** A compact description of a history for failure messages. */
export function describeHistory(history: OrderHistory): string {
  const byUser = new Map<string, HistoryOrder[]>();
  for (const o of history.orders) byUser.set(o.userId, [...(byUser.get(o.userId) ?? []), o]);
  return history.users
    .map((u) => {
      const orders = (byUser.get(u.userId) ?? []).map(
        (o) => `${isoOf(o.at)} ${o.lines.map((l) => `${l.quantity}×${l.unitPrice}`).join('+')} [${o.orderId.slice(0, 8)}]`,
      );
      return `  user ${u.userId.slice(0, 8)} (registered ${isoOf(u.registeredAt)}): ${orders.join('; ') || 'no orders'}`;
    })
    .join('\n');
}
