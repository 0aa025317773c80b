/** The bench's table: one row per figure, with its target, the sides measured and the load average. */

import type { SettleRun } from './limited.js';
import type { LoadResult } from './load.js';
import type { RefreshRun } from './refresh.js';

export interface Pair {
  figure: string;
  numerator: string;
  denominator: string;
  clients: number;
  ratio: number;
  numeratorTps: number;
  denominatorTps: number;
  target: number;
  runs: (LoadResult & { loadAverage1m: number })[];
  /** limited_edition_vs_strict: the settling of each round's reservations, and the figures it leads to. */
  settle?: {
    runs: (SettleRun & { loadAverage1m: number })[];
    reservationsTps: number;
    settleOrdersPerSecond: number;
    endToEndTps: number;
  };
}

export function printTable(
  figures: Record<string, number>,
  pairs: Pair[],
  refreshes: (RefreshRun & { loadAverage1m: number })[],
  synthesis: { seconds: number; loadAverage1m: number },
  copy: { seconds: number; loadAverage1m: number } | null,
  pgbench: { tps: number; clients: number; loadAverage1m: number } | { error: string } | null,
  limited: string[][],
): void {
  const rows: string[][] = [['figure', 'value', 'target', 'detail', 'load avg 1m']];
  for (const p of pairs)
    rows.push([
      p.figure,
      `${p.ratio.toFixed(2)}×`,
      `≥ ${p.target}×`,
      `${p.numeratorTps.toFixed(0)} / ${p.denominatorTps.toFixed(0)} tx/s, ${p.clients} clients${p.settle ? ', end to end' : ''}`,
      p.runs.map((r) => r.loadAverage1m.toFixed(1)).join(' '),
    ]);
  rows.push(...limited);
  if (refreshes.length) {
    rows.push([
      'refresh_seconds',
      `${figures.refresh_seconds!.toFixed(3)} s`,
      '≤ 1 s',
      `${refreshes[0]?.newOrders ?? 0} new orders, median of ${refreshes.length}`,
      refreshes.map((r) => r.loadAverage1m.toFixed(1)).join(' '),
    ]);
    rows.push([
      'refresh_reader_p99_ms',
      `${figures.refresh_reader_p99_ms!.toFixed(2)} ms`,
      '< 5 ms',
      `${refreshes.reduce((s, r) => s + r.reads, 0)} reads`,
      '',
    ]);
  }
  if (copy)
    rows.push([
      'synthesis_vs_copy_floor',
      `${figures.synthesis_vs_copy_floor!.toFixed(2)}×`,
      '≥ 0.7×',
      `COPY ${copy.seconds.toFixed(1)} s / synthesis ${synthesis.seconds.toFixed(1)} s`,
      `${synthesis.loadAverage1m.toFixed(1)} ${copy.loadAverage1m.toFixed(1)}`,
    ]);
  else
    rows.push([
      'synthesis',
      `${synthesis.seconds.toFixed(1)} s`,
      '',
      'no COPY floor (not asked for with --only)',
      synthesis.loadAverage1m.toFixed(1),
    ]);
  if (pgbench)
    rows.push([
      'Debian pgbench tpcb-like',
      'tps' in pgbench ? `${pgbench.tps.toFixed(0)} tx/s` : 'failed',
      '',
      'tps' in pgbench ? `${pgbench.clients} clients` : pgbench.error,
      'tps' in pgbench ? pgbench.loadAverage1m.toFixed(1) : '',
    ]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const [i, r] of rows.entries()) {
    process.stdout.write(`${r.map((c, j) => c.padEnd(widths[j]!)).join('  ')}\n`);
    if (i === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  }
}
