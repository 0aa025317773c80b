/** summary.md: the lab's figures as Markdown tables, for a reader without a browser. */
import { type Machine, markdownTable } from '../../helpers/lab/report.js';
import { describeAccesses, type QueryMeasurement } from '../../helpers/plan/dashboard-queries.js';
import type { ThroughputResult } from './checkout-experiment.js';
import { fmt, mib, ms } from './format.js';
import type { KeyResult } from './key-experiment.js';
import type { RefreshResult } from './refresh-experiment.js';
import { seqScanNote } from './small-table-note.js';
import type { SynthesisResult } from './synthesize.js';
export function summaryMarkdown(s: {
  machine: Machine;
  settings: Record<string, string>;
  orders: number;
  seed: number;
  generatedAt: string;
  synthesis: SynthesisResult;
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
  const strategy = s.loadStrategy as unknown as Record<'kept' | 'deferred', SynthesisResult> & {
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
        ['before (join indexes dropped)', s.join.before] as const,
        ['after (one B-tree per join column)', s.join.after] as const,
      ].map(([label, run]) => [
        label,
        `${ms(run.executionMs)} ms`,
        fmt(run.sharedHit),
        fmt(run.sharedRead),
        joins(run.nodeTypes),
        scans(run.accesses),
      ]),
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
