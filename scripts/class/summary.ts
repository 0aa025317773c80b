/**
 * The class's results: class-summary.csv (one row per student, a column per criterion) and
 * index.html (each student's score and verdict linked to their certificate, per-criterion pass
 * rates, the score distribution).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { CRITERIA } from '../../contract/rubric.js';
import { escapeHtml, htmlPage, scoreBar } from '../../helpers/certificate/html.js';
import { Plot, plotToSvg } from '../report/svg-plot.js';
import type { StudentOutcome } from './grade-student.js';

const MAX_SCORE = CRITERIA.reduce((s, c) => s + c.points, 0);

const csvCell = (value: string | number | boolean) => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function classCsv(outcomes: StudentOutcome[]): string {
  const header = [
    'student',
    'folder',
    'outcome',
    'certified',
    'score',
    'max_score',
    'verdict',
    'seconds',
    ...CRITERIA.map((c) => c.tag),
  ];
  const rows = outcomes.map((o) => [
    o.student,
    o.folder,
    o.outcome,
    o.certified,
    o.score,
    MAX_SCORE,
    o.verdict,
    o.seconds.toFixed(1),
    ...CRITERIA.map((c) => o.criteria.find((x) => x.tag === c.tag)?.points ?? 0),
  ]);
  return `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}

export interface ClassRun {
  source: string;
  startedAt: string;
  wallSeconds: number;
  jobs: number;
  /** Students certified by this run; the others were graded by an earlier run (resumed). */
  certifiedNow: number;
}

export function classHtml(outcomes: StudentOutcome[], run: ClassRun): string {
  const graded = outcomes.filter((o) => o.outcome === 'graded');
  const rates = CRITERIA.map((c) => {
    const passed = graded.filter((o) => o.criteria.find((x) => x.tag === c.tag)?.status === 'PASS').length;
    return { criterion: c.title, rate: graded.length ? (100 * passed) / graded.length : 0, passed };
  });
  const rateChart = plotToSvg({
    marginLeft: 270,
    width: 900,
    height: 40 + 24 * rates.length,
    x: { domain: [0, 100], label: 'students passing (%)', grid: true },
    y: { label: null, domain: rates.map((r) => r.criterion) },
    marks: [
      Plot.barX(rates, { x: 'rate', y: 'criterion', fill: '#2f9e44' }),
      Plot.text(rates, {
        x: 'rate',
        y: 'criterion',
        text: (r: (typeof rates)[number]) => `${r.passed}/${graded.length}`,
        dx: 18,
      }),
      Plot.ruleX([0]),
    ],
  });
  const scoreChart = plotToSvg({
    width: 900,
    height: 260,
    x: { domain: [0, MAX_SCORE], label: `score (of ${MAX_SCORE})` },
    y: { label: 'students', grid: true },
    marks: [
      Plot.rectY(graded, { ...Plot.binX({ y: 'count' }, { x: 'score', thresholds: 19 }), fill: '#1c7ed6', inset: 1 }),
      Plot.ruleY([0]),
    ],
  });
  const rows = outcomes
    .map((o) => {
      const href = `${encodeURIComponent(o.student)}/certification.html`;
      const link = o.outcome === 'graded' ? `<a href="${href}">${escapeHtml(o.student)}</a>` : escapeHtml(o.student);
      const badge = o.certified ? 'CERTIFIED' : o.outcome === 'graded' ? 'NOT' : 'PARTIAL';
      return `<tr><td>${link}</td><td>${scoreBar(o.score, MAX_SCORE)} ${o.score}/${MAX_SCORE}</td>
<td><span class="badge ${badge}">${escapeHtml(o.certified ? 'CERTIFIED' : o.outcome === 'graded' ? 'NOT CERTIFIED' : o.outcome.toUpperCase())}</span> <span class="muted">${escapeHtml(o.verdict)}</span></td>
<td>${o.seconds.toFixed(0)} s</td><td><a href="${encodeURIComponent(o.student)}/run.log">log</a></td></tr>`;
    })
    .join('\n');
  const certified = outcomes.filter((o) => o.certified).length;
  const failedRuns = outcomes.length - graded.length;
  const body = `<h1>Class certification</h1>
<p class="verdict" id="class-headline">${outcomes.length} students · <span id="certified-count">${certified}</span> certified · ${graded.length} graded${failedRuns ? ` · <strong>${failedRuns} without a certificate</strong>` : ''}</p>
<p class="muted">source <code>${escapeHtml(run.source)}</code> · started ${escapeHtml(run.startedAt)} · wall time ${(run.wallSeconds / 60).toFixed(1)} min for the ${run.certifiedNow} certified in this run, ${run.jobs} in parallel${outcomes.length > run.certifiedNow ? ` (${outcomes.length - run.certifiedNow} graded by an earlier run)` : ''} · <a href="class-summary.csv">class-summary.csv</a></p>
<h2>Score distribution</h2>
<figure id="score-distribution">${scoreChart}</figure>
<h2>Pass rate per criterion</h2>
<figure id="pass-rates">${rateChart}</figure>
<h2>Students</h2>
<table id="students"><thead><tr><th>student</th><th>score</th><th>verdict</th><th>time</th><th></th></tr></thead><tbody>
${rows}
</tbody></table>`;
  return htmlPage('Class certification', body);
}

export async function writeClassSummary(out: string, outcomes: StudentOutcome[], run: ClassRun): Promise<void> {
  await fs.writeFile(path.join(out, 'class-summary.csv'), classCsv(outcomes));
  await fs.writeFile(path.join(out, 'index.html'), classHtml(outcomes, run));
}
