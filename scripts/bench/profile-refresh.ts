/** Dev aid: where a refresh after a day of new orders spends its time (npx tsx scripts/bench/profile-refresh.ts 20000). */
import { cliCommand, integerAtLeast } from '../cli.js';
import { insertDayOfOrders } from './refresh.js';
import { withScratchDatabase } from './scratch-database.js';

const [orders, dayOrders] = cliCommand(
  'bench:profile-refresh',
  'Dev aid: where a refresh after a day of new orders spends its time.',
)
  .name('npx tsx scripts/bench/profile-refresh.ts')
  .argument('[orders]', 'orders synthesized first', integerAtLeast(1), 20000)
  .argument('[day]', "new orders before each timed refresh (default: the scale's average day, orders / 730)", integerAtLeast(1))
  .parse().processedArgs as [number, number | undefined];
await withScratchDatabase(async (db) => {
  await db.query('CALL synthesize_commerce(p_orders => $1, p_truncate => true)', [orders]);
  await db.query('VACUUM ANALYZE');
  const time = async (label: string, sql: string, params: unknown[] = []) => {
    const t0 = performance.now();
    await db.query(sql, params);
    process.stdout.write(`${label}: ${(performance.now() - t0).toFixed(1)} ms\n`);
  };
  await time('first refresh', 'CALL refresh_dashboard()');
  for (let round = 0; round < 2; round++) {
    await insertDayOfOrders(db, dayOrders ?? Math.round(orders / 730));
    await db.query('BEGIN');
    await db.query(`SET LOCAL work_mem = '256MB'`);
    await db.query(`CREATE TEMP TABLE changes ON COMMIT DROP AS
      WITH c AS (DELETE FROM dashboard.changes RETURNING day, user_id) SELECT array_agg(DISTINCT day) AS days, array_agg(DISTINCT user_id) AS users FROM c`);
    const { rows } = await db.query<{ days: string; users: string }>('SELECT days::text, users::text FROM changes');
    const { days, users } = rows[0]!;
    process.stdout.write(`changed days ${days}, buyers ${users.split(',').length}\n`);
    await time('sales days', 'CALL dashboard_rollup_sales_days($1::date[])', [days]);
    await time('churn', 'CALL dashboard_rollup_churn($1::uuid[])', [users]);
    await time('cohorts', 'CALL dashboard_rollup_cohorts($1::uuid[])', [users]);
    const plan = await db.query(
      `EXPLAIN (ANALYZE, COSTS OFF) SELECT l.user_id, l.order_date, l.cumulative_revenue, min(l.order_date) OVER (PARTITION BY l.user_id)
         FROM running_ltv AS l WHERE l.user_id = ANY ($1::uuid[])`,
      [users],
    );
    process.stdout.write(`${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
    await time('refresh daily_sales_stats', 'REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales_stats');
    await time('refresh cohort_ltv_summary', 'REFRESH MATERIALIZED VIEW CONCURRENTLY cohort_ltv_summary');
    await db.query('COMMIT');
  }
});
