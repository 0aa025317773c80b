/** An EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) plan as a nested HTML list with each node's buffers. */
import { escapeHtml } from '../../helpers/certificate/html.js';
import type { PlanNode } from '../../helpers/plan/explain.js';

const n = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en') : '0');

function nodeHtml(node: PlanNode): string {
  const relation = node['Relation Name'] ? ` on <strong>${escapeHtml(node['Relation Name'])}</strong>` : '';
  const index = node['Index Name'] ? ` <span class="muted">using ${escapeHtml(node['Index Name'])}</span>` : '';
  const seq = node['Node Type'] === 'Seq Scan' ? ' seq' : '';
  const rows = typeof node['Actual Rows'] === 'number' ? `rows ${n(node['Actual Rows'])}` : '';
  const time = typeof node['Actual Total Time'] === 'number' ? `${(node['Actual Total Time'] as number).toFixed(3)} ms` : '';
  const buffers = `shared hit ${n(node['Shared Hit Blocks'])} · read ${n(node['Shared Read Blocks'])}`;
  const children = (node.Plans ?? []).map(nodeHtml).join('');
  return `<li><span class="node${seq}">${escapeHtml(node['Node Type'])}</span>${relation}${index}
<span class="muted"> — ${[rows, time, buffers].filter(Boolean).join(' · ')}</span>${children ? `<ul>${children}</ul>` : ''}</li>`;
}

export function planTreeHtml(plan: PlanNode | undefined): string {
  if (!plan) return '<p class="muted">plan not recorded in this summary.json (rerun npm run lab)</p>';
  return `<ul class="plan">${nodeHtml(plan)}</ul>`;
}

export const PLAN_TREE_CSS = `ul.plan,ul.plan ul{list-style:none;padding-left:18px;margin:0;border-left:1px dashed #c4cad3}
ul.plan{border-left:none;padding-left:0}ul.plan li{margin:3px 0;font-size:13px}
.node{font-family:ui-monospace,monospace;background:#e7f5ff;padding:0 4px;border-radius:3px}.node.seq{background:#ffe3e3}`;
