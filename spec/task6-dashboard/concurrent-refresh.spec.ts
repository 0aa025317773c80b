/**
 * Task 6 — "Create a Materialized View named daily_sales_stats … Implement a logic that runs
 * REFRESH MATERIALIZED VIEW CONCURRENTLY", so that readers keep reading the old data meanwhile.
 * Checked from the catalog (the view, the unique index CONCURRENTLY needs) and by behaviour: a
 * refresh is held in progress (its query waits on a lock another session holds on products, whose
 * current names top_products shows: work a refresh does before the view's own query, such as
 * rollups of orders, is done by then), and a reader on a third connection must be answered with
 * the old rows, never wait.
 */

import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertOrder, insertProducts, insertUsers, sampleProduct, sampleUser } from '../../helpers/data/contract-rows.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { fail, failHaveWant } from '../../helpers/vitest/have-want.js';

const db = useSpecDatabase({ requires: ['products', 'orders', 'order_items', 'daily_sales_stats', 'refresh_dashboard()'] });
const VIEW = 'daily_sales_stats';
const HEADLINE_COLUMNS = ['day', 'revenue', 'orders', 'top_products', 'churn_rate', 'revenue_7d_avg'];
/** Money by value: trim_scale makes 10.00, 10.0000 and 10 read alike. */
const READ_YESTERDAY = `SELECT day::text, trim_scale(revenue)::text AS revenue, orders::int FROM daily_sales_stats WHERE day = (now() AT TIME ZONE 'UTC')::date - 1`;
const utcDay = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);

let userId: string;
let productId: string;

/** Polls until `check` returns a value (observing state, not sleeping for a fixed time). */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, limitMs = 15_000): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) fail(`gave up waiting for ${what} after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function backendPid(client: pg.Client): Promise<number> {
  return (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
}

async function waitEvent(pid: number): Promise<{ wait_event_type: string | null; state: string | null; query: string | null }> {
  const { rows } = await db.query<{ wait_event_type: string | null; state: string | null; query: string | null }>(
    'SELECT wait_event_type, state, query FROM pg_stat_activity WHERE pid = $1',
    [pid],
  );
  return rows[0] ?? { wait_event_type: null, state: null, query: null };
}

beforeAll(async () => {
  [userId] = (await insertUsers(db.pool, [sampleUser()])) as [string];
  [productId] = (await insertProducts(db.pool, [sampleProduct({ price: '10.00', name: 'Refresh Probe' })])) as [string];
  for (const offset of [3, 2, 1]) {
    await insertOrder(db.pool, userId, `${utcDay(offset)}T12:00:00Z`, [
      { product_id: productId, quantity: offset, unit_price: '10.00' },
    ]);
  }
});

describe('Task 6 · daily_sales_stats is a materialized view refreshed CONCURRENTLY', {
  tags: ['task6', 'deliverable-materialized-view'],
}, () => {
  // clause: t6.columns
  it('daily_sales_stats is a materialized view with the dashboard columns', async () => {
    const { rows } = await db.query<{ relkind: string }>(
      `SELECT relkind FROM pg_class WHERE oid = to_regclass('public.${VIEW}')`,
    );
    if (!rows[0]) fail(`there is no relation public.${VIEW}`, `CREATE MATERIALIZED VIEW ${VIEW} AS … (one row per UTC day)`);
    if (rows[0].relkind !== 'm')
      failHaveWant(
        `relkind of ${VIEW}`,
        rows[0].relkind === 'v' ? 'a plain view (recomputed on every read)' : rows[0].relkind,
        'm (materialized view)',
        `CREATE MATERIALIZED VIEW ${VIEW}: a plain view recomputes the aggregate on every page load`,
      );
    const columns = (
      await db.query<{ attname: string }>(
        `SELECT attname FROM pg_attribute WHERE attrelid = to_regclass('public.${VIEW}') AND attnum > 0 AND NOT attisdropped`,
      )
    ).rows.map((r) => r.attname);
    const missing = HEADLINE_COLUMNS.filter((c) => !columns.includes(c));
    if (missing.length)
      failHaveWant(
        `columns of ${VIEW}`,
        columns.join(', '),
        HEADLINE_COLUMNS.join(', '),
        `add ${missing.join(', ')} (CONTRACT.md (Tasks 5 and 6))`,
      );
  });

  // clause: t6.day-unique
  it('a unique index on plain columns, without a WHERE clause, makes REFRESH … CONCURRENTLY legal', async () => {
    const { rows } = await db.query<{
      name: string;
      unique: boolean;
      partial: boolean;
      expression: boolean;
      immediate: boolean;
      valid: boolean;
      columns: string;
    }>(
      `SELECT i.indexrelid::regclass::text AS name, i.indisunique AS unique, i.indpred IS NOT NULL AS partial,
              i.indexprs IS NOT NULL AS expression, i.indimmediate AS immediate, i.indisvalid AS valid,
              pg_get_indexdef(i.indexrelid) AS columns
         FROM pg_index AS i WHERE i.indrelid = to_regclass('public.${VIEW}')`,
    );
    const usable = rows.filter((r) => r.unique && !r.partial && !r.expression && r.immediate && r.valid);
    if (usable.length === 0) {
      failHaveWant(
        `unique index on ${VIEW}`,
        rows.length ? rows.map((r) => r.columns).join('; ') : 'no index at all',
        'CREATE UNIQUE INDEX … ON daily_sales_stats (day)',
        'REFRESH MATERIALIZED VIEW CONCURRENTLY needs a unique index on column names (no expression, no WHERE) to match old and new rows',
      );
    }
  });

  // clause: t6.refresh-concurrently
  it('REFRESH MATERIALIZED VIEW CONCURRENTLY succeeds, and so does CALL refresh_dashboard()', async () => {
    try {
      await db.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${VIEW}`);
    } catch (error) {
      failHaveWant(
        `REFRESH MATERIALIZED VIEW CONCURRENTLY ${VIEW}`,
        (error as Error).message,
        'success',
        'create the unique index on daily_sales_stats (day)',
      );
    }
    try {
      await db.query('CALL refresh_dashboard()');
    } catch (error) {
      failHaveWant(
        'CALL refresh_dashboard()',
        (error as Error).message,
        'success',
        'CREATE PROCEDURE refresh_dashboard() that runs REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales_stats',
      );
    }
    const { rows } = await db.query<{ revenue: string }>(READ_YESTERDAY);
    expect(rows[0]?.revenue).toBe('10');
  });

  // clause: t6.refresh-concurrently
  it('while refresh_dashboard() is in progress, a reader on another connection gets the old rows without waiting', async () => {
    await db.query('CALL refresh_dashboard()');
    const before = (await db.query(READ_YESTERDAY)).rows;
    // A new sale yesterday: the next refresh changes yesterday's row.
    await insertOrder(db.pool, userId, `${utcDay(1)}T18:00:00Z`, [{ product_id: productId, quantity: 4, unit_price: '10.00' }]);

    const locker = await db.connect();
    const refresher = await db.connect();
    const reader = await db.connect();
    const [refresherPid, readerPid] = [await backendPid(refresher), await backendPid(reader)];
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE products IN ACCESS EXCLUSIVE MODE');
    let refreshDone = false;
    const refresh = refresher.query('CALL refresh_dashboard()').then(
      () => (refreshDone = true),
      (error: Error) => error,
    );
    try {
      // The refresh is in progress: it has its lock on the view and waits for products (the top
      // products' current names), which only the view's own query reads.
      await waitFor('refresh_dashboard() to wait on the lock held on products', async () => {
        if (refreshDone)
          fail(
            'refresh_dashboard() finished although products was locked',
            'refresh_dashboard() must refresh daily_sales_stats, which reads products (top_products names)',
          );
        return (await waitEvent(refresherPid)).wait_event_type === 'Lock' ? true : undefined;
      });

      let readRows: unknown[] | undefined;
      const read = reader.query(READ_YESTERDAY).then((r) => (readRows = r.rows));
      const outcome = await waitFor('the reader to answer or to wait', async () => {
        if (readRows) return 'answered' as const;
        const activity = await waitEvent(readerPid);
        return activity.wait_event_type === 'Lock' ? ('waiting' as const) : undefined;
      });
      if (outcome === 'waiting') {
        await locker.query('ROLLBACK');
        await read;
        await refresh;
        failHaveWant(
          'a SELECT on daily_sales_stats while refresh_dashboard() runs',
          'the reader waited on a lock (pg_stat_activity.wait_event_type = Lock)',
          'the old rows at once',
          'use REFRESH MATERIALIZED VIEW CONCURRENTLY: a plain REFRESH takes an ACCESS EXCLUSIVE lock that blocks every reader until it commits',
        );
      }
      if (JSON.stringify(readRows) !== JSON.stringify(before)) {
        failHaveWant(
          'rows read during the refresh',
          readRows,
          before,
          'readers must see the old contents until the refresh commits',
        );
      }
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
    }
    const refreshOutcome = await refresh;
    if (refreshOutcome instanceof Error)
      failHaveWant('CALL refresh_dashboard() after the lock was released', refreshOutcome.message, 'success');
    const after = (await db.query<{ revenue: string }>(READ_YESTERDAY)).rows;
    expect(after[0]?.revenue, 'after the refresh commits, yesterday includes the new sale').toBe('50');
    await Promise.all([locker.end(), refresher.end(), reader.end()]);
  });
});
