/**
 * Concurrency Safety — deterministic interleavings, written as step lists in the manner of
 * PostgreSQL's isolation tests. Session A calls process_order inside an open transaction; session
 * B's call for the same product is then observed waiting on A's lock (pg_stat_activity
 * wait_event_type = 'Lock' and pg_blocking_pids naming A — polled, never assumed after a sleep).
 * Whatever A does next decides B's fate: A commits the last unit → B is refused; A rolls back →
 * B gets it. Further permutations show the lock is FOR UPDATE (a FOR KEY SHARE holder makes the
 * buyer wait), per row, and taken in product_id order.
 */
import { afterAll, describe, it } from 'vitest';
import { type ObservedWait, runPermutation, type Step } from '../../helpers/race/isolation-steps.js';
import { failHaveWant } from '../../helpers/vitest/have-want.js';
import { CALL_PROCESS_ORDER, type CartLine, SQLSTATE, seedShop, stockOf, useCheckoutDatabase } from './support/checkout.js';

const db = useCheckoutDatabase();
const observedWaits: ObservedWait[] = [];

const begin = (session: string): Step => ({ session, label: 'BEGIN', sql: 'BEGIN' });
const commit = (session: string): Step => ({ session, label: 'COMMIT', sql: 'COMMIT' });
const rollback = (session: string): Step => ({ session, label: 'ROLLBACK', sql: 'ROLLBACK' });
const buy = (session: string, buyer: string, label: string, cart: CartLine[]): Step => ({
  session,
  label: `buy ${label}`,
  sql: CALL_PROCESS_ORDER,
  params: [buyer, JSON.stringify(cart)],
});

afterAll(() => {
  const summary = observedWaits.map(
    (w) => `${w.step} waited for ${w.waitingFor.join(',')} (${w.waitEventType}/${w.waitEvent}, pg_locks ${w.lockType})`,
  );
  console.log(`[task4] observed lock waits (${observedWaits.length}):\n  ${summary.join('\n  ')}`);
});

async function expectTranscript(check: string, sessions: string[], steps: Step[], want: string[], fix: string): Promise<void> {
  const run = await runPermutation(db, db.pool, sessions, steps);
  observedWaits.push(...run.waits);
  if (JSON.stringify(run.transcript) !== JSON.stringify(want)) {
    const errors = Object.entries(run.errors).map(([k, e]) => `${k}: ${e.code} ${e.message}`);
    failHaveWant(
      check,
      `\n      ${run.transcript.join('\n      ')}${errors.length ? `\n    errors:\n      ${errors.join('\n      ')}` : ''}`,
      `\n      ${want.join('\n      ')}`,
      fix,
    );
  }
}

async function scene(stocks: number[]) {
  const { buyers, products } = await seedShop(
    db.pool,
    3,
    stocks.map((stock) => ({ stock })),
  );
  const [a, b, c] = buyers as [string, string, string];
  return { a, b, c, products };
}

describe('Concurrency safety · isolation step lists', { tags: ['task4', 'concurrency-safety'] }, () => {
  // clause: t4.lock-under-lock t4.read-committed-reread
  it('A takes the last unit and commits: B waits for A, then is refused', async () => {
    const {
      a,
      b,
      products: [p],
    } = await scene([1]);
    const one = [{ product_id: p!, quantity: 1 }];
    await expectTranscript(
      'permutation "A buys the last unit, B waits, A commits"',
      ['A', 'B'],
      [begin('A'), buy('A', a, 'P×1', one), buy('B', b, 'P×1', one), commit('A')],
      [
        'A: BEGIN → ok',
        'A: buy P×1 → ok',
        'B: buy P×1 → waiting for A',
        'A: COMMIT → ok',
        `B: buy P×1 → error ${SQLSTATE.insufficientStock}`,
      ],
      'B must block on the row A locked (SELECT … FOR UPDATE) and, once A commits, re-read the stock (0) and RAISE EXCEPTION with SQLSTATE SK001',
    );
    const stock = (await stockOf(db.pool, [p!])).get(p!);
    if (stock !== 0) failHaveWant('stock of P after A committed', stock, 0);
  });

  // clause: t4.lock-under-lock
  it('A takes the last unit and rolls back: B waits for A, then gets it', async () => {
    const {
      a,
      b,
      products: [p],
    } = await scene([1]);
    const one = [{ product_id: p!, quantity: 1 }];
    await expectTranscript(
      'permutation "A buys the last unit, B waits, A rolls back"',
      ['A', 'B'],
      [begin('A'), buy('A', a, 'P×1', one), buy('B', b, 'P×1', one), rollback('A')],
      ['A: BEGIN → ok', 'A: buy P×1 → ok', 'B: buy P×1 → waiting for A', 'A: ROLLBACK → ok', 'B: buy P×1 → ok'],
      'after A rolls back, the unit is in stock again: B must get it',
    );
    const { rows } = await db.query<{ user_id: string }>(
      'SELECT o.user_id FROM orders AS o JOIN order_items AS i USING (order_id) WHERE i.product_id = $1',
      [p],
    );
    if (rows.length !== 1 || rows[0]!.user_id !== b)
      failHaveWant(
        'buyers holding an order for P',
        rows.map((r) => (r.user_id === b ? 'B' : r.user_id === a ? 'A' : r.user_id)),
        ['B'],
        "A's rolled-back order must leave no trace",
      );
    const stock = (await stockOf(db.pool, [p!])).get(p!);
    if (stock !== 0) failHaveWant('stock of P after B bought it', stock, 0);
  });

  // clause: t4.lock-under-lock
  it('the stock row is locked FOR UPDATE: a session holding it FOR KEY SHARE makes the buyer wait', async () => {
    const {
      a,
      products: [p],
    } = await scene([1]);
    // FOR KEY SHARE conflicts with FOR UPDATE only: a buyer taking FOR SHARE, FOR NO KEY UPDATE or
    // no lock before its UPDATE goes straight through. Deterministic, where two racing buyers
    // under FOR SHARE deadlock only when their timing overlaps.
    await expectTranscript(
      'permutation "K holds P FOR KEY SHARE, A buys P, K commits"',
      ['K', 'A'],
      [
        begin('K'),
        {
          session: 'K',
          label: 'lock P FOR KEY SHARE',
          sql: 'SELECT 1 FROM inventory WHERE product_id = $1 FOR KEY SHARE',
          params: [p],
        },
        buy('A', a, 'P×1', [{ product_id: p!, quantity: 1 }]),
        commit('K'),
      ],
      ['K: BEGIN → ok', 'K: lock P FOR KEY SHARE → ok', 'A: buy P×1 → waiting for K', 'K: COMMIT → ok', 'A: buy P×1 → ok'],
      "lock the cart's inventory rows with SELECT … FOR UPDATE (not FOR SHARE or FOR NO KEY UPDATE) before checking and decrementing the stock",
    );
  });

  // clause: t4.read-committed-reread
  it('two units: B waits for A, then also succeeds (waiting is not refusing)', async () => {
    const {
      a,
      b,
      products: [p],
    } = await scene([2]);
    const one = [{ product_id: p!, quantity: 1 }];
    await expectTranscript(
      'permutation "stock 2, A buys 1, B waits, A commits"',
      ['A', 'B'],
      [begin('A'), buy('A', a, 'P×1', one), buy('B', b, 'P×1', one), commit('A')],
      ['A: BEGIN → ok', 'A: buy P×1 → ok', 'B: buy P×1 → waiting for A', 'A: COMMIT → ok', 'B: buy P×1 → ok'],
      'B must re-read the stock after the lock is released (1 left) and succeed',
    );
    const stock = (await stockOf(db.pool, [p!])).get(p!);
    if (stock !== 0) failHaveWant('stock of P after both bought', stock, 0);
  });

  // clause: t4.lock-granularity
  it('the lock is per product: B buying another product does not wait for A', async () => {
    const {
      a,
      b,
      products: [p, q],
    } = await scene([1, 1]);
    await expectTranscript(
      'permutation "A holds P, B buys Q"',
      ['A', 'B'],
      [
        begin('A'),
        buy('A', a, 'P×1', [{ product_id: p!, quantity: 1 }]),
        buy('B', b, 'Q×1', [{ product_id: q!, quantity: 1 }]),
        commit('A'),
      ],
      ['A: BEGIN → ok', 'A: buy P×1 → ok', 'B: buy Q×1 → ok', 'A: COMMIT → ok'],
      "lock only the cart's inventory rows (SELECT … FOR UPDATE), not the whole table (LOCK TABLE)",
    );
  });

  // clause: t4.lock-order
  it('locks are taken in product_id order: a waiting cart holds none of its other rows', async () => {
    const { a, b, c, products } = await scene([5, 5]);
    const [x, y] = [...products].sort() as [string, string]; // uuid order = byte order = lowercase hex order
    await expectTranscript(
      'permutation "A holds X; B wants {Y, X}; C wants Y"',
      ['A', 'B', 'C'],
      [
        begin('A'),
        buy('A', a, 'X×1', [{ product_id: x, quantity: 1 }]),
        buy('B', b, 'Y×1 + X×1', [
          { product_id: y, quantity: 1 },
          { product_id: x, quantity: 1 },
        ]),
        buy('C', c, 'Y×1', [{ product_id: y, quantity: 1 }]),
        commit('A'),
      ],
      [
        'A: BEGIN → ok',
        'A: buy X×1 → ok',
        'B: buy Y×1 + X×1 → waiting for A',
        'C: buy Y×1 → ok',
        'A: COMMIT → ok',
        'B: buy Y×1 + X×1 → ok',
      ],
      "lock the cart's rows ORDER BY product_id: B must queue for X (the smaller id) before locking Y, so C is not stuck behind B; locking in cart order is what lets opposite-order carts deadlock",
    );
  });
});
