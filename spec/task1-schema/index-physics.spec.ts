/**
 * Criterion "Hardware Awareness": why UUID v7 over random v4, measured. The same 100,000 inserts
 * keyed by the solution's own key default and by gen_random_uuid(); pgstatindex must show the
 * solution's index denser (time-ordered keys fill the right-most leaf instead of splitting
 * random pages). Figures are printed; nothing here is a wall-clock assertion.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { columnsOf } from '../../helpers/catalog/introspect.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import { fail, failHaveWant } from '../../helpers/vitest/have-want.js';

const db = useSpecDatabase({ requires: ['orders'] });
const ROWS = 100_000;
/** v7 leaves fill to ~90 %, random v4 leaves to ~70 %; anything under this margin is noise. */
const MIN_DENSITY_MARGIN = 10;

interface IndexStats {
  avg_leaf_density: number;
  leaf_pages: number;
  index_size: number;
  leaf_fragmentation: number;
}

/** pgstattuple is not a trusted extension: the harness installs it in a schema of its own (admin session). */
const STATS_SCHEMA = `arcane_stats_${Math.random().toString(16).slice(2, 10)}`;

async function buildAndMeasure(table: string, keyDefault: string): Promise<IndexStats> {
  await db.query(`CREATE TABLE public.${table} (id uuid PRIMARY KEY DEFAULT ${keyDefault}, n integer NOT NULL)`);
  await db.query(`INSERT INTO public.${table} (n) SELECT g FROM generate_series(1, ${ROWS}) AS g`);
  // pgstatindex reads the index's pages only: no solution code runs on the admin session.
  const { rows } = await db.asAdmin((admin) =>
    admin.query<IndexStats>(
      `SELECT avg_leaf_density::float8 AS avg_leaf_density, leaf_pages::int AS leaf_pages, index_size::bigint::float8 AS index_size,
              leaf_fragmentation::float8 AS leaf_fragmentation
         FROM ${STATS_SCHEMA}.pgstatindex('public.${table}_pkey'::pg_catalog.regclass)`,
    ),
  );
  return rows[0]!;
}

describe('Hardware awareness · UUID v7 keeps the B-tree dense', { tags: ['hardware-awareness', 'task1'] }, () => {
  let solutionDefault: string;
  beforeAll(async () => {
    await db
      .asAdmin(async (admin) => {
        await admin.query(`CREATE SCHEMA ${STATS_SCHEMA}`);
        await admin.query(`CREATE EXTENSION IF NOT EXISTS pgstattuple SCHEMA ${STATS_SCHEMA}`);
      })
      .catch((error: Error) =>
        fail(
          `CREATE EXTENSION pgstattuple failed: ${error.message}`,
          'run the suite on a server with contrib installed (the harness installs pgstattuple itself)',
        ),
      );
    const expr = (await columnsOf(db, 'orders')).get('order_id')?.defaultExpr;
    if (!expr) failHaveWant('orders.order_id default', 'none', 'DEFAULT uuidv7()', 'give orders.order_id a uuidv7() default');
    solutionDefault = expr;
  });

  // clause: t1.uuidv7-default
  it(`${ROWS.toLocaleString('en')} inserts: the solution's key default builds a denser index than gen_random_uuid()`, async () => {
    const solution = await buildAndMeasure('physics_solution_keys', solutionDefault);
    const random = await buildAndMeasure('physics_random_v4_keys', 'gen_random_uuid()');
    console.log(
      [
        `[index physics] ${ROWS} inserts, primary key index by pgstatindex:`,
        `  DEFAULT ${solutionDefault.padEnd(18)} avg_leaf_density ${solution.avg_leaf_density.toFixed(2)} %  leaf_pages ${solution.leaf_pages}  size ${(solution.index_size / 1024 / 1024).toFixed(2)} MiB`,
        `  DEFAULT ${'gen_random_uuid()'.padEnd(18)} avg_leaf_density ${random.avg_leaf_density.toFixed(2)} %  leaf_pages ${random.leaf_pages}  size ${(random.index_size / 1024 / 1024).toFixed(2)} MiB`,
      ].join('\n'),
    );
    if (!(solution.avg_leaf_density >= random.avg_leaf_density + MIN_DENSITY_MARGIN)) {
      failHaveWant(
        'avg_leaf_density of the solution key index vs random v4',
        `${solution.avg_leaf_density.toFixed(2)} % vs ${random.avg_leaf_density.toFixed(2)} %`,
        `at least ${MIN_DENSITY_MARGIN} points denser than v4`,
        'use time-ordered UUID v7 keys: random keys split pages in the middle of the index',
      );
    }
    if (!(solution.leaf_pages < random.leaf_pages)) {
      failHaveWant(
        'leaf pages of the solution key index vs random v4',
        `${solution.leaf_pages} vs ${random.leaf_pages}`,
        'fewer leaf pages',
        'use time-ordered UUID v7 keys',
      );
    }
    expect(solution.leaf_pages).toBeGreaterThan(0);
  });
});
