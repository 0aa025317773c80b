/**
 * The bench's load driver: N connections of the same node-postgres driver, each looping one
 * transaction for a fixed time. Both sides of every ratio run through this one function.
 */
import pg from 'pg';
import { percentile } from '../../helpers/plan/explain.js';
import { type CpuUse, cpuPerTransaction, startCpuMeter } from './cpu-meter.js';
import { startWaitProfile, type WaitProfile } from './wait-profile.js';

export interface LoadResult {
  name: string;
  clients: number;
  seconds: number;
  transactions: number;
  errors: number;
  tps: number;
  p50Ms: number;
  p99Ms: number;
  firstError?: string;
  /** The machine's CPU during the run, and per transaction (server side and driver side). */
  cpu: CpuUse & { serverMsPerTx: number | null; driverMsPerTx: number };
  /** What the run's backends were doing, sampled from pg_stat_activity. */
  waits: WaitProfile;
}

/** One transaction on a client; throws on failure (counted as an error, the loop goes on). */
export type Transaction = (client: pg.Client, worker: number) => Promise<void>;

export interface LoadOptions {
  url: string;
  name: string;
  clients: number;
  seconds: number;
  /** Runs once per connection before the clock starts (SET, PREPARE, …). */
  setup?: (client: pg.Client) => Promise<void>;
  onTick?: (fraction: number) => void;
  shouldStop?: () => boolean;
  /** The server's postmaster pid when it runs here (cpu-meter.ts), to count its CPU apart from other jobs'. */
  postmaster?: number | null;
}

export async function runLoad(options: LoadOptions, transaction: Transaction): Promise<LoadResult> {
  const clients = await Promise.all(
    Array.from({ length: options.clients }, async () => {
      const c = new pg.Client({ connectionString: options.url });
      c.on('error', () => undefined);
      await c.connect();
      await options.setup?.(c);
      return c;
    }),
  );
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let seconds = 0;
  let cpu: CpuUse;
  let waits: WaitProfile;
  try {
    const stopWaits = await startWaitProfile(options.url);
    const stopCpu = startCpuMeter(options.postmaster ?? null);
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    const timer = setInterval(() => options.onTick?.(Math.min(1, (performance.now() - started) / (options.seconds * 1000))), 250);
    await Promise.all(
      clients.map(async (client, worker) => {
        while (performance.now() < deadline && !options.shouldStop?.()) {
          const t0 = performance.now();
          try {
            await transaction(client, worker);
            latencies.push(performance.now() - t0);
          } catch (error) {
            errors++;
            firstError ??= (error as Error).message;
            await client.query('ROLLBACK').catch(() => undefined);
          }
        }
      }),
    ).finally(() => clearInterval(timer));
    seconds = (performance.now() - started) / 1000;
    cpu = stopCpu();
    waits = await stopWaits();
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
  const perTx = cpuPerTransaction(cpu, latencies.length);
  return {
    name: options.name,
    clients: options.clients,
    seconds,
    transactions: latencies.length,
    errors,
    tps: latencies.length / seconds,
    p50Ms: latencies.length ? percentile(latencies, 50) : Number.NaN,
    p99Ms: latencies.length ? percentile(latencies, 99) : Number.NaN,
    ...(firstError ? { firstError } : {}),
    cpu: { ...cpu, serverMsPerTx: perTx.serverMs, driverMsPerTx: perTx.driverMs },
    waits,
  };
}

export const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
