/**
 * "Where the time went", printed under the bench's table and kept in bench.json: for each load
 * run the machine's busy cores, CPU milliseconds per transaction (server side and driver side)
 * and what the backends were doing; for the refresh the reader's latency with and without it;
 * for the synthesis its phases beside COPY's load and index builds. A ratio below its target is
 * then explained by a measurement (e.g. both sides CPU-bound: the ratio is the inverse ratio of
 * their CPU per transaction), not by a guess.
 */
import type { LoadResult } from './load.js';
import type { RefreshRun } from './refresh.js';
import type { SynthesisPhases } from './synthesis.js';
import { formatShares } from './wait-profile.js';

export interface PairRuns {
  figure: string;
  numerator: string;
  denominator: string;
  runs: LoadResult[];
}

export interface RunDiagnosis {
  name: string;
  clients: number;
  tps: number;
  busyCores: number | null;
  /** Cores used by the server's own processes, and by neither the server nor the driver (other jobs). */
  serverCores: number | null;
  otherJobsCores: number | null;
  cores: number;
  serverMsPerTx: number | null;
  driverMsPerTx: number;
  waits: Record<string, number>;
}

export interface PairDiagnosis {
  figure: string;
  runs: RunDiagnosis[];
  /** Both sides' own CPU at >= 90 % of the cores: the ratio their CPU per transaction allows (denominator's / numerator's). */
  cpuBoundRatio: number | null;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

function diagnoseRuns(name: string, runs: LoadResult[]): RunDiagnosis {
  const mine = runs.filter((r) => r.name === name);
  const server = mine.map((r) => r.cpu.serverMsPerTx).filter((x): x is number => x !== null);
  const busy = mine.map((r) => r.cpu.busyCores).filter((x): x is number => x !== null);
  const serverCores = mine.map((r) => r.cpu.serverCoreSeconds).filter((x): x is number => x !== null);
  const seconds = mean(mine.map((r) => r.cpu.seconds));
  const driverCores = mean(mine.map((r) => r.cpu.driverCoreSeconds)) / seconds;
  const waits: Record<string, number> = {};
  for (const r of mine) for (const [k, v] of Object.entries(r.waits.shares)) waits[k] = (waits[k] ?? 0) + v / mine.length;
  return {
    name,
    clients: mine[0]?.clients ?? 0,
    tps: mean(mine.map((r) => r.tps)),
    busyCores: busy.length ? mean(busy) : null,
    serverCores: serverCores.length ? mean(serverCores) / seconds : null,
    otherJobsCores:
      busy.length && serverCores.length ? Math.max(0, mean(busy) - mean(serverCores) / seconds - driverCores) : null,
    cores: mine[0]?.cpu.cores ?? 0,
    serverMsPerTx: server.length ? mean(server) : null,
    driverMsPerTx: mean(mine.map((r) => r.cpu.driverMsPerTx)),
    waits: Object.fromEntries(Object.entries(waits).sort((a, b) => b[1] - a[1])),
  };
}

export function diagnosePair(pair: PairRuns): PairDiagnosis {
  const a = diagnoseRuns(pair.numerator, pair.runs);
  const b = diagnoseRuns(pair.denominator, pair.runs);
  // The run's own CPU (server and driver), not other jobs', must fill the cores for the bound to hold.
  const ownCores = (d: RunDiagnosis) =>
    d.serverCores !== null ? d.serverCores + (d.driverMsPerTx * d.tps) / 1000 : (d.busyCores ?? 0);
  const saturated = (d: RunDiagnosis) => ownCores(d) >= 0.9 * d.cores;
  const cpuPerTx = (d: RunDiagnosis) => (d.serverMsPerTx ?? Number.NaN) + d.driverMsPerTx;
  return {
    figure: pair.figure,
    runs: [a, b],
    cpuBoundRatio: saturated(a) && saturated(b) ? cpuPerTx(b) / cpuPerTx(a) : null,
  };
}

/** A phase ends with its progress NOTICE; "products" comes after the orders and lines are planned, then the catalog written. */
const PHASE_LABELS: Record<string, string> = {
  customers: 'planning the customers',
  products: 'planning the orders and lines, then the catalog',
  orders: 'the orders and lines',
  indexes: 'keys and indexes',
};

const f = (x: number | null, digits = 2) => (x === null || Number.isNaN(x) ? '?' : x.toFixed(digits));

export function diagnosisLines(
  pairs: PairDiagnosis[],
  refreshes: RefreshRun[],
  synthesis: { seconds: number; phases: SynthesisPhases },
  copy: { loadSeconds: number; indexSeconds: number } | null,
): string[] {
  const lines = [
    '',
    'where the time went (CPU per transaction = busy core-seconds / transactions; waits sampled from pg_stat_activity)',
  ];
  for (const p of pairs) {
    lines.push(`  ${p.figure}`);
    for (const r of p.runs)
      lines.push(
        `    ${r.name}, ${r.clients} clients: ${r.tps.toFixed(0)} tx/s; ${f(r.busyCores, 1)} of ${r.cores} cores busy ` +
          `(server ${f(r.serverCores, 1)}, other jobs ${f(r.otherJobsCores, 1)}); ` +
          `CPU per tx: server ${f(r.serverMsPerTx)} ms + driver ${f(r.driverMsPerTx)} ms; backends: ${formatShares(r.waits)}`,
      );
    if (p.cpuBoundRatio !== null)
      lines.push(
        `    both sides keep the cores busy: their CPU per transaction allows a ratio of ${p.cpuBoundRatio.toFixed(2)}×`,
      );
  }
  if (refreshes.length) {
    const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
    const busy = refreshes.map((r) => r.cpu.busyCores).filter((x): x is number => x !== null);
    const server = refreshes.map((r) => (r.cpu.serverCoreSeconds === null ? null : r.cpu.serverCoreSeconds / r.cpu.seconds));
    lines.push(
      `  refresh, run by run: reader p99 ${list(refreshes.map((r) => r.readerP99Ms))} ms during it, ` +
        `${list(refreshes.map((r) => r.readerBaselineP99Ms))} ms with no refresh just before; ` +
        `${list(busy)} of ${refreshes[0]!.cpu.cores} cores busy (server ${server.map((x) => f(x)).join(', ')}); ` +
        `backends in the last: ${formatShares(refreshes[refreshes.length - 1]!.waits.shares)}`,
    );
  }
  const phases = Object.entries(synthesis.phases).map(([k, v]) => `${PHASE_LABELS[k] ?? k} ${v.toFixed(1)} s`);
  lines.push(
    `  synthesis ${synthesis.seconds.toFixed(1)} s: ${phases.join(', ')}; ` +
      (copy
        ? `COPY floor: load ${copy.loadSeconds.toFixed(1)} s, keys and indexes ${copy.indexSeconds.toFixed(1)} s`
        : 'no COPY floor'),
  );
  return lines;
}
