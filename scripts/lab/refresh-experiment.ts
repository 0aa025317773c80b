/**
 * Lab step 6: the materialized dashboard. Plain REFRESH vs REFRESH … CONCURRENTLY of
 * daily_sales_stats (time), and what a dashboard reader on another connection experiences
 * during each: it loops the headline query and records every latency until the refresh commits.
 */
import pg from 'pg';
import { percentile } from '../../helpers/plan/explain.js';

export interface RefreshResult {
  mode: 'plain' | 'concurrently';
  refreshMs: number;
  reads: number;
  readerP50: number;
  readerP95: number;
  readerMax: number;
}

const HEADLINE = `SELECT * FROM daily_sales_stats WHERE day = (now() AT TIME ZONE 'UTC')::date - 1`;

export async function runRefreshExperiment(url: string, workMem = '256MB'): Promise<RefreshResult[]> {
  const refresher = new pg.Client({ connectionString: url });
  const reader = new pg.Client({ connectionString: url });
  await refresher.connect();
  await reader.connect();
  try {
    await refresher.query(`SET work_mem = '${workMem}'`); // as refresh_dashboard() sets it
    await refresher.query('REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales_stats'); // warm both paths alike
    const results: RefreshResult[] = [];
    for (const mode of ['plain', 'concurrently'] as const) {
      const latencies: number[] = [];
      let done = false;
      const t0 = performance.now();
      const refresh = refresher
        .query(`REFRESH MATERIALIZED VIEW ${mode === 'concurrently' ? 'CONCURRENTLY ' : ''}daily_sales_stats`)
        .finally(() => (done = true));
      // The reader starts once the refresh is under way and stops when it has committed.
      while (!done) {
        const r0 = performance.now();
        await reader.query(HEADLINE);
        latencies.push(performance.now() - r0);
      }
      await refresh;
      const refreshMs = performance.now() - t0;
      results.push({
        mode,
        refreshMs,
        reads: latencies.length,
        readerP50: percentile(latencies, 50),
        readerP95: percentile(latencies, 95),
        readerMax: Math.max(...latencies),
      });
    }
    return results;
  } finally {
    await Promise.all([refresher.end(), reader.end()]);
  }
}

/** CALL refresh_dashboard() (both views, concurrently), timed. */
export async function timeRefreshDashboard(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const t0 = performance.now();
    await client.query('CALL refresh_dashboard()');
    return performance.now() - t0;
  } finally {
    await client.end();
  }
}
