/**
 * Criterion "Indexing Precision": "Every query in your dashboard MUST result in an Index Scan or
 * Index Only Scan. No Sequential Scans are allowed on tables over 10,000 rows." And the
 * deliverable: EXPLAIN (ANALYZE, BUFFERS) evidence of sub-1 ms indexed queries.
 *
 * On synthesized, ANALYZEd and VACUUMed data with more than 10,000 rows in every table, each file
 * of the dashboard folder (CONTRACT.md (Tasks 5 and 6)) is run warm with EXPLAIN (ANALYZE, BUFFERS):
 *   - no Seq Scan on any relation over 10,000 rows;
 *   - every relation is reached through an Index Scan, Index Only Scan or Bitmap Index Scan,
 *     except a relation of a single 8 kB page (one buffer: reading it whole is the index-free
 *     optimum, e.g. a summary of two dozen cohort months);
 *   - the server's execution time, median of the warm runs, is under 1 ms;
 *   - no shared buffer is read from outside PostgreSQL's cache on a warm run (all hits).
 * The figures are printed.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { DASHBOARD_QUERY_FILES } from '../../contract/required-files.js';
import { useSpecDatabase } from '../../helpers/db/spec-database.js';
import {
  DASHBOARD_FOLDER,
  DASHBOARD_VARIABLES,
  dashboardParameters,
  dashboardQueries,
  describeAccesses,
  isIndexAccess,
  measureQuery,
  type QueryMeasurement,
} from '../../helpers/plan/dashboard-queries.js';
import { fail, failHaveWant } from '../../helpers/vitest/have-want.js';

const db = useSpecDatabase({
  requires: [
    'users',
    'products',
    'inventory',
    'orders',
    'order_items',
    'daily_sales_stats',
    'synthesize_commerce()',
    'refresh_dashboard()',
  ],
});
const sqlDir = inject('suite').sqlDir;
const queries = dashboardQueries(sqlDir);
const BIG = 10_000;
const WARM_RUNS = 21;
const ORDERS = 20_000;
const PRODUCTS = 10_500;

let parameters: Record<string, string>;
let tuples: Map<string, { rows: number; pages: number }>;
const figures: (QueryMeasurement & { file: string })[] = [];

beforeAll(async () => {
  await db.query(`CALL synthesize_commerce(${ORDERS}, 0.42, NULL, 730, ${PRODUCTS}, true)`);
  await db.query('CALL refresh_dashboard()');
  await db.query('VACUUM ANALYZE'); // statistics, and the visibility map index-only scans need
  const { rows } = await db.query<{ relname: string; rows: string; pages: number }>(
    `SELECT c.relname, c.reltuples::bigint::text AS rows, c.relpages AS pages FROM pg_class AS c
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'm', 'p')`,
  );
  tuples = new Map(rows.map((r) => [r.relname, { rows: Number(r.rows), pages: r.pages }]));
  parameters = await dashboardParameters(db);
});

afterAll(() => {
  if (figures.length === 0) return;
  const table = figures.map(
    (f) =>
      `  ${f.name.padEnd(24)} p50 ${f.p50.toFixed(3)} ms  p95 ${f.p95.toFixed(3)} ms  shared hit ${String(f.sharedHit).padStart(4)} read ${f.sharedRead}  ${describeAccesses(f.accesses)}`,
  );
  console.log(`[indexing precision] ${ORDERS} orders, ${WARM_RUNS} warm runs each (server execution time):\n${table.join('\n')}`);
});

describe('Indexing precision · every dashboard query is an index lookup under 1 ms', {
  tags: ['indexing-precision', 'deliverable-explain-log'],
}, () => {
  // clause: t5.load
  it(`the data is big enough: every table holds more than ${BIG.toLocaleString('en')} rows`, () => {
    for (const table of ['users', 'products', 'inventory', 'orders', 'order_items', 'audit_logs']) {
      const n = tuples.get(table)?.rows ?? 0;
      if (n <= BIG)
        failHaveWant(
          `rows in ${table} after synthesize_commerce(${ORDERS}, …, ${PRODUCTS})`,
          n,
          `> ${BIG}`,
          'synthesize_commerce must populate every table',
        );
    }
  });

  // clause: ip.query-files ip.variables
  it(`the dashboard folder ${DASHBOARD_FOLDER} holds the dashboard's queries, one per file`, () => {
    const missing = DASHBOARD_QUERY_FILES.filter((name) => !queries.some((q) => q.name === name));
    if (missing.length > 0)
      failHaveWant(
        `query files in ${path.join(sqlDir, DASHBOARD_FOLDER)}`,
        queries.map((q) => q.name).join(', ') || 'none',
        `every file of CONTRACT.md's dashboard table: ${DASHBOARD_QUERY_FILES.join(', ')} (missing: ${missing.join(', ')})`,
        'put each dashboard query in its own .sql file there',
      );
    for (const q of queries) {
      const unknown = q.query.variables.filter((v) => !(v in DASHBOARD_VARIABLES));
      if (unknown.length)
        failHaveWant(
          `psql variables of ${q.name}.sql`,
          unknown.join(', '),
          Object.keys(DASHBOARD_VARIABLES).join(', '),
          'use only the variables CONTRACT.md (Tasks 5 and 6) defines',
        );
    }
  });

  for (const query of queries) {
    // clause: ip.criterion ip.variables t5.load
    it(`${query.name}.sql`, async () => {
      const m = await measureQuery(db, query, parameters, { runs: WARM_RUNS, warmup: 3 });
      figures.push({ ...m, file: query.file });
      const accesses = describeAccesses(m.accesses);
      for (const access of m.accesses) {
        const size = tuples.get(access.relation) ?? { rows: 0, pages: 0 };
        if (access.nodeType === 'Seq Scan' && size.rows > BIG) {
          failHaveWant(
            `${query.name}.sql: how ${access.relation} (${size.rows} rows) is read`,
            `Seq Scan — plan: ${accesses}`,
            'Index Scan, Index Only Scan or Bitmap Index Scan',
            `add an index that serves this query's condition on ${access.relation}, or read a materialized view instead of the base table`,
          );
        }
        if (!isIndexAccess(access) && access.nodeType !== 'Bitmap Heap Scan' && size.pages > 1) {
          failHaveWant(
            `${query.name}.sql: how ${access.relation} (${size.pages} pages) is reached`,
            `${access.nodeType} — plan: ${accesses}`,
            'Index Scan, Index Only Scan or Bitmap Index Scan',
            'give the query a condition an index can serve (the dashboard reads a few rows, never whole tables)',
          );
        }
      }
      if (m.accesses.length === 0)
        fail(
          `${query.name}.sql reads no relation the plan shows (only function scans?)`,
          'dashboard queries read tables or materialized views directly, so their plans show the index access',
        );
      if (m.runsWithReads > 0) {
        failHaveWant(
          `${query.name}.sql: warm runs reading shared buffers from disk`,
          `${m.runsWithReads} of ${m.runs} (last run: read=${m.sharedRead})`,
          '0 (all shared hits)',
          'a dashboard query touches a handful of pages; reading more means it scans too much',
        );
      }
      if (!(m.p50 < 1)) {
        failHaveWant(
          `${query.name}.sql: median server execution time over ${m.runs} warm runs`,
          `${m.p50.toFixed(3)} ms (p95 ${m.p95.toFixed(3)} ms, ${m.sharedHit} buffers; ${accesses})`,
          '< 1 ms',
          'read the precomputed materialized view or an index that yields the few rows needed, not an aggregate over the base tables',
        );
      }
    });
  }
});
