/**
 * Concurrency Safety — "two users buy the final item at the same microsecond": one unit of stock,
 * 60 buyers, each on a server session of its own, fire process_order at once (BEGIN; CALL;
 * COMMIT, as an application does). Exactly one buyer gets the item; every other call fails with
 * the insufficient-stock SQLSTATE; the stock ends at 0 with one order, one order line and one
 * audit row (before quantity 1, after 0). Repeated over several rounds.
 */
import { describe, it } from 'vitest';
import { fireAtOnce, type Outcome, tally } from '../../helpers/race/fire-at-once.js';
import { fail, failHaveWant } from '../../helpers/vitest/have-want.js';
import { inventoryAudit, processOrder, SQLSTATE, seedStockedProducts, stockOf, useCheckoutRace } from './support/checkout.js';

const BUYERS = 60;
const ROUNDS = 10;
const { db, buyers, sessions } = useCheckoutRace(BUYERS);

describe('Concurrency safety · the last item', { tags: ['task4', 'concurrency-safety'] }, () => {
  // clause: t4.lock-under-lock
  it(`${BUYERS} buyers on ${BUYERS} sessions race for 1 unit, ${ROUNDS} rounds: one winner, everyone else refused`, async () => {
    const perRound: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const [product] = (await seedStockedProducts(db.pool, [{ stock: 1, price: '99.90' }])) as [string];
      const auditBefore = (await inventoryAudit(db.pool, [product])).length;
      const outcomes = await fireAtOnce(
        sessions,
        buyers.map((buyer) => (client) => processOrder(client, buyer, [{ product_id: product, quantity: 1 }])),
        { transaction: true },
      );
      const counts = tally(outcomes);
      perRound.push(JSON.stringify(counts));
      const where = `round ${round} of ${ROUNDS}, ${BUYERS} buyers, stock 1`;
      const winners = outcomes.filter((o): o is Extract<Outcome<string>, { ok: true }> => o.ok);
      if (winners.length !== 1) {
        failHaveWant(
          `${where}: calls that succeeded`,
          `${winners.length} successes ${JSON.stringify(counts)}`,
          'exactly 1',
          winners.length > 1
            ? 'two buyers got the last unit (a lost update): lock the inventory row with SELECT … FOR UPDATE before reading the stock, then decrement it'
            : 'nobody got the item: one buyer must win',
        );
      }
      const wrong = outcomes.find((o) => !o.ok && o.code !== SQLSTATE.insufficientStock);
      if (wrong && !wrong.ok) {
        failHaveWant(
          `${where}: how the losing buyers are refused`,
          `SQLSTATE ${wrong.code}: ${wrong.message} (all outcomes ${JSON.stringify(counts)})`,
          `SQLSTATE ${SQLSTATE.insufficientStock} (insufficient stock) for all ${BUYERS - 1} losers`,
          'check the stock read under the row lock and RAISE EXCEPTION with the documented SQLSTATE; a failing CHECK constraint or a swallowed error is not the documented refusal',
        );
      }
      const stock = (await stockOf(db.pool, [product])).get(product);
      if (stock !== 0)
        failHaveWant(`${where}: stock after the race`, stock, 0, 'the winner decrements the stock by the quantity bought');
      const { rows: lines } = await db.query<{ orders: number; lines: number; units: number }>(
        'SELECT count(DISTINCT order_id)::int AS orders, count(*)::int AS lines, coalesce(sum(quantity), 0)::int AS units FROM order_items WHERE product_id = $1',
        [product],
      );
      if (lines[0]!.orders !== 1 || lines[0]!.units !== 1)
        failHaveWant(
          `${where}: orders holding the product`,
          lines[0],
          { orders: 1, lines: 1, units: 1 },
          'only the winner gets an order',
        );
      const orderId = winners[0]!.value;
      const { rows: orderRows } = await db.query<{ user_id: string }>('SELECT user_id FROM orders WHERE order_id = $1', [
        orderId,
      ]);
      if (orderRows.length !== 1)
        fail(`${where}: the returned order id ${orderId} is not in orders`, 'return the new order id in p_order_id');
      const audit = (await inventoryAudit(db.pool, [product])).slice(auditBefore);
      if (audit.length !== 1)
        failHaveWant(
          `${where}: audit_logs rows for the product's inventory`,
          audit.length,
          1,
          'one audit row per changed inventory row, written only when the checkout succeeds',
        );
      const row = audit[0]!;
      if (row.before_quantity !== 1 || row.after_quantity !== 0) {
        failHaveWant(
          `${where}: the audit row's states`,
          { before_state: row.before_state, after_state: row.after_state },
          'before_state.quantity 1, after_state.quantity 0',
          'record to_jsonb(OLD) as before_state and to_jsonb(NEW) as after_state in the inventory trigger',
        );
      }
    }
    console.log(`[task4] last item: ${BUYERS} buyers × ${ROUNDS} rounds → ${perRound.join(' ')}`);
  });
});
