/**
 * The dashboard's query files (one query per file in <sql>/queries/dashboard, CONTRACT.md (Tasks 5 and 6))
 * and how they are measured: EXPLAIN (ANALYZE, BUFFERS) on warm runs, server execution time,
 * shared buffers hit/read, and how each relation is reached. Used by the lab and by the
 * indexing-precision spec, so both report the same figures the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Queryable } from '../db/queryable.js';
import { loadQueryFile, type QueryFile } from '../sql/query-file.js';
import { type ExplainResult, median, type PlanNode, percentile, type RelationAccess, relationAccesses } from './explain.js';

export const DASHBOARD_FOLDER = path.join('queries', 'dashboard');

/** The variables a dashboard query may use, and what the lab and the specs bind to them. */
export const DASHBOARD_VARIABLES: Record<string, string> = {
  day: 'a UTC date (the lab and specs bind yesterday)',
  user_id: 'a customer (the lab and specs bind the customer with the most orders)',
  product_id: 'a product (the lab and specs bind the median seller among products that sold)',
};

export interface DashboardQuery {
  name: string;
  file: string;
  query: QueryFile;
}

export function dashboardQueries(sqlDir: string): DashboardQuery[] {
  const folder = path.join(sqlDir, DASHBOARD_FOLDER);
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => {
      const file = path.join(folder, f);
      let loaded: QueryFile | undefined;
      // Parsed on first use, so a broken file fails its own check, not the whole spec file's collection.
      return {
        name: f.replace(/\.sql$/, ''),
        file,
        get query() {
          if (loaded === undefined) loaded = loadQueryFile(file);
          return loaded;
        },
      };
    });
}

/** Values for DASHBOARD_VARIABLES, chosen from the data as documented there. */
export async function dashboardParameters(db: Queryable): Promise<Record<string, string>> {
  const { rows } = await db.query<{ day: string; user_id: string | null; product_id: string | null }>(`
    SELECT ((now() AT TIME ZONE 'UTC')::date - 1)::text AS day,
           (SELECT o.user_id FROM orders AS o GROUP BY o.user_id ORDER BY count(*) DESC, o.user_id LIMIT 1)::text AS user_id,
           (SELECT s.product_id
              FROM (SELECT i.product_id, count(*) AS n, row_number() OVER (ORDER BY count(*), i.product_id) AS k,
                           count(*) OVER () AS sold
                      FROM order_items AS i GROUP BY i.product_id) AS s
             WHERE s.k = (s.sold + 1) / 2)::text AS product_id`);
  const row = rows[0]!;
  return {
    day: row.day,
    user_id: row.user_id ?? '00000000-0000-7000-8000-000000000000',
    product_id: row.product_id ?? '00000000-0000-7000-8000-000000000000',
  };
}

export interface QueryMeasurement {
  name: string;
  runs: number;
  executionMs: number[];
  p50: number;
  p95: number;
  /** Shared buffers of the last run's execution (planning excluded). */
  sharedHit: number;
  sharedRead: number;
  /** Runs that read at least one shared buffer from outside PostgreSQL's cache. */
  runsWithReads: number;
  accesses: RelationAccess[];
  plan: PlanNode;
  /** EXPLAIN (ANALYZE, BUFFERS) text of the last run, for the logs. */
  text: string;
}

/** EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) `runs` times after `warmup` unmeasured runs. */
export async function measureQuery(
  db: Queryable,
  query: DashboardQuery,
  values: Record<string, unknown>,
  options: { runs?: number; warmup?: number } = {},
): Promise<QueryMeasurement> {
  const runs = options.runs ?? 20;
  const warmup = options.warmup ?? 3;
  const bound = query.query.bind(values);
  const explainJson = async () => {
    const { rows } = await db.query<{ 'QUERY PLAN': ExplainResult[] }>(
      `EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) ${bound.text}`,
      bound.values,
    );
    return rows[0]!['QUERY PLAN'][0]!;
  };
  for (let i = 0; i < warmup; i++) await explainJson();
  const executionMs: number[] = [];
  let last: ExplainResult | undefined;
  let runsWithReads = 0;
  for (let i = 0; i < runs; i++) {
    last = await explainJson();
    executionMs.push(Number(last['Execution Time']));
    if (Number(last.Plan['Shared Read Blocks'] ?? 0) > 0) runsWithReads++;
  }
  const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${bound.text}`, bound.values);
  return {
    name: query.name,
    runs,
    executionMs,
    p50: median(executionMs),
    p95: percentile(executionMs, 95),
    sharedHit: Number(last!.Plan['Shared Hit Blocks'] ?? 0),
    sharedRead: Number(last!.Plan['Shared Read Blocks'] ?? 0),
    runsWithReads,
    accesses: relationAccesses(last!.Plan),
    plan: last!.Plan,
    text: rows.map((r) => r['QUERY PLAN']).join('\n'),
  };
}

const INDEX_ACCESS = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Index Scan']);
export const isIndexAccess = (access: RelationAccess) => INDEX_ACCESS.has(access.nodeType);

/** A one-line summary of how each relation is reached, e.g. "orders: Index Only Scan". */
export function describeAccesses(accesses: RelationAccess[]): string {
  const byRelation = new Map<string, Set<string>>();
  for (const a of accesses) byRelation.set(a.relation, (byRelation.get(a.relation) ?? new Set()).add(a.nodeType));
  return (
    [...byRelation].map(([relation, types]) => `${relation}: ${[...types].join(' + ')}`).join(', ') ||
    'no relation (function scan only)'
  );
}
