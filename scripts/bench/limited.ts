/**
 * The limited-edition side of the bench (sql/42_limited_edition.sql), measured in two steps that
 * together make the same orders strict checkout makes:
 *   1. buyers: process_limited_order on one sharded product, N clients; each success is a committed
 *      reservation (stock taken, audit row, reservation row), the buyer's answer.
 *   2. settle: limited_edition_settle on one connection, batches of SETTLE_BATCH (one transaction
 *      each), until every reservation of step 1 is an order with its line.
 * Reported: reservations/s (step 1), settled orders/s (step 2) and end to end, orders/s =
 * reservations / (step 1 + step 2 seconds): buying and settling taking turns, settling not hidden.
 */
import pg from 'pg';
import type { CheckoutFixture } from './checkout.js';
import { pick, type Transaction } from './load.js';

export const SETTLE_BATCH = 1000;

export interface SettleRun {
  orders: number;
  batches: number;
  seconds: number;
  ordersPerSecond: number;
}

export const limitedEdition =
  (f: CheckoutFixture): Transaction =>
  async (client) => {
    await client.query('CALL process_limited_order($1, $2, 1)', [pick(f.users), f.limited]);
  };

/** Settles every pending reservation, one batch per transaction, and times it. */
export async function settleAll(url: string, batch = SETTLE_BATCH): Promise<SettleRun> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    let orders = 0;
    let batches = 0;
    const t0 = performance.now();
    for (;;) {
      const { rows } = await client.query<{ p_settled: number }>('CALL limited_edition_settle($1)', [batch]);
      const settled = rows[0]!.p_settled;
      if (settled === 0) break;
      orders += settled;
      batches++;
    }
    const seconds = (performance.now() - t0) / 1000;
    return { orders, batches, seconds, ordersPerSecond: orders / seconds };
  } finally {
    await client.end();
  }
}

export interface LimitedAccount {
  /** Shards below zero (the CHECK makes it impossible; counted anyway). */
  oversold: number;
  /** shards + pending reservations + sold since opening = stock at opening. */
  conserved: boolean;
  /** Reservations not yet settled (0 after settleAll). */
  pending: number;
  /** Orders of the limited product made since opening = successful buyers of the runs. */
  orders: number;
  /** Audit rows of shard decrements: one per buyer. */
  auditRows: number;
}

/** The limited product's books after the runs and their settling. */
export async function limitedEditionAccount(db: pg.ClientBase, f: CheckoutFixture): Promise<LimitedAccount> {
  const { rows } = await db.query<{
    left: string;
    pending: string;
    reserved: string;
    sold: string;
    lines: string;
    negative: string;
    audits: string;
  }>(
    `SELECT (SELECT sum(quantity) FROM inventory_shards WHERE product_id = $1)::text AS left,
            (SELECT count(*) FROM limited_edition_reservations WHERE product_id = $1)::text AS pending,
            (SELECT coalesce(sum(quantity), 0) FROM limited_edition_reservations WHERE product_id = $1)::text AS reserved,
            (SELECT coalesce(sum(quantity), 0) FROM order_items WHERE product_id = $1)::text AS sold,
            (SELECT count(*) FROM order_items WHERE product_id = $1)::text AS lines,
            (SELECT count(*) FROM inventory_shards WHERE product_id = $1 AND quantity < 0)::text AS negative,
            (SELECT count(*) FROM audit_logs WHERE table_name = 'inventory_shards' AND operation = 'UPDATE'
                AND after_state ->> 'product_id' = $1::text)::text AS audits`,
    [f.limited],
  );
  const r = rows[0]!;
  return {
    oversold: Number(r.negative),
    conserved: BigInt(r.left) + BigInt(r.reserved) + BigInt(r.sold) - f.soldBefore === BigInt(f.limitedStock),
    pending: Number(r.pending),
    orders: Number(r.lines) - f.linesBefore,
    auditRows: Number(r.audits),
  };
}

/** The table rows of the limited-edition figures: its parts, then its books. */
export function limitedRows(
  pair: {
    denominatorTps: number;
    settle?: { reservationsTps: number; settleOrdersPerSecond: number; runs: (SettleRun & { loadAverage1m: number })[] };
  },
  a: LimitedAccount,
  buyers: number,
): string[][] {
  const s = pair.settle!;
  const books = [
    a.oversold === 0 ? 'no shard below 0' : `${a.oversold} SHARDS BELOW 0`,
    a.conserved ? 'shards + reserved + sold = initial' : 'NOT CONSERVED',
    a.orders === buyers && a.pending === 0
      ? `${a.orders} orders = buyers`
      : `${a.orders} orders, ${a.pending} pending, ${buyers} buyers`,
    a.auditRows === buyers ? 'one audit row each' : `${a.auditRows} audit rows for ${buyers} buyers`,
  ];
  return [
    [
      '  reservations / strict',
      `${(s.reservationsTps / pair.denominatorTps).toFixed(2)}×`,
      '',
      `${s.reservationsTps.toFixed(0)} / ${pair.denominatorTps.toFixed(0)} tx/s (the buyers' answers)`,
      '',
    ],
    [
      '  settle',
      `${s.settleOrdersPerSecond.toFixed(0)} orders/s`,
      '',
      `1 connection, batches of ${SETTLE_BATCH}, ${s.runs.reduce((n, r) => n + r.batches, 0)} transactions`,
      s.runs.map((r) => r.loadAverage1m.toFixed(1)).join(' '),
    ],
    ['limited edition oversell', String(a.oversold), '0', books.join(', '), ''],
  ];
}
