/**
 * reports/lab/<timestamp>/report.html: the lab's figures as charts (Observable Plot, inline SVG, no
 * script or network): the 7-day revenue curve with its moving average, the cohort LTV heatmap, the
 * complex join's plan trees before and after its indexes with buffer counts, UUID v7 / v4 / bigint
 * keys, checkout throughput, and a reader's latency during each kind of refresh.
 */
import { escapeHtml, htmlPage } from '../../helpers/certificate/html.js';
import type { PlanNode } from '../../helpers/plan/explain.js';
import { Plot, plotToSvg } from '../report/svg-plot.js';
import type { ThroughputResult } from './checkout-experiment.js';
import type { GrowthFigures } from './growth-figures.js';
import type { KeyResult } from './key-experiment.js';
import { PLAN_TREE_CSS, planTreeHtml } from './plan-tree.js';
import type { RefreshResult } from './refresh-experiment.js';

interface JoinSide {
  executionMs: number;
  sharedHit: number;
  sharedRead: number;
  plan?: PlanNode;
}

/** What report.html reads from summary.json (older summaries lack growth and plans: those sections say so). */
export interface LabSummary {
  generatedAt: string;
  orders: number;
  machine: { serverVersion: string; serverKind: string; cores: number; cpuModel: string; memoryGiB: number };
  join: { before: JoinSide; after: JoinSide };
  keys: { results: KeyResult[] };
  checkout: { results: ThroughputResult[]; setup: { seconds: number } };
  refresh: { results: RefreshResult[] };
  growth?: GrowthFigures;
}

const fmt = (v: number, digits = 0) => v.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mib = (bytes: number) => bytes / 2 ** 20;
const utcDay = (day: string) => new Date(`${day}T00:00:00Z`);

function revenueCurve(growth: GrowthFigures | undefined): string {
  if (!growth?.curve.length) return '<p class="muted">no curve in this summary.json (rerun npm run lab)</p>';
  const rows = growth.curve.map((r) => ({ day: utcDay(r.day), revenue: r.revenue, movingAvg7d: r.movingAvg7d }));
  return plotToSvg({
    width: 1000,
    height: 320,
    marginLeft: 70,
    x: { type: 'utc', label: 'day (UTC)' },
    y: { label: 'revenue', grid: true },
    color: { domain: ['daily revenue', '7-day moving average'], range: ['#adb5bd', '#e8590c'], legend: true },
    marks: [
      Plot.lineY(rows, { x: 'day', y: 'revenue', stroke: () => 'daily revenue', strokeWidth: 1 }),
      Plot.lineY(rows, { x: 'day', y: 'movingAvg7d', stroke: () => '7-day moving average', strokeWidth: 2.5 }),
      Plot.ruleY([0]),
    ],
  });
}

function cohortHeatmap(growth: GrowthFigures | undefined): string {
  if (!growth?.cohorts.length) return '<p class="muted">no cohorts in this summary.json (rerun npm run lab)</p>';
  const cells = growth.cohorts.flatMap((c) =>
    (
      [
        ['3 months', c.avg3m],
        ['6 months', c.avg6m],
        ['12 months', c.avg12m],
      ] as const
    ).map(([horizon, value]) => ({ cohort: `${c.cohortMonth.slice(0, 7)} (${fmt(c.size)})`, horizon, value })),
  );
  const known = cells.filter((c) => c.value !== null);
  return plotToSvg({
    width: 560,
    height: 40 + 22 * growth.cohorts.length,
    marginLeft: 120,
    x: { label: 'average revenue per member within', domain: ['3 months', '6 months', '12 months'], axis: 'top' },
    y: { label: 'cohort (members)', domain: cells.map((c) => c.cohort) },
    color: { scheme: 'YlGnBu', type: 'linear' },
    marks: [
      Plot.cell(known, { x: 'horizon', y: 'cohort', fill: 'value', inset: 0.5 }),
      Plot.cell(
        cells.filter((c) => c.value === null),
        { x: 'horizon', y: 'cohort', fill: '#f1f3f5', inset: 0.5 },
      ),
      Plot.text(cells, {
        x: 'horizon',
        y: 'cohort',
        text: (c: (typeof cells)[number]) => (c.value === null ? 'open' : fmt(c.value, 2)),
        fill: (c: (typeof cells)[number]) => (c.value === null ? '#868e96' : 'black'),
      }),
    ],
  });
}

function joinBuffers(join: LabSummary['join']): string {
  const rows = (['before', 'after'] as const).flatMap((side) => [
    { side: `${side} indexes`, kind: 'shared hit', blocks: join[side].sharedHit },
    { side: `${side} indexes`, kind: 'shared read', blocks: join[side].sharedRead },
  ]);
  return plotToSvg({
    width: 700,
    height: 150,
    marginLeft: 110,
    x: { label: 'buffers (8 kB blocks)', grid: true },
    y: { label: null },
    color: { domain: ['shared hit', 'shared read'], range: ['#74c0fc', '#fa5252'], legend: true },
    marks: [Plot.barX(rows, Plot.stackX({ x: 'blocks', y: 'side', fill: 'kind' })), Plot.ruleX([0])],
  });
}

function keyCharts(keys: KeyResult[]): string {
  const chart = (label: string, value: (k: KeyResult) => number | null, id: string) =>
    `<div class="small-chart" id="${id}"><div class="muted">${escapeHtml(label)}</div>${plotToSvg({
      width: 320,
      height: 220,
      marginBottom: 50,
      x: { label: null, tickRotate: -15 },
      y: { label: null, grid: true },
      marks: [
        Plot.barY(
          keys.map((k) => ({ key: k.key.split(' (')[0], value: value(k) ?? 0 })),
          { x: 'key', y: 'value', fill: 'key' },
        ),
        Plot.ruleY([0]),
      ],
    })}</div>`;
  return `<div class="row">${chart('index size (MiB)', (k) => mib(k.indexBytes), 'key-index-size')}${chart(
    'average leaf density (%)',
    (k) => k.avgLeafDensity,
    'key-leaf-density',
  )}${chart('WAL written (MiB)', (k) => mib(k.walBytes), 'key-wal')}</div>`;
}

function checkoutChart(results: ThroughputResult[]): string {
  return plotToSvg({
    width: 1000,
    height: 280,
    marginLeft: 60,
    fx: { label: null },
    x: { label: null, axis: null },
    y: { label: 'transactions per second', grid: true },
    color: { legend: true, domain: ['bare decrement', 'process_order'], range: ['#adb5bd', '#1c7ed6'] },
    marks: [
      Plot.barY(results, {
        fx: (r: ThroughputResult) => `${r.spread}, ${r.clients} clients`,
        x: 'workload',
        y: 'tps',
        fill: 'workload',
      }),
      Plot.ruleY([0]),
    ],
  });
}

function refreshChart(results: RefreshResult[]): string {
  const rows = results.flatMap((r) =>
    (
      [
        ['p50', r.readerP50],
        ['p95', r.readerP95],
        ['max', r.readerMax],
      ] as const
    ).map(([stat, ms]) => ({ mode: r.mode === 'plain' ? 'REFRESH' : 'REFRESH CONCURRENTLY', stat, ms })),
  );
  return plotToSvg({
    width: 700,
    height: 240,
    fx: { label: null },
    x: { label: null, domain: ['p50', 'p95', 'max'] },
    y: { label: 'reader latency (ms, log scale)', type: 'log', grid: true },
    marginLeft: 60,
    marks: [
      Plot.dot(rows, { fx: 'mode', x: 'stat', y: (r: (typeof rows)[number]) => Math.max(r.ms, 0.001), r: 5, fill: 'stat' }),
      Plot.text(rows, {
        fx: 'mode',
        x: 'stat',
        y: (r: (typeof rows)[number]) => Math.max(r.ms, 0.001),
        text: (r: (typeof rows)[number]) => `${r.ms < 10 ? r.ms.toFixed(2) : fmt(r.ms)} ms`,
        dx: 28,
      }),
    ],
  });
}

export function renderLabHtml(s: LabSummary): string {
  const on = `PostgreSQL ${s.machine.serverVersion} (${s.machine.serverKind}) · ${s.machine.cores} cores (${s.machine.cpuModel}) · ${s.machine.memoryGiB} GiB RAM`;
  const side = (name: 'before' | 'after', title: string) =>
    `<div class="plan-side" id="plan-${name}"><h3>${title}</h3><p><strong>${fmt(s.join[name].executionMs, 3)} ms</strong> · shared hit ${fmt(s.join[name].sharedHit)} · shared read ${fmt(s.join[name].sharedRead)}</p>${planTreeHtml(s.join[name].plan)}</div>`;
  const body = `<h1>Black Friday lab — ${fmt(s.orders)} orders</h1>
<p class="muted">${escapeHtml(on)} · generated ${escapeHtml(s.generatedAt)} · figures are single measurements on this machine, not tests</p>
<h2>7-day revenue curve</h2><figure id="revenue-curve">${revenueCurve(s.growth)}</figure>
<h2>Cohort lifetime value</h2><p class="muted">cohort_ltv(now()): "open" = the horizon has not fully passed yet</p><figure id="cohort-heatmap">${cohortHeatmap(s.growth)}</figure>
<h2>The complex join before and after its indexes</h2><figure id="join-buffers">${joinBuffers(s.join)}</figure>
<div class="row" id="plans">${side('before', 'Before: no index on the join columns')}${side('after', 'After: a B-tree per join column')}</div>
<h2>Primary keys: UUID v7, UUID v4, bigint</h2><figure id="keys">${keyCharts(s.keys.results)}</figure>
<h2>Checkout throughput</h2><p class="muted">${s.checkout.setup.seconds} s per run; spread = many products, hot = one product</p><figure id="checkout">${checkoutChart(s.checkout.results)}</figure>
<h2>Dashboard reader latency during a refresh</h2><figure id="refresh">${refreshChart(s.refresh.results)}</figure>`;
  return htmlPage(
    `Black Friday lab — ${fmt(s.orders)} orders`,
    body,
    `${PLAN_TREE_CSS}
.row{display:flex;flex-wrap:wrap;gap:16px}.plan-side{flex:1 1 480px;background:#fff;border:1px solid #e6e9ee;border-radius:6px;padding:8px 12px}
figure{margin:0}`,
  );
}
