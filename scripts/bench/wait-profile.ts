/**
 * What the server's backends of a run were doing, sampled from pg_stat_activity every few
 * milliseconds on a connection of its own: running on a CPU, waiting for a row lock
 * (Lock: transactionid / tuple), waiting for the WAL to reach the disk (IO: WalSync, LWLock:
 * WALWrite), or idle (the round trip through the driver); parallel workers are named as such. A share per state names the
 * bottleneck of a ratio with a measurement instead of a guess.
 */
import pg from 'pg';

export type WaitShares = Record<string, number>;

export interface WaitProfile {
  samples: number;
  /** Share of backend samples per state, e.g. {"CPU": 0.21, "Lock:transactionid": 0.62}; sums to 1. */
  shares: WaitShares;
}

const SAMPLE = `
  SELECT CASE WHEN a.backend_type = 'parallel worker' THEN 'parallel worker, ' ELSE '' END
         || CASE WHEN a.state <> 'active' THEN 'idle (driver, network)'
                 WHEN a.wait_event IS NULL THEN 'CPU'
                 ELSE a.wait_event_type || ':' || a.wait_event END AS what,
         count(*)::int AS n
    FROM pg_stat_activity AS a
   WHERE a.datname = current_database() AND a.backend_type IN ('client backend', 'parallel worker')
     AND a.pid <> pg_backend_pid()
   GROUP BY 1`;

/** Starts sampling the database of `url`; the returned function stops and summarizes. */
export async function startWaitProfile(url: string, everyMs = 10): Promise<() => Promise<WaitProfile>> {
  const observer = new pg.Client({ connectionString: url, application_name: 'arcane-bench-observer' });
  observer.on('error', () => undefined);
  await observer.connect();
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await observer.query<{ what: string; n: number }>(SAMPLE).catch(() => ({ rows: [] }));
      samples++;
      for (const r of rows) counts.set(r.what, (counts.get(r.what) ?? 0) + r.n);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return async () => {
    running = false;
    await loop;
    await observer.end().catch(() => undefined);
    const total = [...counts.values()].reduce((s, n) => s + n, 0);
    const shares: WaitShares = {};
    for (const [what, n] of [...counts].sort((a, b) => b[1] - a[1])) shares[what] = n / total;
    return { samples, shares };
  };
}

/** "Lock:transactionid 62 %, CPU 21 %, …": the states above 2 %, largest first. */
export function formatShares(shares: WaitShares): string {
  const shown = Object.entries(shares).filter(([, s]) => s >= 0.02);
  return shown.map(([what, s]) => `${what} ${Math.round(s * 100)} %`).join(', ');
}
