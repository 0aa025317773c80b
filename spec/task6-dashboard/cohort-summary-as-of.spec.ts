/**
 * Task 6 — cohort_ltv_summary is cohort_ltv(now()) at refresh time (CONTRACT.md): a buyer whose
 * first purchase lies after the refresh is in no cohort yet. Two past buyers in two months, and a
 * third whose only order is dated an hour after the server's clock; the summary's months and sizes
 * are compared with a count of the buyers whose first purchase precedes the refresh.
 */
import { beforeAll, describe, it } from 'vitest';
import { insertOrder, insertProducts, insertUsers, sampleProduct, sampleUser } from '../../helpers/data/contract-rows.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { is } from '../../helpers/vitest/tap.js';

const db = useSpecDatabase({
  requires: ['users', 'products', 'orders', 'order_items', 'cohort_ltv_summary', 'refresh_dashboard()'],
});
const DAY_MS = 86_400_000;

let want: string[];

beforeAll(async () => {
  const [early, later, future] = (await insertUsers(
    db.pool,
    Array.from({ length: 3 }, () => sampleUser()),
  )) as [string, string, string];
  const [product] = (await insertProducts(db.pool, [sampleProduct({ price: '10.00' })])) as [string];
  const serverNow = (await db.pool.query<{ ms: string }>('SELECT (extract(epoch FROM now()) * 1000)::bigint::text AS ms'))
    .rows[0]!.ms;
  const now = Number(serverNow);
  const at = (ms: number) => new Date(ms).toISOString();
  const line = [{ product_id: product, quantity: 1, unit_price: '10.00' }];
  await insertOrder(db.pool, early, at(now - 70 * DAY_MS), line);
  await insertOrder(db.pool, early, at(now - 10 * DAY_MS), line);
  await insertOrder(db.pool, later, at(now - 40 * DAY_MS), line);
  await insertOrder(db.pool, future, at(now + 3_600_000), line); // first purchase an hour after the refresh
  const month = (ms: number) => `${new Date(ms).toISOString().slice(0, 7)}-01`;
  const sizes = new Map<string, number>();
  for (const first of [now - 70 * DAY_MS, now - 40 * DAY_MS]) sizes.set(month(first), (sizes.get(month(first)) ?? 0) + 1);
  want = [...sizes].map(([m, n]) => `${m}:${n}`).sort();
  await db.pool.query('CALL refresh_dashboard()');
});

describe('Task 6 · cohort_ltv_summary as of the refresh', { tags: ['task6', 'deliverable-materialized-view'] }, () => {
  // clause: t6.cohort-summary
  it('a buyer whose first purchase is after the refresh is in no cohort of cohort_ltv_summary', async () => {
    const { rows } = await db.pool.query<{ m: string; n: string }>(
      `SELECT to_char(cohort_month, 'YYYY-MM-DD') AS m, cohort_size::text AS n FROM cohort_ltv_summary`,
    );
    is(
      rows.map((r) => `${r.m}:${r.n}`).sort(),
      want,
      'cohort months and sizes of cohort_ltv_summary after refresh_dashboard() (month:size)',
      'the summary is cohort_ltv(now()) at refresh time: count only buyers whose first purchase is before now()',
    );
  });
});
