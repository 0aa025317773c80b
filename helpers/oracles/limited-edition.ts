/**
 * Oracle of the limited-edition mode (sql/42_limited_edition.sql), pure TypeScript: what opening a
 * product's stock into shards gives, what a shard's audit rows must add up to, which reservations
 * the successful buyers must have, and which orders settling them must make.
 */

/** Opening: `stock` split over `shards` sub-rows, the first `stock % shards` one unit larger. */
export function shardSplit(stock: number, shards: number): number[] {
  return Array.from({ length: shards }, (_, shard) => Math.floor(stock / shards) + (shard < stock % shards ? 1 : 0));
}

export interface ShardChange {
  shard: number;
  before: number;
  after: number;
}

/**
 * Replays the UPDATE audit rows of a product's shards from the opening split. Stock only goes down
 * in the mode, so each shard's rows, largest `before` first, must link up: the first starts at the
 * opening quantity, each next one starts where the previous ended. Returns the quantities the rows
 * lead to and every row that breaks the chain (a no-op, a rise, a gap or a fork).
 */
export function replayShardAudit(opening: number[], changes: ShardChange[]): { final: number[]; broken: string[] } {
  const final = [...opening];
  const broken: string[] = [];
  const byShard = new Map<number, ShardChange[]>();
  for (const c of changes) byShard.set(c.shard, [...(byShard.get(c.shard) ?? []), c]);
  for (const [shard, rows] of byShard) {
    if (shard < 0 || shard >= opening.length) {
      broken.push(`shard ${shard} does not exist`);
      continue;
    }
    for (const row of [...rows].sort((a, b) => b.before - a.before)) {
      if (row.after >= row.before) broken.push(`shard ${shard}: ${row.before} -> ${row.after} is no decrement`);
      if (row.before !== final[shard])
        broken.push(`shard ${shard}: a row starts at ${row.before}, the shard was at ${final[shard]}`);
      final[shard] = row.after;
    }
  }
  return { final, broken };
}

export interface Reservation {
  reservation_id: string;
  user_id: string;
  product_id: string;
  quantity: number;
  unit_price: string;
}

/** Every successful buyer has exactly one reservation: its returned id, its own quantity, the price it saw. */
export function expectedReservations(
  product: string,
  price: string,
  successes: { orderId: string; userId: string; quantity: number }[],
): Reservation[] {
  return successes
    .map((s) => ({ reservation_id: s.orderId, user_id: s.userId, product_id: product, quantity: s.quantity, unit_price: price }))
    .sort((a, b) => a.reservation_id.localeCompare(b.reservation_id));
}

export interface SettledOrder {
  order_id: string;
  user_id: string;
  order_date: string;
  lines: { product_id: string; quantity: number; unit_price: string }[];
}

/** Settling: one order per reservation, keyed by its id, dated when reserved, one line at the reserved price. */
export function expectedSettledOrders(reservations: (Reservation & { reserved_at: string })[]): SettledOrder[] {
  return reservations
    .map((r) => ({
      order_id: r.reservation_id,
      user_id: r.user_id,
      order_date: r.reserved_at,
      lines: [{ product_id: r.product_id, quantity: r.quantity, unit_price: r.unit_price }],
    }))
    .sort((a, b) => a.order_id.localeCompare(b.order_id));
}
