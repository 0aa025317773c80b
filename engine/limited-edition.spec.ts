/**
 * Limited-edition mode (sql/42_limited_edition.sql): many buyers race for one product whose stock
 * is split into shards; each success is a reservation (settling is limited-edition-settle.spec.ts).
 * Whatever the interleaving, against the oracle (helpers/oracles/limited-edition.ts): opening
 * splits the stock as documented, with one audit row per shard; no shard goes below zero; every
 * successful buyer has exactly its reservation; shards + reserved = stock; each shard's audit rows
 * link its opening quantity to its final one, no row without a change; a refusal (SK001) only when
 * the shards together are short; closing gives the rest back to inventory, one audit row per shard.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useSpecDatabase } from '../helpers/db/spec-database.js';
import { expectedReservations, replayShardAudit, shardSplit } from '../helpers/oracles/limited-edition.js';
import { fireAtOnce, tally } from '../helpers/race/fire-at-once.js';
import { failHaveWant } from '../helpers/vitest/have-want.js';
import { propertyOptions } from '../helpers/vitest/property.js';
import { seedStockedProducts, useBuyersOnSessions } from '../spec/task4-checkout/support/checkout.js';
import { LIMITED_EDITION_OBJECTS, reservations, shardAudit, shardQuantities } from './support/limited-edition.js';

const BUYERS = 32;
const db = useSpecDatabase({ requires: LIMITED_EDITION_OBJECTS });
const { buyers, sessions } = useBuyersOnSessions(db, BUYERS);

describe('Limited-edition mode · sharded stock and reservations under racing buyers', () => {
  it(`${BUYERS} buyers race for scarce sharded stock: no oversell, every success reserved, stock conserved, audit exact`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: BUYERS, maxLength: BUYERS }),
        async (stock, shards, quantities) => {
          const [product] = (await seedStockedProducts(db.pool, [{ stock, price: '49.00' }])) as [string];
          await db.query('CALL limited_edition_open($1, $2)', [product, shards]);
          const opening = shardSplit(stock, shards);
          const opened = (await shardAudit(db, product, 'INSERT')).sort((a, b) => a.shard - b.shard);
          expect(opened, `opening audit rows, stock ${stock} in ${shards} shards`).toEqual(
            opening.map((q, shard) => ({ shard, before: 0, after: q })),
          );

          const outcomes = await fireAtOnce(
            sessions,
            buyers.map((buyer, i) => async (client) => {
              const { rows } = await client.query<{ p_order_id: string }>('CALL process_limited_order($1, $2, $3)', [
                buyer,
                product,
                quantities[i],
              ]);
              return { orderId: rows[0]!.p_order_id, userId: buyer, quantity: quantities[i]! };
            }),
            { transaction: true },
          );
          const where = `stock ${stock} in ${shards} shards, outcomes ${JSON.stringify(tally(outcomes))}`;
          const successes = outcomes.flatMap((o) => (o.ok ? [o.value] : []));
          const reserved = successes.reduce((s, x) => s + x.quantity, 0);
          const left = await shardQuantities(db, product);
          if (left.some((q) => q < 0)) failHaveWant(`shards below zero (${where})`, left, 'none below 0');
          expect(await reservations(db, product), `reservations (${where})`).toMatchObject(
            expectedReservations(product, '49.00', successes),
          );
          const leftTotal = left.reduce((s, q) => s + q, 0);
          if (leftTotal + reserved !== stock) failHaveWant(`shards + reserved (${where})`, leftTotal + reserved, stock);
          const replay = replayShardAudit(opening, await shardAudit(db, product, 'UPDATE'));
          if (replay.broken.length > 0)
            failHaveWant(`shard audit rows (${where})`, replay.broken.join('; '), 'one chain per shard');
          expect(replay.final, `shard quantities the audit rows lead to (${where})`).toEqual(left);

          // Stock only goes down, so a buyer refused for want of n units must want more than what is left at the end.
          for (const [i, o] of outcomes.entries()) {
            if (o.ok) continue;
            if (o.code !== 'SK001') failHaveWant(`a refused buyer's SQLSTATE (${where})`, `${o.code}: ${o.message}`, 'SK001');
            if (quantities[i]! <= leftTotal)
              failHaveWant(
                `a refusal of ${quantities[i]} while ${leftTotal} units were left (${where})`,
                o.message,
                'only refused when short',
              );
          }

          await db.query('CALL limited_edition_close($1)', [product]);
          const back = await db.query<{ quantity: number }>('SELECT quantity FROM inventory WHERE product_id = $1', [product]);
          expect(back.rows[0]!.quantity, `inventory after closing (${where})`).toBe(leftTotal);
          const closed = (await shardAudit(db, product, 'DELETE')).sort((a, b) => a.shard - b.shard);
          expect(closed, `closing audit rows (${where})`).toEqual(left.map((q, shard) => ({ shard, before: q, after: 0 })));
        },
      ),
      propertyOptions({ numRuns: 12 }),
    );
  });

  it('units spread thin over the shards are taken where they are, one audit row per shard that changed', async () => {
    const [product] = (await seedStockedProducts(db.pool, [{ stock: 6, price: '10.00' }])) as [string];
    await db.query('CALL limited_edition_open($1, 3)', [product]); // 2 + 2 + 2: no shard holds 3
    await db.query('CALL process_limited_order($1, $2, 3)', [buyers[0], product]);
    const changes = await shardAudit(db, product, 'UPDATE');
    const replay = replayShardAudit(shardSplit(6, 3), changes);
    expect(replay.broken).toEqual([]);
    expect(replay.final).toEqual(await shardQuantities(db, product));
    expect(changes.length, 'audit rows: one per shard the buyer took units from').toBe(2);
    await db.query('CALL process_limited_order($1, $2, 3)', [buyers[1], product]);
    expect(await shardQuantities(db, product)).toEqual([0, 0, 0]);
    const refused = await db
      .query('CALL process_limited_order($1, $2, 1)', [buyers[2], product])
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
