/**
 * npm run bench [-- --orders 1000000] [--seconds 10] [--clients 8] [--limited-clients 32] [--shards 64]
 *                  [--tpcb-scale 10] [--rounds 2] [--refresh-runs 3] [--seed 0.42] [--out reports/bench.json]
 *                  [--only synthesis,refresh,checkout,hot-item,limited-edition]
 *
 * The reference engine against the machine's own limits, side by side in one run on one server
 * (the specs' server: DATABASE_URL, else Docker, else embedded PostgreSQL; fsync on). Both sides
 * of every ratio use the same node-postgres driver and connection count, alternating in rounds:
 *   checkout_vs_tpcb          process_order, one-line carts over 1,000 products / pgbench's tpcb-like
 *   hot_item_vs_bare_update   process_order on one product / its bare audited UPDATE
 *   limited_edition_vs_strict orders/s end to end: process_limited_order reservations (sharded stock)
 *                             then limited_edition_settle turning them into orders / process_order,
 *                             one product (reservations/s and settled orders/s reported beside it)
 *   synthesis_vs_copy_floor   COPY of the same rows, same indexes / synthesize_commerce (time ratio)
 *   refresh_seconds           CALL refresh_dashboard() after a day of new orders (median)
 *   refresh_reader_p99_ms     a dashboard reader's p99 during those refreshes
 * Figures, never assertions. Prints a table; writes the JSON (with load averages per figure).
 * --only measures some figures (e.g. `--orders 10000000 --only refresh`: the refresh at a scale
 * where the COPY floor and the throughput runs would add an hour); the synthesis always runs.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { describeServer, type ProvisionedServer } from '../../helpers/server/provision.js';
import { Progress } from '../lab/progress.js';
import { synthesisProgress } from '../lab/synthesize.js';
import { bareAuditedUpdate, checkoutHot, checkoutSpread, prepareCheckoutFixture } from './checkout.js';
import { localPostmasterPid } from './cpu-meter.js';
import { diagnosePair, diagnosisLines } from './diagnosis.js';
import { limitedEdition, limitedEditionAccount, limitedRows, type SettleRun, settleAll } from './limited.js';
import { runLoad, type Transaction } from './load.js';
import { type FigureGroup, parseOptions } from './options.js';
import { type RefreshRun, timeRefreshWithReader } from './refresh.js';
import { withScratchDatabase } from './scratch-database.js';
import { timeCopyFloor, timeSynthesis } from './synthesis.js';
import { type Pair, printTable } from './table.js';
import { createTpcbTables, findPgbench, type PgbenchResult, runPgbench, tpcbTransaction } from './tpcb.js';

const SYNTHESIS_DAYS = 730; // synthesize_commerce's default history: a day of orders is orders / 730

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const load1 = () => Number(os.loadavg()[0]!.toFixed(2));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** The running server, for the signal handlers (withScratchDatabase stops it otherwise). */
let server: ProvisionedServer | undefined;
let interrupted = false;

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      interrupted = true;
      void server?.stop().finally(() => process.exit(130));
    });
  await withScratchDatabase(measureAll(o), { name: 'arcane_bench', onServer: (s) => (server = s) });
}

/** Every figure of the bench on the database `db` (sql/ applied, empty). */
const measureAll = (o: ReturnType<typeof parseOptions>) => async (db: pg.Client, url: string, provisioned: ProvisionedServer) => {
  const facts = await describeServer(provisioned);
  const postmaster = await localPostmasterPid(db);
  const settings = Object.fromEntries(
    (
      await db.query<{ name: string; setting: string }>(
        `SELECT name, current_setting(name) AS setting FROM pg_settings
          WHERE name IN ('shared_buffers', 'work_mem', 'maintenance_work_mem', 'fsync', 'synchronous_commit', 'wal_level',
                         'max_wal_size', 'jit', 'max_connections', 'commit_delay') ORDER BY name`,
      )
    ).rows.map((r) => [r.name, r.setting]),
  );
  log(`PostgreSQL ${facts.version} (${provisioned.kind}), ${os.cpus().length} cores, ${o.orders.toLocaleString('en')} orders`);

  // Synthesis, then the same rows by COPY.
  let progress = new Progress(`synthesize ${o.orders.toLocaleString('en')} orders`, 'bench');
  const onNotice = synthesisProgress(progress);
  db.on('notice', onNotice);
  const synthesis = { ...(await timeSynthesis(db, o.orders, o.seed)), loadAverage1m: load1() };
  db.off('notice', onNotice);
  progress.done(`${synthesis.seconds.toFixed(1)} s, ${synthesis.rows.toLocaleString('en')} rows`);
  const wants = (g: FigureGroup) => o.only.includes(g);
  let copy: (Awaited<ReturnType<typeof timeCopyFloor>> & { loadAverage1m: number }) | null = null;
  if (wants('synthesis')) {
    progress = new Progress('COPY floor: the same rows, same indexes', 'bench');
    copy = { ...(await timeCopyFloor(db)), loadAverage1m: load1() };
    progress.done(
      `${copy.seconds.toFixed(1)} s (load ${copy.loadSeconds.toFixed(1)} s, indexes ${copy.indexSeconds.toFixed(1)} s)`,
    );
  }
  await db.query('VACUUM ANALYZE');

  // The dashboard: a rebuild first (rollups from scratch), then days of new orders.
  let t0 = performance.now();
  let rebuildSeconds: number | null = null;
  const dayOrders = Math.max(1, Math.round(o.orders / SYNTHESIS_DAYS));
  const refreshes: (RefreshRun & { loadAverage1m: number })[] = [];
  if (wants('refresh')) {
    await db.query('CALL refresh_dashboard()');
    rebuildSeconds = (performance.now() - t0) / 1000;
    log(`first refresh (rollups rebuilt from scratch): ${rebuildSeconds.toFixed(2)} s`);
    progress = new Progress(`refresh after a day of new orders (${dayOrders.toLocaleString('en')}) ×${o.refreshRuns}`, 'bench');
    for (let i = 0; i < o.refreshRuns && !interrupted; i++) {
      refreshes.push({ ...(await timeRefreshWithReader(url, dayOrders, postmaster)), loadAverage1m: load1() });
      progress.update((i + 1) / o.refreshRuns, `${refreshes.at(-1)!.refreshSeconds.toFixed(3)} s`);
    }
    progress.done(`median ${median(refreshes.map((r) => r.refreshSeconds)).toFixed(3)} s`);
  }

  // Checkout throughput.
  t0 = performance.now();
  const throughput = wants('checkout') || wants('hot-item') || wants('limited-edition');
  if (wants('checkout')) await createTpcbTables(db, o.tpcbScale);
  const fixture = throughput ? await prepareCheckoutFixture(db, o.shards) : null;
  if (throughput) {
    await db.query('VACUUM ANALYZE');
    log(`pgbench tables at scale ${o.tpcbScale} and checkout fixture in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const measure = async (label: string, clients: number, tx: Transaction) => {
    const p = new Progress(`${label}, ${clients} clients`, 'bench');
    const r = await runLoad(
      {
        url,
        name: label,
        clients,
        seconds: o.seconds,
        onTick: (f) => p.update(f, ''),
        shouldStop: () => interrupted,
        postmaster,
      },
      tx,
    );
    p.done(`${r.tps.toFixed(0)} tx/s, p99 ${r.p99Ms.toFixed(1)} ms${r.errors ? `, ${r.errors} errors (${r.firstError})` : ''}`);
    return { ...r, loadAverage1m: load1() };
  };
  const pair = async (
    figure: string,
    target: number,
    clients: number,
    a: [string, Transaction],
    b: [string, Transaction],
    afterA?: () => Promise<SettleRun>,
  ) => {
    const runs: Pair['runs'] = [];
    const settles: NonNullable<Pair['settle']>['runs'] = [];
    for (let r = 0; r < o.rounds && !interrupted; r++) {
      runs.push(await measure(a[0], clients, a[1]));
      if (afterA) {
        const p = new Progress('limited_edition_settle: the reservations into orders', 'bench');
        settles.push({ ...(await afterA()), loadAverage1m: load1() });
        p.done(`${settles.at(-1)!.orders} orders in ${settles.at(-1)!.seconds.toFixed(2)} s`);
      }
      runs.push(await measure(b[0], clients, b[1]));
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const aRuns = runs.filter((r) => r.name === a[0]);
    const bTps = mean(runs.filter((r) => r.name === b[0]).map((r) => r.tps));
    // With settling, the numerator is end to end: each round's orders over its buying plus settling time.
    const settle = afterA && {
      runs: settles,
      reservationsTps: mean(aRuns.map((r) => r.tps)),
      settleOrdersPerSecond: settles.reduce((s, x) => s + x.orders, 0) / settles.reduce((s, x) => s + x.seconds, 0),
      endToEndTps: mean(aRuns.map((r, i) => r.transactions / (r.seconds + settles[i]!.seconds))),
    };
    const aTps = settle ? settle.endToEndTps : mean(aRuns.map((r) => r.tps));
    const result: Pair = {
      figure,
      numerator: a[0],
      denominator: b[0],
      clients,
      numeratorTps: aTps,
      denominatorTps: bTps,
      ratio: aTps / bTps,
      target,
      runs,
      ...(settle ? { settle } : {}),
    };
    return result;
  };
  // The ratios: each group's two sides, built only when that group is measured (the fixture exists then).
  const definitions: {
    group: FigureGroup;
    args: () => Parameters<typeof pair>;
  }[] = [
    {
      group: 'checkout',
      args: () => [
        'checkout_vs_tpcb',
        1.0,
        o.clients,
        ['process_order spread', checkoutSpread(fixture!)],
        ['tpcb-like (node-postgres)', tpcbTransaction(o.tpcbScale)],
      ],
    },
    {
      group: 'hot-item',
      args: () => [
        'hot_item_vs_bare_update',
        0.8,
        o.clients,
        ['process_order hot', checkoutHot(fixture!)],
        ['bare audited UPDATE hot', bareAuditedUpdate(fixture!)],
      ],
    },
    {
      group: 'limited-edition',
      args: () => [
        'limited_edition_vs_strict',
        5.0,
        o.limitedClients,
        ['process_limited_order (reservations)', limitedEdition(fixture!)],
        ['process_order hot', checkoutHot(fixture!)],
        () => settleAll(url),
      ],
    },
  ];
  const pairs: Pair[] = [];
  for (const d of definitions) if (wants(d.group)) pairs.push(await pair(...d.args()));
  const limitedPair = pairs.find((p) => p.figure === 'limited_edition_vs_strict') ?? null;
  const limitedAccount = limitedPair ? await limitedEditionAccount(db, fixture!) : null;
  const limitedBuyers = limitedPair
    ? limitedPair.runs.filter((r) => r.name === limitedPair.numerator).reduce((s, r) => s + r.transactions, 0)
    : 0;
  let pgbench: (PgbenchResult & { clients: number; loadAverage1m: number }) | { error: string } | null = null;
  const binary = wants('checkout') ? findPgbench() : null;
  if (binary) {
    progress = new Progress(`Debian pgbench tpcb-like, ${o.clients} clients`, 'bench');
    pgbench = await runPgbench(binary, url, o.clients, o.seconds)
      .then((r) => ({ ...r, clients: o.clients, loadAverage1m: load1() }))
      .catch((e: Error) => ({ error: e.message }));
    progress.done('tps' in pgbench ? `${pgbench.tps.toFixed(0)} tx/s` : pgbench.error);
  }

  const figures: Record<string, number> = {};
  for (const p of pairs) figures[p.figure] = p.ratio;
  if (limitedPair?.settle) {
    figures.limited_edition_reservations_vs_strict = limitedPair.settle.reservationsTps / limitedPair.denominatorTps;
    figures.limited_edition_settle_orders_per_s = limitedPair.settle.settleOrdersPerSecond;
  }
  if (refreshes.length) {
    figures.refresh_seconds = median(refreshes.map((r) => r.refreshSeconds));
    figures.refresh_reader_p99_ms = Math.max(...refreshes.map((r) => r.readerP99Ms));
  }
  if (copy) figures.synthesis_vs_copy_floor = copy.seconds / synthesis.seconds;
  const report = {
    generatedAt: new Date().toISOString(),
    figures,
    scale: { orders: o.orders, rows: synthesis.rows, tpcbScale: o.tpcbScale, dayOfOrders: dayOrders },
    clients: { checkout: o.clients, limitedEdition: o.limitedClients, shards: o.shards },
    secondsPerRun: o.seconds,
    rounds: o.rounds,
    server: { version: facts.version, kind: provisioned.kind, settings },
    machine: { cores: os.cpus().length, cpuModel: os.cpus()[0]?.model.trim(), memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
    pairs,
    only: o.only,
    pgbench,
    limitedEdition: limitedAccount ? { ...limitedAccount, buyers: limitedBuyers } : null,
    refresh: { rebuildSeconds, runs: refreshes },
    synthesis: { synthesis, copy },
    diagnosis: pairs.map(diagnosePair),
  };
  await fs.mkdir(path.dirname(o.out), { recursive: true });
  await fs.writeFile(o.out, `${JSON.stringify(report, null, 2)}\n`);
  const limited = limitedPair && limitedAccount ? limitedRows(limitedPair, limitedAccount, limitedBuyers) : [];
  printTable(report.figures, pairs, refreshes, synthesis, copy, pgbench, limited);
  for (const line of diagnosisLines(report.diagnosis, refreshes, synthesis, copy)) process.stdout.write(`${line}\n`);
  log(`written: ${o.out}`);
};

main().catch((error: unknown) => {
  // What failed, in one message; the stack only on request (it is about our code, not the SQL).
  const detail = process.env.ARCANE_DEBUG ? ((error as Error).stack ?? String(error)) : (error as Error).message;
  process.stderr.write(`[bench] failed: ${detail}\n`);
  process.exitCode = 1;
});
