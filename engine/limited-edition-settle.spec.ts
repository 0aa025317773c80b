/**
 * Settling the limited-edition reservations (limited_edition_settle, sql/42_limited_edition.sql):
 * each reservation becomes exactly one order, keyed by the reservation's id, dated when it was
 * reserved, with one line at the price the buyer reserved at; settling again changes nothing; and
 * so it stays with settlers racing each other and one of them killed in the middle of a batch.
 * Compared with the oracle (helpers/oracles/limited-edition.ts).
 */
import { describe, expect, it } from 'vitest';
import { useSpecDatabase } from '../helpers/db/spec-database.js';
import { expectedSettledOrders } from '../helpers/oracles/limited-edition.js';
import { fireAtOnce, tally } from '../helpers/race/fire-at-once.js';
import { seedStockedProducts, useBuyersOnSessions } from '../spec/task4-checkout/support/checkout.js';
import {
  LIMITED_EDITION_OBJECTS,
  productSales,
  reservations,
  settledOrders,
  shardQuantities,
} from './support/limited-edition.js';

const SETTLERS = 8;
const db = useSpecDatabase({ requires: LIMITED_EDITION_OBJECTS });
const { buyers, sessions } = useBuyersOnSessions(db, 40, SETTLERS);

/** A product in limited-edition mode with `count` reservations of 1 to 3 units, made one after another. */
async function reservedProduct(count: number, price: string) {
  const [product] = (await seedStockedProducts(db.pool, [{ stock: 10 * count, price }])) as [string];
  await db.query('CALL limited_edition_open($1, 4)', [product]);
  for (let i = 0; i < count; i++)
    await db.query('CALL process_limited_order($1, $2, $3)', [buyers[i % buyers.length], product, 1 + (i % 3)]);
  return product;
}

const settle = async (batch: number) =>
  (await db.query<{ p_settled: number }>('CALL limited_edition_settle($1)', [batch])).rows[0]!.p_settled;

describe('Limited-edition mode · settling reservations into orders', () => {
  it('each reservation becomes one order: its id, its reservation time, one line at the reserved price; settling again changes nothing', async () => {
    const product = await reservedProduct(25, '49.00');
    await db.query(`UPDATE products SET price = '59.00' WHERE product_id = $1`, [product]); // the catalog moves on
    const pending = await reservations(db, product);
    const want = expectedSettledOrders(pending);
    let settled = 0;
    for (let n = await settle(7); n > 0; n = await settle(7)) settled += n;
    expect(settled, 'reservations settled').toBe(pending.length);
    expect(await reservations(db, product), 'reservations left').toEqual([]);
    expect(
      await settledOrders(
        db,
        want.map((o) => o.order_id),
      ),
    ).toEqual(want);
    const sales = await productSales(db, product);
    expect(await settle(100), 'a second settle').toBe(0);
    expect(await productSales(db, product), 'orders after settling again').toEqual(sales);
    expect(sales.orders, 'orders of the product').toBe(pending.length);
  });

  it(`${SETTLERS} settlers race, one killed mid-batch: every reservation becomes exactly one order, none is lost`, async () => {
    const product = await reservedProduct(120, '12.50');
    const pending = await reservations(db, product);
    const stockLeft = (await shardQuantities(db, product)).reduce((s, q) => s + q, 0);
    const victim = sessions[0]!.client;
    const victimPid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    victim.on('error', () => undefined);
    // The victim settles a batch and dies before committing it: its batch must come back.
    await victim.query('BEGIN');
    const held = (await victim.query<{ p_settled: number }>('CALL limited_edition_settle(30)')).rows[0]!.p_settled;
    const race = fireAtOnce(
      sessions.slice(1),
      sessions.slice(1).map(() => async (client) => {
        let mine = 0;
        for (let n = 1; n > 0; mine += n)
          n = (await client.query<{ p_settled: number }>('CALL limited_edition_settle(5)')).rows[0]!.p_settled;
        return mine;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50)); // the others are settling when the victim dies
    await db.query('SELECT pg_terminate_backend($1, 10000)', [victimPid]);
    const outcomes = await race;
    expect(tally(outcomes), 'settlers').toEqual({ ok: SETTLERS - 1 });
    expect(held, 'the victim held a batch').toBe(30);
    let rest = 0;
    for (let n = await settle(1000); n > 0; n = await settle(1000)) rest += n;
    const settledByRace = outcomes.reduce((s, o) => s + (o.ok ? o.value : 0), 0);
    expect(settledByRace + rest, 'reservations settled').toBe(pending.length);
    expect(
      await settledOrders(
        db,
        pending.map((r) => r.reservation_id),
      ),
    ).toEqual(expectedSettledOrders(pending));
    const sales = await productSales(db, product);
    expect(sales, 'orders, lines and units of the product').toEqual({
      orders: pending.length,
      lines: pending.length,
      units: pending.reduce((s, r) => s + r.quantity, 0),
    });
    expect(stockLeft + sales.units, 'shards + sold').toBe(10 * 120);
  });
});
