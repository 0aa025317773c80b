/**
 * The dashboard side of the bench: a day of new orders (the scale's average day, dated
 * yesterday, bought by existing customers), then CALL refresh_dashboard() while a reader on
 * another connection loops the dashboard's reads; the refresh time and the reader's p99.
 */
import pg from 'pg';
import { percentile } from '../../helpers/plan/explain.js';
import { type CpuUse, startCpuMeter } from './cpu-meter.js';
import { startWaitProfile, type WaitProfile } from './wait-profile.js';

export interface RefreshRun {
  newOrders: number;
  refreshSeconds: number;
  reads: number;
  readerP50Ms: number;
  readerP99Ms: number;
  readerMaxMs: number;
  /** The same reads with no refresh running, just before it: what the machine gives a reader anyway. */
  readerBaselineP50Ms: number;
  readerBaselineP99Ms: number;
  /** The machine's CPU while the refresh ran, and what the refresher and the reader were doing. */
  cpu: CpuUse;
  waits: WaitProfile;
}

const READS = [
  `SELECT * FROM daily_sales_stats WHERE day = (now() AT TIME ZONE 'UTC')::date - 1`,
  'SELECT * FROM cohort_ltv_summary ORDER BY cohort_month',
];

/** A day's worth of orders dated yesterday (UTC), one to three lines each, at today's prices. */
export async function insertDayOfOrders(db: pg.ClientBase, orders: number): Promise<void> {
  await db.query(
    `WITH buyers AS (
       SELECT u.user_id, row_number() OVER () AS n
         FROM (SELECT user_id FROM users TABLESAMPLE SYSTEM (50) LIMIT $1) AS u
     ),
     new_orders AS (
       INSERT INTO orders (user_id, order_date)
       SELECT b.user_id, ((now() AT TIME ZONE 'UTC')::date - 1)::timestamp AT TIME ZONE 'UTC' + random() * interval '1 day'
         FROM generate_series(1, $1) AS g
         JOIN buyers AS b ON b.n = 1 + (g - 1) % greatest(1, (SELECT count(*) FROM buyers))
       RETURNING order_id
     ),
     catalog AS (SELECT product_id, price, row_number() OVER () AS n FROM products),
     picks AS (
       SELECT o.order_id, 1 + floor(random() * (SELECT count(*) FROM catalog))::bigint AS n
         FROM new_orders AS o
         CROSS JOIN LATERAL generate_series(1, 1 + (random() * 2)::int + 0 * length(o.order_id::text)) AS l
     ),
     lines AS (
       SELECT DISTINCT ON (p.order_id, c.product_id) p.order_id, c.product_id, c.price
         FROM picks AS p JOIN catalog AS c ON c.n = p.n
     )
     INSERT INTO order_items (order_id, product_id, quantity, unit_price)
     SELECT l.order_id, l.product_id, 1 + (random() * 2)::int, l.price FROM lines AS l`,
    [orders],
  );
}

export async function timeRefreshWithReader(
  url: string,
  newOrders: number,
  postmaster: number | null = null,
): Promise<RefreshRun> {
  const refresher = new pg.Client({ connectionString: url });
  const reader = new pg.Client({ connectionString: url });
  await Promise.all([refresher.connect(), reader.connect()]);
  try {
    await insertDayOfOrders(refresher, newOrders);
    const baseline: number[] = [];
    for (let i = 0, until = performance.now() + 1000; performance.now() < until; i++) {
      const r0 = performance.now();
      await reader.query(READS[i % READS.length]!);
      baseline.push(performance.now() - r0);
    }
    const latencies: number[] = [];
    let done = false;
    const stopWaits = await startWaitProfile(url);
    const stopCpu = startCpuMeter(postmaster);
    const t0 = performance.now();
    const refresh = refresher.query('CALL refresh_dashboard()').finally(() => (done = true));
    for (let i = 0; !done; i++) {
      const r0 = performance.now();
      await reader.query(READS[i % READS.length]!);
      latencies.push(performance.now() - r0);
    }
    await refresh;
    const refreshSeconds = (performance.now() - t0) / 1000;
    const cpu = stopCpu();
    const waits = await stopWaits();
    return {
      newOrders,
      refreshSeconds,
      reads: latencies.length,
      readerP50Ms: percentile(latencies, 50),
      readerP99Ms: percentile(latencies, 99),
      readerMaxMs: Math.max(...latencies),
      readerBaselineP50Ms: percentile(baseline, 50),
      readerBaselineP99Ms: percentile(baseline, 99),
      cpu,
      waits,
    };
  } finally {
    await Promise.all([refresher.end(), reader.end()]);
  }
}
