/**
 * Limited-edition mode (sql/42_limited_edition.sql): many buyers race for one product whose stock
 * is split into shards. Whatever the interleaving: no oversell (no shard below zero, every success
 * backed by stock), stock conserved (shards + sold = stock before opening), a refusal only when
 * the shards together are short (SK001), one audit row per changed shard whose before/after
 * quantities add up to what was sold, and closing the mode gives the rest back to inventory.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useSpecDatabase } from '../helpers/db/spec-database.js';
import { fireAtOnce, tally } from '../helpers/race/fire-at-once.js';
import { failHaveWant } from '../helpers/vitest/have-want.js';
import { propertyOptions } from '../helpers/vitest/property.js';
import { seedStockedProducts, useBuyersOnSessions } from '../spec/task4-checkout/support/checkout.js';

const BUYERS = 32;
const db = useSpecDatabase({
  requires: ['inventory', 'process_limited_order()', 'limited_edition_open()', 'limited_edition_close()'],
});
const { buyers, sessions } = useBuyersOnSessions(db, BUYERS);

async function shardAccount(product: string) {
  const { rows } = await db.query<{ left: string; negative: string; sold: string; audited: string; changes: string }>(
    `SELECT (SELECT coalesce(sum(quantity), 0) FROM inventory_shards WHERE product_id = $1)::text AS left,
            (SELECT count(*) FROM inventory_shards WHERE product_id = $1 AND quantity < 0)::text AS negative,
            (SELECT coalesce(sum(quantity), 0) FROM order_items WHERE product_id = $1)::text AS sold,
            (SELECT coalesce(sum((before_state ->> 'quantity')::int - (after_state ->> 'quantity')::int), 0)
               FROM audit_logs WHERE table_name = 'inventory_shards' AND operation = 'UPDATE'
                AND after_state ->> 'product_id' = $1::text)::text AS audited,
            (SELECT count(*) FROM audit_logs WHERE table_name = 'inventory_shards' AND operation = 'UPDATE'
                AND after_state ->> 'product_id' = $1::text
                AND (before_state ->> 'quantity') = (after_state ->> 'quantity'))::text AS changes`,
    [product],
  );
  return rows[0]!;
}

describe('Limited-edition mode · sharded stock under racing buyers', () => {
  it(`${BUYERS} buyers race for scarce sharded stock: no oversell, stock conserved, refusals only when short`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: BUYERS, maxLength: BUYERS }),
        async (stock, shards, quantities) => {
          const [product] = (await seedStockedProducts(db.pool, [{ stock, price: '49.00' }])) as [string];
          await db.query('CALL limited_edition_open($1, $2)', [product, shards]);
          const outcomes = await fireAtOnce(
            sessions,
            buyers.map((buyer, i) => async (client) => {
              await client.query('CALL process_limited_order($1, $2, $3)', [buyer, product, quantities[i]]);
              return quantities[i]!;
            }),
            { transaction: true },
          );
          const sold = outcomes.reduce((s, o) => s + (o.ok ? o.value : 0), 0);
          const a = await shardAccount(product);
          const where = `stock ${stock} in ${shards} shards, outcomes ${JSON.stringify(tally(outcomes))}`;
          if (Number(a.negative) > 0) failHaveWant(`shards below zero (${where})`, a.negative, 0);
          if (Number(a.sold) !== sold) failHaveWant(`units on order lines (${where})`, a.sold, sold);
          if (Number(a.left) + sold !== stock) failHaveWant(`shards + sold (${where})`, Number(a.left) + sold, stock);
          if (Number(a.audited) !== sold) failHaveWant(`units sold according to the audit rows (${where})`, a.audited, sold);
          if (Number(a.changes) !== 0) failHaveWant(`audit rows of shards that did not change (${where})`, a.changes, 0);
          // Stock only goes down, so a buyer refused for want of n units must want more than what is left at the end.
          for (const [i, o] of outcomes.entries()) {
            if (o.ok) continue;
            if (o.code !== 'SK001') failHaveWant(`a refused buyer's SQLSTATE (${where})`, `${o.code}: ${o.message}`, 'SK001');
            if (quantities[i]! <= Number(a.left))
              failHaveWant(
                `a refusal of ${quantities[i]} while ${a.left} units were left (${where})`,
                o.message,
                'only refused when short',
              );
          }
          await db.query('CALL limited_edition_close($1)', [product]);
          const back = await db.query<{ quantity: number }>('SELECT quantity FROM inventory WHERE product_id = $1', [product]);
          expect(back.rows[0]!.quantity, `inventory after closing (${where})`).toBe(Number(a.left));
        },
      ),
      propertyOptions({ numRuns: 12 }),
    );
  });

  it('the last units are sold even when spread thin over the shards (the slow path)', async () => {
    const [product] = (await seedStockedProducts(db.pool, [{ stock: 5, price: '10.00' }])) as [string];
    await db.query('CALL limited_edition_open($1, 5)', [product]); // one unit per shard
    await db.query('CALL process_limited_order($1, $2, 5)', [buyers[0], product]);
    const a = await shardAccount(product);
    expect(Number(a.left)).toBe(0);
    expect(Number(a.audited)).toBe(5);
    const refused = await db
      .query('CALL process_limited_order($1, $2, 1)', [buyers[1], product])
      .catch((e: { code: string }) => e.code);
    expect(refused).toBe('SK001');
  });

  it('process_order does not depend on the mode: a product without shards is refused by process_limited_order (SK002)', async () => {
    const [product] = (await seedStockedProducts(db.pool, [{ stock: 3 }])) as [string];
    const code = await db
      .query('CALL process_limited_order($1, $2, 1)', [buyers[0], product])
      .catch((e: { code: string }) => e.code);
    expect(code).toBe('SK002');
  });
});
