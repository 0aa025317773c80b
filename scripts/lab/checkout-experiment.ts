/**
 * Lab step 5: checkout throughput over real connections. N clients loop for a fixed time, each
 * call one transaction in autocommit: CALL process_order(user, one-line cart) against a bare
 * single-row decrement (UPDATE inventory SET quantity = quantity - 1) from the same driver, on
 * products spread over a large set or all on one hot product. The lock cost shows as a ratio.
 */
import pg from 'pg';
import { percentile } from '../../helpers/plan/explain.js';

export type Workload = 'process_order' | 'bare decrement';
export type Spread = 'spread' | 'hot';

export interface ThroughputResult {
  workload: Workload;
  spread: Spread;
  clients: number;
  seconds: number;
  transactions: number;
  errors: number;
  tps: number;
  p50: number;
  p95: number;
  p99: number;
  firstError?: string;
}

export interface CheckoutSetup {
  users: string[];
  products: string[];
  hot: string;
  /** Whether the bare decrement ran without the inventory audit trigger (superuser only). */
  bareWithoutTriggers: boolean;
}

/** Products and buyers for the runs; stock raised so nothing sells out during the lab. */
export async function prepareCheckout(db: pg.ClientBase, products = 1000, users = 1000): Promise<CheckoutSetup> {
  const productIds = (
    await db.query<{ product_id: string }>(`SELECT product_id::text FROM inventory ORDER BY product_id LIMIT $1`, [products])
  ).rows.map((r) => r.product_id);
  const userIds = (
    await db.query<{ user_id: string }>(`SELECT user_id::text FROM users ORDER BY user_id LIMIT $1`, [users])
  ).rows.map((r) => r.user_id);
  if (productIds.length === 0 || userIds.length === 0) throw new Error('checkout experiment: no stocked products or no users');
  await db.query(`UPDATE inventory SET quantity = 1000000000 WHERE product_id = ANY ($1::uuid[])`, [productIds]);
  const superuser = (await db.query<{ su: string }>(`SELECT current_setting('is_superuser') AS su`)).rows[0]!.su === 'on';
  return { users: userIds, products: productIds, hot: productIds[0]!, bareWithoutTriggers: superuser };
}

export async function runThroughput(
  url: string,
  setup: CheckoutSetup,
  options: { workload: Workload; spread: Spread; clients: number; seconds: number; shouldStop?: () => boolean },
): Promise<ThroughputResult> {
  const clients = await Promise.all(
    Array.from({ length: options.clients }, async () => {
      const c = new pg.Client({ connectionString: url });
      c.on('error', () => undefined);
      await c.connect();
      if (options.workload === 'bare decrement' && setup.bareWithoutTriggers)
        await c.query(`SET session_replication_role = replica`);
      return c;
    }),
  );
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  try {
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < deadline && !options.shouldStop?.()) {
          const product = options.spread === 'hot' ? setup.hot : pick(setup.products);
          const t0 = performance.now();
          try {
            if (options.workload === 'process_order') {
              await client.query('CALL process_order($1, $2)', [
                pick(setup.users),
                JSON.stringify([{ product_id: product, quantity: 1 }]),
              ]);
            } else {
              await client.query('UPDATE inventory SET quantity = quantity - 1 WHERE product_id = $1', [product]);
            }
            latencies.push(performance.now() - t0);
          } catch (error) {
            errors++;
            firstError ??= (error as Error).message;
          }
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
  const seconds = (performance.now() - started) / 1000;
  const ms = (p: number) => (latencies.length ? percentile(latencies, p) : NaN);
  return {
    workload: options.workload,
    spread: options.spread,
    clients: options.clients,
    seconds,
    transactions: latencies.length,
    errors,
    tps: latencies.length / seconds,
    p50: ms(50),
    p95: ms(95),
    p99: ms(99),
    ...(firstError ? { firstError } : {}),
  };
}
