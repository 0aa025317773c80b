/**
 * Concurrency Safety — deadlock freedom: carts naming the same two products in opposite orders,
 * {X, Y} and {Y, X}, fired concurrently from separate sessions, round after round. A procedure
 * that locks in cart order lets one session hold X while waiting for Y and the other hold Y
 * while waiting for X: PostgreSQL then aborts one with 40P01 (deadlock detected). Locking in one
 * deterministic order (product_id) makes that impossible: zero 40P01 however often it runs.
 */
import { describe, it } from 'vitest';
import { fireAtOnce, tally } from '../../helpers/race/fire-at-once.js';
import { failHaveWant } from '../../helpers/vitest/have-want.js';
import { processOrder, SQLSTATE, seedStockedProducts, stockOf, useCheckoutRace } from './support/checkout.js';

const SESSIONS = 16; // half buy {X, Y}, half {Y, X}
const ROUNDS = 40;
const STOCK = 1_000_000;
const { db, buyers, sessions } = useCheckoutRace(SESSIONS);

describe('Concurrency safety · no deadlock between opposite-order carts', { tags: ['task4', 'concurrency-safety'] }, () => {
  // clause: t4.lock-order
  it(`${(SESSIONS / 2) * ROUNDS} pairs of carts {X, Y} and {Y, X} fired at once: zero 40P01`, async () => {
    const [x, y] = (await seedStockedProducts(db.pool, [{ stock: STOCK }, { stock: STOCK }])) as [string, string];
    const forward = [
      { product_id: x, quantity: 1 },
      { product_id: y, quantity: 1 },
    ];
    const backward = [
      { product_id: y, quantity: 1 },
      { product_id: x, quantity: 1 },
    ];
    const totals: Record<string, number> = {};
    let calls = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const outcomes = await fireAtOnce(
        sessions,
        buyers.map((buyer, i) => (client) => processOrder(client, buyer, i % 2 === 0 ? forward : backward)),
        { transaction: true },
      );
      calls += outcomes.length;
      for (const [k, v] of Object.entries(tally(outcomes))) totals[k] = (totals[k] ?? 0) + v;
      const deadlock = outcomes.find((o) => !o.ok && o.code === SQLSTATE.deadlock);
      if (deadlock && !deadlock.ok) {
        failHaveWant(
          `round ${round}: carts {X, Y} and {Y, X} at once`,
          `SQLSTATE 40P01: ${deadlock.message} (${JSON.stringify(totals)} after ${calls} calls)`,
          'no deadlock',
          "lock the cart's inventory rows in one deterministic order for every cart: SELECT … FROM inventory WHERE product_id = ANY (…) ORDER BY product_id FOR UPDATE",
        );
      }
      const other = outcomes.find((o) => !o.ok);
      if (other && !other.ok)
        failHaveWant(
          `round ${round}: every call with ample stock`,
          `SQLSTATE ${other.code}: ${other.message}`,
          'success',
          'with a million units in stock every checkout must succeed',
        );
    }
    const stock = await stockOf(db.pool, [x, y]);
    const sold = ROUNDS * SESSIONS;
    if (stock.get(x) !== STOCK - sold || stock.get(y) !== STOCK - sold) {
      failHaveWant(
        'stock of X and Y after every round',
        { x: stock.get(x), y: stock.get(y) },
        { x: STOCK - sold, y: STOCK - sold },
        'each successful cart takes one unit of each product',
      );
    }
    console.log(
      `[task4] deadlock freedom: ${calls} calls (${calls / 2} opposite-order pairs, ${SESSIONS} sessions × ${ROUNDS} rounds) → ${JSON.stringify(totals)}, 40P01: ${totals[SQLSTATE.deadlock] ?? 0}`,
    );
  });
});
