/**
 * Task 5, step 1 — "Use generate_series() and random() to populate your tables with a realistic
 * distribution of data." synthesize_commerce (CONTRACT.md (Tasks 5 and 6)) is seeded: the same seed,
 * scale and last day give identical tables (checksums of every row, keys included), another
 * seed different ones. And the data has the shape a Black Friday lab needs: every table filled,
 * 1-5 lines per order (one per product), a few best-sellers and a long tail, busier weekends, a
 * Black Friday spike, repeat buyers whose chance of another order decays, several countries,
 * unit prices that are snapshots (not always today's price), orders up to yesterday.
 */
import { beforeAll, describe, it } from 'vitest';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { fail, failHaveWant } from '../../helpers/vitest/have-want.js';
import { expectSqlState } from '../../helpers/vitest/sqlstate.js';
import { cmpOk, is, isnt } from '../../helpers/vitest/tap.js';

const db = useSpecDatabase({ requires: ['users', 'products', 'inventory', 'orders', 'order_items', 'synthesize_commerce()'] });
/**
 * What "the same rows" means: the columns CONTRACT.md names (keys included). Columns a solution adds
 * (a created_at DEFAULT now(), say) and the audit log's own timestamps and keys are not compared.
 */
const CONTRACT_ROWS: Record<string, string> = {
  users: `(user_id, email, full_name, phone, street_address, postal_code, city, country_code, registered_at, signup_channel)`,
  products: `(product_id, sku, name, price, metadata)`,
  inventory: `(product_id, quantity)`,
  audit_logs: `(table_name, operation, coalesce(after_state, before_state) ->> 'product_id', before_state ->> 'quantity', after_state ->> 'quantity')`,
  orders: `(order_id, user_id, order_date)`,
  order_items: `(order_id, product_id, quantity, unit_price)`,
};
const TABLES = Object.keys(CONTRACT_ROWS);
const ORDERS = 20_000;

async function checksums(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const { rows } = await db.query<{ sum: string; n: string }>(
      `SELECT md5(string_agg(r, E'\\n' ORDER BY r)) AS sum, count(*)::text AS n
         FROM (SELECT ${CONTRACT_ROWS[table]}::text AS r FROM ${table}) AS t`,
    );
    out[table] = `${rows[0]!.n}:${rows[0]!.sum}`;
  }
  return out;
}

async function synthesize(orders: number, seed: number, until: string | null, days: number, products: number): Promise<number> {
  const started = performance.now();
  await db.query(`CALL synthesize_commerce($1, $2, $3::date, $4, $5, true)`, [orders, seed, until, days, products]);
  return performance.now() - started;
}

async function one<T>(sql: string): Promise<T> {
  return (await db.query<T & Record<string, unknown>>(sql)).rows[0]!;
}

describe('Task 5 · synthesize_commerce is seeded: same seed and scale, same data', { tags: ['task5'] }, () => {
  // clause: t5.determinism
  it('two runs with seed 0.42 give identical tables, seed 0.43 different ones', async () => {
    await synthesize(3000, 0.42, '2026-06-30', 120, 300);
    const first = await checksums();
    for (const table of TABLES)
      if (first[table]!.startsWith('0:'))
        failHaveWant(`rows in ${table}`, 0, '> 0', 'synthesize_commerce must populate every table');
    await synthesize(3000, 0.42, '2026-06-30', 120, 300);
    const second = await checksums();
    for (const table of TABLES) {
      if (first[table] !== second[table])
        failHaveWant(
          `checksum of ${table} after a second run with the same seed`,
          second[table],
          first[table],
          'call setseed(seed) before any random(), draw in a fixed order, and derive keys from the seed (not uuidv7()/gen_random_uuid())',
        );
    }
    await synthesize(3000, 0.43, '2026-06-30', 120, 300);
    const other = await checksums();
    isnt(
      other.orders,
      first.orders,
      'orders checksum with seed 0.43 vs seed 0.42',
      'derive every random choice from setseed(p_seed)',
    );
  });
});

describe('Task 5 · synthesize_commerce refuses bad arguments', { tags: ['task5'] }, () => {
  // clause: t5.arguments
  it.each([
    ['p_orders = 0', 'CALL synthesize_commerce(0, 0.42, NULL, 730, NULL, true)'],
    ['p_seed = 2 (setseed takes -1 .. 1)', 'CALL synthesize_commerce(100, 2, NULL, 730, NULL, true)'],
    ['p_days = 10 (fewer than 60)', 'CALL synthesize_commerce(100, 0.42, NULL, 10, NULL, true)'],
  ])('%s → SQLSTATE 22023 (invalid_parameter_value)', (_what, sql) =>
    expectSqlState(
      sql,
      () => db.query(sql),
      '22023',
      "RAISE EXCEPTION USING ERRCODE = '22023' naming the argument and its value",
    ),
  );
});

describe(`Task 5 · synthesized data has a realistic shape (${ORDERS.toLocaleString('en')} orders over two years)`, {
  tags: ['task5'],
}, () => {
  let ms: number;
  beforeAll(async () => {
    ms = await synthesize(ORDERS, 0.42, null, 730, 10_500);
    const { n } = await one<{
      n: string;
    }>(`SELECT ((SELECT count(*) FROM users) + (SELECT count(*) FROM products) + (SELECT count(*) FROM inventory)
                                                     + (SELECT count(*) FROM audit_logs) + (SELECT count(*) FROM orders) + (SELECT count(*) FROM order_items))::text AS n`);
    console.log(
      `[synthesis] ${ORDERS} orders: ${n} rows in ${(ms / 1000).toFixed(2)} s (${Math.round(Number(n) / (ms / 1000)).toLocaleString('en')} rows/s, indexes rebuilt)`,
    );
  });

  // clause: t5.shape-inventory t5.shape-customers
  it('exactly the requested orders, ending yesterday (UTC), with every product stocked', async () => {
    const r = await one<{ orders: number; last_day: string; yesterday: string; unstocked: number }>(`
      SELECT (SELECT count(*) FROM orders)::int AS orders,
             (SELECT max(order_date AT TIME ZONE 'UTC')::date::text FROM orders) AS last_day,
             ((now() AT TIME ZONE 'UTC')::date - 1)::text AS yesterday,
             (SELECT count(*) FROM products AS p WHERE NOT EXISTS (SELECT FROM inventory AS i WHERE i.product_id = p.product_id))::int AS unstocked`);
    is(r.orders, ORDERS, 'orders created', 'create exactly p_orders orders');
    if (r.last_day !== r.yesterday)
      failHaveWant(
        'last UTC day with orders',
        r.last_day,
        r.yesterday,
        'p_until defaults to yesterday: the dashboard headline needs a yesterday row',
      );
    is(r.unstocked, 0, 'products without an inventory row', 'give every product an inventory row');
  });

  // clause: t5.shape-lines
  it('1 to 5 lines per order, every count present, one line per product', async () => {
    const { rows } = await db.query<{ lines: number; orders: number }>(
      `SELECT lines::int, count(*)::int AS orders FROM (SELECT order_id, count(*) AS lines FROM order_items GROUP BY order_id) AS x GROUP BY lines ORDER BY lines`,
    );
    is(
      rows.map((r) => r.lines),
      [1, 2, 3, 4, 5],
      'distinct line counts per order',
      'give orders 1 to 5 lines, each count occurring',
    );
    const dup = await one<{ n: number }>(
      'SELECT count(*)::int AS n FROM (SELECT order_id, product_id FROM order_items GROUP BY 1, 2 HAVING count(*) > 1) AS d',
    );
    is(dup.n, 0, 'orders with two lines of one product', 'one line per product in an order');
  });

  // clause: t5.shape-lines
  it('skewed popularity: the top 1 % of products sell at least 10x their share of lines, half the catalog sells little', async () => {
    const r = await one<{ top_share: number; bottom_half_share: number }>(`
      WITH sold AS (SELECT p.product_id, count(i.product_id) AS n FROM products AS p LEFT JOIN order_items AS i ON i.product_id = p.product_id GROUP BY p.product_id),
           ranked AS (SELECT n, row_number() OVER (ORDER BY n DESC, product_id) AS r, count(*) OVER () AS products FROM sold)
      SELECT (sum(n) FILTER (WHERE r <= products / 100))::float8 / sum(n) AS top_share,
             (sum(n) FILTER (WHERE r > products / 2))::float8 / sum(n) AS bottom_half_share FROM ranked`);
    console.log(
      `[synthesis] top 1 % of products: ${(r.top_share * 100).toFixed(1)} % of lines; bottom half: ${(r.bottom_half_share * 100).toFixed(1)} %`,
    );
    if (!(r.top_share >= 0.1))
      failHaveWant(
        'share of order lines held by the top 1 % of products',
        r.top_share,
        '>= 0.10',
        'draw products from a skewed distribution (e.g. rank = P * random()^3)',
      );
    cmpOk(r.bottom_half_share, '<', 0.2, 'share of order lines held by the bottom half of products', 'skew popularity');
  });

  // clause: t5.shape-days
  it('weekly rhythm: a weekend day has at least 1.2x the orders of a Monday-Thursday day', async () => {
    const r = await one<{ weekend: number; weekday: number }>(`
      SELECT avg(n) FILTER (WHERE dow IN (6, 7))::float8 AS weekend, avg(n) FILTER (WHERE dow BETWEEN 1 AND 4)::float8 AS weekday
        FROM (SELECT (order_date AT TIME ZONE 'UTC')::date AS day, extract(isodow FROM (order_date AT TIME ZONE 'UTC')::date) AS dow, count(*) AS n
                FROM orders GROUP BY 1, 2) AS d`);
    console.log(`[synthesis] orders per day: weekend ${r.weekend.toFixed(1)}, Monday-Thursday ${r.weekday.toFixed(1)}`);
    if (!(r.weekend >= 1.2 * r.weekday))
      failHaveWant(
        'mean orders per weekend day vs per Monday-Thursday day',
        `${r.weekend.toFixed(1)} vs ${r.weekday.toFixed(1)}`,
        'weekend >= 1.2x weekday',
        'weight the days of the week',
      );
  });

  // clause: t5.shape-days
  it('Black Friday spike: at least 3x the median day of the four weeks around it', async () => {
    const { rows } = await db.query<{ black_friday: string; orders: number; median_around: number }>(`
      WITH days AS (SELECT (order_date AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM orders GROUP BY 1),
           novembers AS (SELECT DISTINCT make_date(extract(year FROM day)::int, 11, 1) AS nov1 FROM days),
           -- the day after the fourth Thursday of November, computed here: the solution's helpers are its own
           fridays AS (SELECT nov1 + ((4 - extract(dow FROM nov1)::int + 7) % 7) + 22 AS bf FROM novembers)
      SELECT f.bf::text AS black_friday, coalesce((SELECT n FROM days WHERE day = f.bf), 0)::int AS orders,
             (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY n) FROM days WHERE day BETWEEN f.bf - 14 AND f.bf + 14 AND day NOT BETWEEN f.bf AND f.bf + 3)::float8 AS median_around
        FROM fridays AS f
       WHERE f.bf BETWEEN (SELECT min(day) + 14 FROM days) AND (SELECT max(day) - 14 FROM days)`);
    if (rows.length === 0)
      fail('no Black Friday inside two years of orders', 'Black Friday = the day after the fourth Thursday of November');
    for (const r of rows) {
      console.log(`[synthesis] Black Friday ${r.black_friday}: ${r.orders} orders vs median ${r.median_around} around it`);
      if (!(r.orders >= 3 * r.median_around))
        failHaveWant(
          `orders on Black Friday ${r.black_friday}`,
          r.orders,
          `>= 3 x ${r.median_around}`,
          'multiply the day weight of Black Friday',
        );
    }
  });

  // clause: t5.shape-customers
  it('repeat buyers: a second order is common, and each further order is less likely than the one before', async () => {
    const { rows } = await db.query<{ k: number; buyers: number }>(`
      SELECT k::int, count(*)::int AS buyers FROM (SELECT user_id, count(*) AS n FROM orders GROUP BY user_id) AS u, generate_series(1, 4) AS k WHERE u.n >= k GROUP BY k ORDER BY k`);
    const again = rows.slice(1).map((r, i) => r.buyers / rows[i]!.buyers); // P(>= k+1 | >= k)
    console.log(`[synthesis] P(another order | k orders), k = 1..3: ${again.map((p) => p.toFixed(3)).join(', ')}`);
    cmpOk(again[0]!, '>', 0.2, 'P(a second order | one order)', 'let a share of buyers come back');
    cmpOk(again[0]!, '<', 0.7, 'P(a second order | one order)', 'not every buyer comes back');
    if (!(again[1]! < again[0]! && again[2]! < again[1]!))
      failHaveWant(
        'P(another order) after 1, 2, 3 orders',
        again.map((p) => p.toFixed(3)).join(', '),
        'decreasing',
        'let the chance of buying again decay with every order',
      );
  });

  // clause: t5.shape-customers t5.shape-metadata t5.shape-prices
  it('several countries, organic-cotton shirts in the Task 2 shape, and unit prices that are snapshots', async () => {
    const r = await one<{ countries: number; shirts: number; discounted: number; current: number }>(`
      SELECT (SELECT count(DISTINCT country_code) FROM users)::int AS countries,
             (SELECT count(*) FROM products WHERE metadata @> '{"category": "shirt", "material": "organic cotton"}' AND price BETWEEN 20 AND 60)::int AS shirts,
             (SELECT count(*) FROM order_items AS i JOIN products AS p USING (product_id) WHERE i.unit_price < p.price)::int AS discounted,
             (SELECT count(*) FROM order_items AS i JOIN products AS p USING (product_id) WHERE i.unit_price = p.price)::int AS current`);
    cmpOk(r.countries, '>=', 5, 'distinct users.country_code', 'spread users over at least five countries');
    cmpOk(
      r.shirts,
      '>',
      0,
      'organic-cotton shirts (Task 2 shape) priced within 20-60',
      'include organic-cotton shirts in the catalog',
    );
    cmpOk(
      r.discounted,
      '>',
      0,
      "lines sold below today's price (Black Friday, promotions, before a price rise)",
      'unit_price is a snapshot',
    );
    cmpOk(r.current, '>', 0, "lines sold at today's price", 'most lines sell at the catalog price');
  });
});
