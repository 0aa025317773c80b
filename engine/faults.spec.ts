/**
 * Faults a database engineer tries next, against the reference checkout:
 *  - a backend terminated mid-checkout (its order and lines written, waiting for the stock lock)
 *    leaves no partial order;
 *  - a buyer queued behind a lock past lock_timeout gets SQLSTATE 55P03 (lock_not_available,
 *    CONTRACT.md, Task 4) and nothing changes;
 *  - the server killed with SIGKILL under checkout load restarts, and every invariant holds:
 *    stock + sold = initial, one audit row per stock change, no order without lines, and every
 *    checkout the server acknowledged is there.
 */
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, databaseUrl, uniqueDatabaseName } from '../helpers/db/databases.js';
import { useSpecDatabase } from '../helpers/db/spec-database.js';
import { settleOrBlock } from '../helpers/race/lock-wait.js';
import { crashableServer } from '../helpers/server/crashable.js';
import { applySqlFolder } from '../helpers/sql/load.js';
import { seedBuyers, seedStockedProducts, stockOf } from '../spec/task4-checkout/support/checkout.js';

const db = useSpecDatabase({ requires: ['inventory', 'orders', 'order_items', 'audit_logs', 'process_order()'] });

async function traces(q: pg.ClientBase | pg.Pool, buyer: string, product: string) {
  const { rows } = await q.query<{ orders: string; lines: string; audits: string }>(
    `SELECT (SELECT count(*) FROM orders WHERE user_id = $1)::text AS orders,
            (SELECT count(*) FROM order_items WHERE product_id = $2)::text AS lines,
            (SELECT count(*) FROM audit_logs WHERE table_name = 'inventory' AND operation = 'UPDATE'
                AND after_state ->> 'product_id' = $2::text)::text AS audits`,
    [buyer, product],
  );
  return rows[0]!;
}

/** A session holding the product's stock row locked, and a buyer's checkout queued behind it. */
async function queuedBehindLock(setup?: (buyer: pg.Client) => Promise<void>) {
  const [buyerId] = await seedBuyers(db.pool, 1);
  const [product] = (await seedStockedProducts(db.pool, [{ stock: 5 }])) as [string];
  const holder = await db.connect();
  const buyer = await db.connect();
  await setup?.(buyer);
  const pid = (await buyer.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  await holder.query('BEGIN');
  await holder.query('SELECT quantity FROM inventory WHERE product_id = $1 FOR UPDATE', [product]);
  let settled = false;
  const call = buyer
    .query('CALL process_order($1, $2)', [buyerId, JSON.stringify([{ product_id: product, quantity: 1 }])])
    .then(
      () => 'committed',
      (e: { code?: string }) => e.code ?? 'error',
    )
    .finally(() => (settled = true));
  return { buyerId: buyerId!, product, holder, buyer, pid, call, settled: () => settled };
}

describe('Faults · a checkout interrupted', () => {
  it('a backend terminated while its checkout waits for the stock lock leaves no order, no line, no stock change', async () => {
    const q = await queuedBehindLock();
    q.buyer.on('error', () => undefined);
    const wait = await settleOrBlock(db.pool, q.pid, q.settled);
    expect(wait, 'the checkout must be waiting for the stock lock').not.toBe('done');
    const mid = await traces(db.pool, q.buyerId, q.product); // its writes are not visible: not committed
    await db.query('SELECT pg_terminate_backend($1)', [q.pid]);
    expect(await q.call).not.toBe('committed');
    await q.holder.query('ROLLBACK');
    await q.holder.end();
    expect(await traces(db.pool, q.buyerId, q.product)).toEqual(mid);
    expect(await traces(db.pool, q.buyerId, q.product)).toEqual({ orders: '0', lines: '0', audits: '0' });
    expect((await stockOf(db.pool, [q.product])).get(q.product)).toBe(5);
  });

  it('a buyer queued past lock_timeout gets 55P03 (lock_not_available) and nothing changes', async () => {
    const q = await queuedBehindLock((buyer) => buyer.query(`SET lock_timeout = '300ms'`).then(() => undefined));
    expect(await q.call).toBe('55P03');
    await q.holder.query('ROLLBACK');
    await Promise.all([q.holder.end(), q.buyer.end()]);
    expect(await traces(db.pool, q.buyerId, q.product)).toEqual({ orders: '0', lines: '0', audits: '0' });
    expect((await stockOf(db.pool, [q.product])).get(q.product)).toBe(5);
  });
});

describe('Faults · the server killed with SIGKILL under checkout load', () => {
  const CLIENTS = 8;
  const STOCK = 400;
  let server: Awaited<ReturnType<typeof crashableServer>> | undefined;
  afterAll(() => server?.stop());

  it('restarts, and stock + sold = initial, one audit row per stock change, no order without lines, no acknowledged order lost', async () => {
    server = await crashableServer();
    const name = uniqueDatabaseName('arcane_crash');
    await createDatabase(server.adminUrl, name);
    const url = databaseUrl(server.adminUrl, name);
    const load = await applySqlFolder(url, inject('suite').sqlDir);
    expect(load.failure ?? null).toBeNull();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const buyers = await seedBuyers(admin, CLIENTS);
    const products = await seedStockedProducts(
      admin,
      Array.from({ length: 6 }, () => ({ stock: STOCK })),
    );
    await admin.end();

    const acknowledged: string[] = [];
    let stop = false;
    const workers = buyers.map(async (buyer) => {
      const c = new pg.Client({ connectionString: url });
      let connectionLost = false;
      c.on('error', () => {
        connectionLost = true;
      });
      c.on('end', () => {
        connectionLost = true;
      });
      await c.connect();
      while (!stop && !connectionLost) {
        const lines = products
          .filter(() => Math.random() < 0.4)
          .map((p) => ({ product_id: p, quantity: 1 + Math.floor(Math.random() * 3) }));
        const cart = lines.length ? lines : [{ product_id: products[0]!, quantity: 1 }];
        try {
          const r = await c.query<{ p_order_id: string }>('CALL process_order($1, $2)', [buyer, JSON.stringify(cart)]);
          acknowledged.push(r.rows[0]!.p_order_id);
        } catch {
          // The connection is gone with the server. A dead client rejects at once, so a retry loop
          // without a macrotask pause would starve the timer that sets `stop` (a 100 % CPU hang).
          if (stop || connectionLost) break;
          await new Promise((r) => setTimeout(r, 10));
        }
      }
      await c.end().catch(() => undefined);
    });
    const loadDeadline = Date.now() + 60_000;
    while (acknowledged.length < 60) {
      if (Date.now() > loadDeadline) throw new Error(`only ${acknowledged.length} checkouts acknowledged in 60 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await server.kill();
    stop = true;
    await Promise.all(workers);
    await server.restart();

    const check = new pg.Client({ connectionString: url });
    await check.connect();
    try {
      const stock = await check.query<{ product_id: string; quantity: number; sold: string; changes: string; audited: string }>(
        `SELECT i.product_id::text, i.quantity,
                (SELECT coalesce(sum(l.quantity), 0) FROM order_items AS l WHERE l.product_id = i.product_id)::text AS sold,
                (SELECT count(*) FROM order_items AS l WHERE l.product_id = i.product_id)::text AS changes,
                (SELECT count(*) FROM audit_logs AS a WHERE a.table_name = 'inventory' AND a.operation = 'UPDATE'
                    AND a.after_state ->> 'product_id' = i.product_id::text)::text AS audited
           FROM inventory AS i ORDER BY i.product_id`,
      );
      for (const r of stock.rows) {
        expect(r.quantity + Number(r.sold), `stock + sold of ${r.product_id}`).toBe(STOCK);
        expect(Number(r.audited), `audit rows of ${r.product_id} (one per line that decremented it)`).toBe(Number(r.changes));
      }
      const empty = await check.query(
        `SELECT o.order_id FROM orders AS o WHERE NOT EXISTS (SELECT FROM order_items AS l WHERE l.order_id = o.order_id)`,
      );
      expect(empty.rowCount, 'orders without lines').toBe(0);
      const found = await check.query<{ n: string }>('SELECT count(*)::text AS n FROM orders WHERE order_id = ANY ($1::uuid[])', [
        acknowledged,
      ]);
      expect(Number(found.rows[0]!.n), 'acknowledged orders present after crash recovery').toBe(acknowledged.length);
    } finally {
      await check.end();
    }
  });
});
